/**
 * The retraining pipeline's contract: its input (validated with zod by the client before starting
 * and by the workflow itself), its result, and the progress it reports. Shared by client,
 * workflow and activities; deterministic code only.
 */
import { z } from 'zod';

export const STAGES = ['generate', 'validate', 'version', 'train', 'evaluate', 'promote', 'deploy'] as const;
export type StageName = (typeof STAGES)[number];

export const TeacherBackend = z.enum(['noise', 'openai', 'ollama']);
export const TrainerBackend = z.enum(['rules', 'lora']);
export const EmbedderBackend = z.enum(['local', 'openai', 'ollama']);
export const BaselineBackend = z.enum(['none', 'openai', 'ollama']);

export const PipelineInputSchema = z
  .object({
    modelName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (max 64)').default('correctly-corrector'),
    samples: z.number().int().min(10, 'at least 10 samples').max(200_000, 'at most 200000 samples').default(600),
    batchSize: z.number().int().min(10).max(5_000).default(200),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    reasonLanguage: z.enum(['ko', 'en']).default('ko'),
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
      })
      .default({ nearDuplicateThreshold: 0.95, piiPolicy: 'redact', maxRejectRate: 0.9, maxSentenceTokens: 128 }),
    gate: z
      .object({
        /** Candidate must beat the reference (champion, or Harper when there is none) by this much GLEU on JFLEG dev. */
        minGleuDelta: z.number().min(-1).max(1).default(0),
        /** Minimal share of already-correct sentences the candidate must leave unchanged. */
        minNoChangeRate: z.number().min(0).max(1).default(0.8),
        /** Limit JFLEG dev to its first N sentences (0 = all 754), for quick runs. */
        jflegLimit: z.number().int().min(0).max(754).default(0),
      })
      .default({ minGleuDelta: 0, minNoChangeRate: 0.8, jflegLimit: 0 }),
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
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ') };
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

export interface EvalMetrics {
  gleu: number;
  gleuStd: number;
  gleuCi: [number, number];
  /** Share of already-correct sentences left unchanged. */
  noChangeRate: number;
  /** Share of sentences changed where the reference made no change. */
  overCorrectionRate: number;
  latencyMsP50: number;
  latencyMsP95: number;
  sentences: number;
  /** Share of sentences whose reply was not a valid correction (generative models; scored as unchanged). */
  invalidOutputRate?: number;
}

export interface SystemEval {
  engine: string;
  modelVersion: string | null;
  heldout: EvalMetrics;
  jfleg: EvalMetrics;
}

export interface EvaluationResult {
  candidate: SystemEval;
  champion: SystemEval | null;
  harper: SystemEval;
  /** Paired bootstrap of candidate − reference sentence-level GLEU on JFLEG dev. */
  comparison: { reference: 'champion' | 'harper'; delta: number; ci: [number, number]; pBetter: number };
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
