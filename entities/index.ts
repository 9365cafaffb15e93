/**
 * The data model. Entities are plain interfaces plus TypeORM EntitySchemas (no decorators, so
 * tsx, vitest and the Temporal bundler need no decorator-metadata transform).
 *
 * Texts carry `language` and `task`, so another language or editing task fits without a schema change.
 * Ids of pipeline records are derived from workflow id + stage (see core/ids.ts) so re-running a
 * stage upserts instead of duplicating.
 */
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

const id: EntitySchemaColumnOptions = { type: 'varchar', length: 128, primary: true };
const createdAt: EntitySchemaColumnOptions = { type: 'timestamptz', createDate: true, name: 'created_at' };
const language: EntitySchemaColumnOptions = { type: 'varchar', length: 16, default: 'en' };
const task: EntitySchemaColumnOptions = { type: 'varchar', length: 32, default: 'gec' };
const json = (nullable = false): EntitySchemaColumnOptions => ({ type: 'jsonb', nullable, ...(nullable ? {} : { default: () => "'{}'" }) });
const jsonArray: EntitySchemaColumnOptions = { type: 'jsonb', default: () => "'[]'" };
const text = (nullable = false): EntitySchemaColumnOptions => ({ type: 'text', nullable });
const key = (nullable = false, length = 128): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable });

// ── Source material ─────────────────────────────────────────────────────────────────────────────

export interface TextEntry {
  id: string;
  language: string;
  task: string;
  form: string;
  tone: string;
  lengthBucket: 'short' | 'medium' | 'long';
  text: string;
  createdAt: Date;
}
export const TextEntrySchema = new EntitySchema<TextEntry>({
  name: 'TextEntry',
  tableName: 'text_repository',
  columns: {
    id,
    language,
    task,
    form: key(false, 64),
    tone: key(false, 64),
    lengthBucket: { type: 'varchar', length: 16, name: 'length_bucket' },
    text: text(),
    createdAt,
  },
  indices: [{ name: 'ix_text_form_tone', columns: ['form', 'tone'] }],
});

export interface CorrectionScript {
  id: string;
  language: string;
  task: string;
  name: string;
  style: string;
  keyExpressions: string[];
  speaker: { role: string; level: string; nativeLanguage: string };
  createdAt: Date;
}
export const CorrectionScriptSchema = new EntitySchema<CorrectionScript>({
  name: 'CorrectionScript',
  tableName: 'correction_script',
  columns: {
    id,
    language,
    task,
    name: { type: 'varchar', length: 128, unique: true },
    style: text(),
    keyExpressions: { ...jsonArray, name: 'key_expressions' },
    speaker: json(),
    createdAt,
  },
});

export interface Example {
  id: string;
  language: string;
  task: string;
  awkward: string;
  corrected: string;
  reason: string;
  reasonLanguage: 'ko' | 'en';
  errorTypes: string[];
  form: string;
  tone: string;
  createdAt: Date;
}
export const ExampleSchema = new EntitySchema<Example>({
  name: 'Example',
  tableName: 'example',
  columns: {
    id,
    language,
    task,
    awkward: text(),
    corrected: text(),
    reason: text(),
    reasonLanguage: { type: 'varchar', length: 8, name: 'reason_language' },
    errorTypes: { ...jsonArray, name: 'error_types' },
    form: key(false, 64),
    tone: key(false, 64),
    createdAt,
  },
  indices: [{ name: 'ix_example_form_tone', columns: ['form', 'tone'] }],
});

export interface PromptTemplate {
  id: string;
  language: string;
  task: string;
  name: string;
  version: number;
  body: string;
  placeholders: string[];
  createdAt: Date;
}
export const PromptTemplateSchema = new EntitySchema<PromptTemplate>({
  name: 'PromptTemplate',
  tableName: 'prompt_template',
  columns: {
    id,
    language,
    task,
    name: key(false, 128),
    version: { type: 'int' },
    body: text(),
    placeholders: jsonArray,
    createdAt,
  },
  uniques: [{ name: 'uq_template_name_version', columns: ['name', 'version'] }],
});

// ── Pipeline records ────────────────────────────────────────────────────────────────────────────

export type SampleStatus = 'pending' | 'accepted' | 'rejected';
/**
 * Where a sample came from: `teacher` (a Text Repository sentence with errors made by the teacher),
 * `traffic` (a served request corrected by an LLM teacher), `feedback` (a learner's better
 * correction of a served request).
 */
export const SAMPLE_SOURCES = ['teacher', 'traffic', 'feedback'] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];
export interface GeneratedSample {
  id: string;
  pipelineId: string;
  batch: number;
  language: string;
  task: string;
  teacher: string;
  source: SampleSource;
  /** The serving request a traffic or feedback sample comes from. */
  sourceRequestId: string | null;
  sourceTextId: string | null;
  exampleId: string | null;
  templateId: string | null;
  awkward: string;
  corrected: string;
  reason: string;
  reasonLanguage: 'ko' | 'en';
  errorTypes: string[];
  status: SampleStatus;
  rejectionReasons: { code: string; detail?: string; field?: string; duplicateOf?: string; similarity?: number }[];
  redactions: { field: string; type: string; start: number; end: number }[];
  split: 'train' | 'valid' | 'test' | null;
  tokens: { prompt: number; completion: number } | null;
  createdAt: Date;
}
export const GeneratedSampleSchema = new EntitySchema<GeneratedSample>({
  name: 'GeneratedSample',
  tableName: 'generated_sample',
  columns: {
    id,
    pipelineId: { ...key(), name: 'pipeline_id' },
    batch: { type: 'int' },
    language,
    task,
    teacher: key(false, 64),
    source: { type: 'varchar', length: 16, default: 'teacher' },
    sourceRequestId: { ...key(true), name: 'source_request_id' },
    sourceTextId: { ...key(true), name: 'source_text_id' },
    exampleId: { ...key(true), name: 'example_id' },
    templateId: { ...key(true), name: 'template_id' },
    awkward: text(),
    corrected: text(),
    reason: text(),
    reasonLanguage: { type: 'varchar', length: 8, name: 'reason_language' },
    errorTypes: { ...jsonArray, name: 'error_types' },
    status: { type: 'varchar', length: 16, default: 'pending' },
    rejectionReasons: { ...jsonArray, name: 'rejection_reasons' },
    redactions: jsonArray,
    split: { type: 'varchar', length: 8, nullable: true },
    tokens: json(true),
    createdAt,
  },
  indices: [{ name: 'ix_sample_pipeline_status', columns: ['pipelineId', 'status'] }],
});

export interface DatasetVersion {
  id: string;
  pipelineId: string;
  md5: string;
  path: string;
  remote: string;
  counts: Record<string, number>;
  createdAt: Date;
}
export const DatasetVersionSchema = new EntitySchema<DatasetVersion>({
  name: 'DatasetVersion',
  tableName: 'dataset_version',
  columns: {
    id,
    pipelineId: { ...key(), name: 'pipeline_id', unique: true },
    md5: key(false, 64),
    path: text(),
    remote: text(),
    counts: json(),
    createdAt,
  },
});

export interface TrainingRun {
  id: string;
  pipelineId: string;
  backend: string;
  status: 'running' | 'succeeded' | 'failed';
  datasetMd5: string;
  mlflowRunId: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  artifactPath: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}
export const TrainingRunSchema = new EntitySchema<TrainingRun>({
  name: 'TrainingRun',
  tableName: 'training_run',
  columns: {
    id,
    pipelineId: { ...key(), name: 'pipeline_id' },
    backend: key(false, 64),
    status: { type: 'varchar', length: 16 },
    datasetMd5: { ...key(false, 64), name: 'dataset_md5' },
    mlflowRunId: { ...key(true, 64), name: 'mlflow_run_id' },
    params: json(),
    metrics: json(),
    artifactPath: { ...text(true), name: 'artifact_path' },
    startedAt: { type: 'timestamptz', name: 'started_at' },
    finishedAt: { type: 'timestamptz', nullable: true, name: 'finished_at' },
  },
});

export interface Evaluation {
  id: string;
  pipelineId: string;
  modelVersion: string | null;
  engine: string;
  evalSet: string;
  evalSetDigest: string;
  metrics: Record<string, number>;
  report: Record<string, unknown>;
  createdAt: Date;
}
export const EvaluationSchema = new EntitySchema<Evaluation>({
  name: 'Evaluation',
  tableName: 'evaluation',
  columns: {
    id,
    pipelineId: { ...key(), name: 'pipeline_id' },
    modelVersion: { ...key(true, 32), name: 'model_version' },
    engine: key(false, 64),
    evalSet: { ...key(false, 64), name: 'eval_set' },
    evalSetDigest: { ...key(false, 64), name: 'eval_set_digest' },
    metrics: json(),
    report: json(),
    createdAt,
  },
});

export interface ModelVersion {
  id: string;
  name: string;
  version: string;
  pipelineId: string;
  mlflowRunId: string;
  datasetMd5: string;
  status: 'candidate' | 'champion' | 'previous' | 'rejected' | 'archived';
  gate: Record<string, unknown>;
  createdAt: Date;
  promotedAt: Date | null;
}
export const ModelVersionSchema = new EntitySchema<ModelVersion>({
  name: 'ModelVersion',
  tableName: 'model_version',
  columns: {
    id,
    name: key(false, 128),
    version: key(false, 32),
    pipelineId: { ...key(), name: 'pipeline_id' },
    mlflowRunId: { ...key(false, 64), name: 'mlflow_run_id' },
    datasetMd5: { ...key(false, 64), name: 'dataset_md5' },
    status: { type: 'varchar', length: 16 },
    gate: json(),
    createdAt,
    promotedAt: { type: 'timestamptz', nullable: true, name: 'promoted_at' },
  },
  uniques: [{ name: 'uq_model_name_version', columns: ['name', 'version'] }],
});

// ── Serving and monitoring ──────────────────────────────────────────────────────────────────────

export interface ServingRequest {
  id: string;
  language: string;
  task: string;
  inputRedacted: string;
  output: string;
  reason: string;
  engine: string;
  modelVersion: string | null;
  reasonLanguage: 'ko' | 'en';
  latencyMs: number;
  fallback: boolean;
  redactions: number;
  client: string | null;
  /** SHA-256 (hex) of the feedback token returned with the correction: only its holder may rate it. */
  feedbackTokenHash: string | null;
  /** The edits served (offsets into inputRedacted): a thumbs-down marks them wrong for the scorer. */
  edits: { start: number; end: number; before: string; after: string; type: string }[];
  createdAt: Date;
}
export const ServingRequestSchema = new EntitySchema<ServingRequest>({
  name: 'ServingRequest',
  tableName: 'serving_request',
  columns: {
    id,
    language,
    task,
    inputRedacted: { ...text(), name: 'input_redacted' },
    output: text(),
    reason: text(),
    engine: key(false, 64),
    modelVersion: { ...key(true, 32), name: 'model_version' },
    reasonLanguage: { type: 'varchar', length: 8, name: 'reason_language' },
    latencyMs: { type: 'double precision', name: 'latency_ms' },
    fallback: { type: 'boolean', default: false },
    redactions: { type: 'int', default: 0 },
    client: key(true, 64),
    feedbackTokenHash: { ...key(true, 64), name: 'feedback_token_hash' },
    edits: jsonArray,
    createdAt,
  },
  indices: [{ name: 'ix_request_created', columns: ['createdAt'] }],
});

export interface Feedback {
  id: string;
  requestId: string;
  rating: 'up' | 'down';
  betterCorrection: string | null;
  comment: string | null;
  createdAt: Date;
  /** The last change: a second rating of the same correction updates the one row. */
  updatedAt: Date;
}
export const FeedbackSchema = new EntitySchema<Feedback>({
  name: 'Feedback',
  tableName: 'feedback',
  columns: {
    id,
    requestId: { ...key(), name: 'request_id' },
    rating: { type: 'varchar', length: 8 },
    betterCorrection: { ...text(true), name: 'better_correction' },
    comment: text(true),
    createdAt,
    updatedAt: { type: 'timestamptz', updateDate: true, name: 'updated_at' },
  },
  relations: {
    request: { type: 'many-to-one', target: 'ServingRequest', joinColumn: { name: 'request_id' }, onDelete: 'CASCADE' },
  } as never,
  // One feedback per correction: repeated feedback updates this row, never adds one.
  indices: [{ name: 'uq_feedback_request', columns: ['requestId'], unique: true }],
});

export interface DriftReport {
  id: string;
  modelName: string;
  windowStart: Date;
  windowEnd: Date;
  sampleSize: number;
  metrics: Record<string, unknown>;
  drifted: boolean;
  signaled: boolean;
  createdAt: Date;
}
export const DriftReportSchema = new EntitySchema<DriftReport>({
  name: 'DriftReport',
  tableName: 'drift_report',
  columns: {
    id,
    modelName: { ...key(false, 128), name: 'model_name' },
    windowStart: { type: 'timestamptz', name: 'window_start' },
    windowEnd: { type: 'timestamptz', name: 'window_end' },
    sampleSize: { type: 'int', name: 'sample_size' },
    metrics: json(),
    drifted: { type: 'boolean' },
    signaled: { type: 'boolean', default: false },
    createdAt,
  },
});

export const ENTITY_SCHEMAS = [
  TextEntrySchema,
  CorrectionScriptSchema,
  ExampleSchema,
  PromptTemplateSchema,
  GeneratedSampleSchema,
  DatasetVersionSchema,
  TrainingRunSchema,
  EvaluationSchema,
  ModelVersionSchema,
  ServingRequestSchema,
  FeedbackSchema,
  DriftReportSchema,
];
