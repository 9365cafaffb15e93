/**
 * The retraining pipeline's contract: its input (validated with zod by the client before starting
 * and by the workflow itself), its result, the progress it reports and the messages it answers.
 * Shared by client, workflow, activities, the controller and the DVC stages; deterministic code only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { EvalMetrics } from '../core/eval/evaluate';

export type { EvalMetrics };

/** Workflow type names, for starting by name (callers import only the workflows' types). */
export const PIPELINE_WORKFLOW = 'retrainingPipeline';
export const GENERATE_BATCH_WORKFLOW = 'generateBatchWorkflow';
export const HEALTH_CHECK_WORKFLOW = 'stackHealthCheck';

export const STAGES = ['generate', 'validate', 'version', 'train', 'evaluate', 'promote', 'deploy'] as const;
export type StageName = (typeof STAGES)[number];

export const TeacherBackend = z.enum(['noise', 'openai', 'ollama']);
export const TrainerBackend = z.enum(['rules', 'lora']);
export const EmbedderBackend = z.enum(['local', 'openai', 'ollama']);
export const BaselineBackend = z.enum(['none', 'openai', 'ollama']);

/**
 * The one place the pipeline's numeric limits are declared: the controller's policy, the CLI and the
 * DVC stages take theirs from these (optional there, defaulted here).
 */
export const ModelNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (max 64)');
export const SamplesSchema = z.number().int().min(10, 'at least 10 samples').max(200_000, 'at most 200000 samples');
export const BatchSizeSchema = z.number().int().min(10).max(5_000);
export const SeedSchema = z.number().int().min(0).max(2 ** 31 - 1);
export const ReasonLanguageSchema = z.enum(['ko', 'en']);
export const JflegLimitSchema = z.number().int().min(0).max(754);
/** Training pairs the edit scorer is fitted on by default (~20 minutes of candidate edits on 2 cores). */
export const DEFAULT_SCORER_PAIRS = 20_000;
/** Samples the validate stage checks and saves per transaction by default. */
export const DEFAULT_VALIDATION_CHUNK = 2000;
export const MinGleuDeltaSchema = z.number().min(-1).max(1);

export const PipelineInputSchema = z
  .object({
    modelName: ModelNameSchema.default('correctly-corrector'),
    samples: SamplesSchema.default(600),
    batchSize: BatchSizeSchema.default(200),
    seed: SeedSchema.default(42),
    reasonLanguage: ReasonLanguageSchema.default('ko'),
    backends: z
      .object({
        teacher: TeacherBackend.default('noise'),
        trainer: TrainerBackend.default('rules'),
        embedder: EmbedderBackend.default('local'),
        baseline: BaselineBackend.default('none'),
      })
      .default({ teacher: 'noise', trainer: 'rules', embedder: 'local', baseline: 'none' }),
    splits: z
      .object({ valid: z.number().min(0).max(0.4), test: z.number().min(0.05).max(0.4) })
      .refine((s) => s.valid + s.test < 0.6, 'valid + test must leave most data for training')
      .default({ valid: 0.1, test: 0.15 }),
    validation: z
      .object({
        nearDuplicateThreshold: z.number().min(0.5).max(1).default(0.95),
        piiPolicy: z.enum(['redact', 'reject']).default('redact'),
        maxRejectRate: z.number().min(0).max(1).default(0.9),
        /** Token limit (o200k_base) for each sentence of a triple. */
        maxSentenceTokens: z.number().int().min(1).max(4096).default(128),
        /** Samples validated and saved per transaction: a crash or a database restart redoes at most one chunk. */
        chunkSize: z.number().int().min(10).max(20_000).default(DEFAULT_VALIDATION_CHUNK),
      })
      .default({ nearDuplicateThreshold: 0.95, piiPolicy: 'redact', maxRejectRate: 0.9, maxSentenceTokens: 128, chunkSize: DEFAULT_VALIDATION_CHUNK }),
    train: z
      .object({
        /**
         * The edit scorer is fitted on at most this many training pairs (a seeded sample; each pair
         * costs tens of ms of both engines, so this bounds the train stage); 0 fits none and keeps the prior.
         */
        scorerPairs: z.number().int().min(0).max(200_000).default(DEFAULT_SCORER_PAIRS),
      })
      .strict()
      .default({ scorerPairs: DEFAULT_SCORER_PAIRS }),
    gate: z
      .object({
        /** A significant gain must also be at least this much GLEU. */
        minGleuDelta: MinGleuDeltaSchema.default(0),
        /**
         * What promotes: a significant improvement on some eval set (the default, no churn), or, for
         * runs that exercise the machinery rather than the model (tests, a first bootstrap), any
         * candidate without a significant regression. Both refuse a significant regression.
         */
        promoteWhen: z.enum(['significant-improvement', 'no-significant-regression']).default('significant-improvement'),
        /** Minimal share of already-correct sentences the candidate must leave unchanged. */
        minNoChangeRate: z.number().min(0).max(1).default(0.8),
        /** Limit JFLEG dev to its first N sentences (0 = all 754), for quick runs. */
        jflegLimit: JflegLimitSchema.default(0),
      })
      .default({ minGleuDelta: 0, promoteWhen: 'significant-improvement', minNoChangeRate: 0.8, jflegLimit: 0 }),
    /** The learners' data: feedback is always used; served traffic only with an LLM teacher. */
    flywheel: z
      .object({
        /** Requests served in this recent past are relabelled by an LLM teacher (0: none). */
        trafficWindowSeconds: z.number().int().min(0).max(30 * 24 * 3600).default(3600),
        maxTraffic: z.number().int().min(0).max(10_000).default(200),
      })
      .default({ trafficWindowSeconds: 3600, maxTraffic: 200 }),
    approval: z
      .object({ required: z.boolean().default(false), timeoutSeconds: z.number().int().min(1).max(30 * 24 * 3600).default(24 * 3600) })
      .default({ required: false, timeoutSeconds: 24 * 3600 }),
    /** Why the run was started (manual, drift, schedule, new data): shown in the UI and MLflow. */
    trigger: z.string().max(200).default('manual'),
  })
  .strict();

export type PipelineInput = z.input<typeof PipelineInputSchema>;
export type PipelineParams = z.output<typeof PipelineInputSchema>;

/** Parses input, turning zod issues into one readable line per problem. */
export function parsePipelineInput(input: unknown): { ok: true; value: PipelineParams } | { ok: false; error: string } {
  const r = PipelineInputSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: issues(r.error) };
}

/** zod issues as one readable line: `path: message; path: message`. */
export function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

/** The start options that make a pipeline tell its story in the Web UI: summary line and input details. */
export function pipelineStartDetails(input: PipelineInput, origin?: string): { staticSummary: string; staticDetails: string } {
  const p = PipelineInputSchema.parse(input ?? {});
  const jfleg = p.gate.jflegLimit ? `first ${p.gate.jflegLimit} of JFLEG dev` : 'all 754 of JFLEG dev';
  return {
    staticSummary: `Retrain ${p.modelName}: ${p.samples} samples, ${p.backends.teacher} teacher, ${p.backends.trainer} trainer, reasons in ${p.reasonLanguage} (${p.trigger})`,
    staticDetails: [
      ...(origin ? [origin, ''] : []),
      `- ${p.samples} samples in batches of ${p.batchSize}, seed ${p.seed}, reasons in ${p.reasonLanguage}`,
      `- teacher ${p.backends.teacher} · trainer ${p.backends.trainer} · embedder ${p.backends.embedder} · baseline ${p.backends.baseline}`,
      `- edit scorer fitted on ${p.train.scorerPairs ? `at most ${p.train.scorerPairs} training pairs` : 'no pairs (the prior decides)'}; validation saves ${p.validation.chunkSize} samples per transaction`,
      `- gate: ${jfleg}, promote on ${p.gate.promoteWhen}${p.gate.minGleuDelta ? ` (gain ≥ ${p.gate.minGleuDelta})` : ''}, no-change ≥ ${p.gate.minNoChangeRate * 100}%`,
      `- approval ${p.approval.required ? `required (within ${p.approval.timeoutSeconds} s)` : 'not required'}`,
      '',
      '```json',
      JSON.stringify(p, null, 2),
      '```',
    ].join('\n'),
  };
}

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface StageProgress {
  status: StageStatus;
  startedAt?: string;
  finishedAt?: string;
  summary?: string;
}

export interface PipelineProgress {
  pipelineId: string;
  stage: StageName | 'finished';
  state: 'running' | 'awaiting_approval' | 'succeeded' | 'failed' | 'cancelled';
  stages: Record<StageName, StageProgress>;
  generated?: number;
  accepted?: number;
  datasetMd5?: string;
  candidateVersion?: string;
}

export interface SystemEval {
  engine: string;
  modelVersion: string | null;
  heldout: EvalMetrics;
  jfleg: EvalMetrics;
  /** The held-out slice of learners' feedback pairs, when there are enough of them. */
  feedback?: EvalMetrics;
}

/** Candidate against the reference (the champion, or the base ensemble before the first one) on one eval set. */
export interface SetComparison {
  set: 'jfleg' | 'heldout' | 'feedback';
  /** "JFLEG dev", "held-out split", "held-out feedback". */
  label: string;
  sentences: number;
  /** "champion v3", "the base ensemble". */
  reference: string;
  candidateGleu: number;
  referenceGleu: number;
  /** Paired bootstrap (1000 resamples) of corpus GLEU, candidate − reference. */
  delta: number;
  ci: [number, number];
  pBetter: number;
}

/** Edit precision and recall of one error category on a held-out set. */
export interface CategoryMetrics {
  correct: number;
  proposed: number;
  gold: number;
  precision: number;
  recall: number;
}

export interface EvaluationResult {
  candidate: SystemEval;
  champion: SystemEval | null;
  harper: SystemEval;
  /** The base ensemble (Harper + LanguageTool, prior scorer, no learned model); absent in runs before it existed. */
  base?: SystemEval;
  /** Paired bootstrap of candidate − reference sentence-level GLEU on JFLEG dev. */
  comparison: { reference: 'champion' | 'harper' | 'base'; delta: number; ci: [number, number]; pBetter: number };
  /** One comparison per eval set (JFLEG dev, the held-out split, held-out feedback when there is enough): what the gate decides on. */
  comparisons?: SetComparison[];
  /** The candidate's edit precision/recall per error category, per held-out set ("heldout", "feedback"). */
  categories?: Record<string, Record<string, CategoryMetrics>>;
  reportPath: string;
}

export interface GateDecision {
  promote: boolean;
  reasons: string[];
}

export interface PipelineResult {
  pipelineId: string;
  datasetVersion: { md5: string; path: string; counts: Record<string, number> };
  candidateVersion: string;
  mlflowRunId: string;
  metrics: EvaluationResult;
  promoted: boolean;
  why: string[];
  deployed: { served: boolean; detail: string } | null;
}

export interface ApprovalDecision {
  approved: boolean;
  reviewer: string;
  comment?: string;
}

/** What a pipeline tells the controller that started it (its parent), when its state changes. */
export interface PipelineStateNotice {
  pipelineId: string;
  state: PipelineProgress['state'];
}

export const progressQuery = defineQuery<PipelineProgress>('progress');
export const cancelSignal = defineSignal<[string?]>('cancel');
export const approveUpdate = defineUpdate<string, [ApprovalDecision]>('approve');
/** Sent by a pipeline to its parent controller (awaiting approval, running again). */
export const pipelineStateSignal = defineSignal<[PipelineStateNotice]>('pipelineState');
