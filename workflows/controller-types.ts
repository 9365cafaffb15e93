/**
 * Contracts of the level-2 loop: the drift check's input and outcome, and the RetrainingController's
 * policy, triggers, state and history. Shared by client, workflows and activities; deterministic.
 */
import { z } from 'zod';
import { DriftThresholdsSchema, QualityThresholdsSchema } from '../core/drift/assess';
import { BaselineBackend, PipelineInputSchema, TeacherBackend, TrainerBackend } from './pipeline-types';

const modelName = PipelineInputSchema.shape.modelName;

// ── Drift check ─────────────────────────────────────────────────────────────────────────────────

export const DriftCheckInputSchema = z
  .object({
    modelName,
    windowSeconds: z.number().int().min(10).max(30 * 24 * 3600).default(3600),
    minSamples: z.number().int().min(5).default(30),
    /** Only requests from this time on (e.g. since the last deploy); the window still bounds it. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** At most this many reference sentences (the champion's training split) are described. */
    maxReference: z.number().int().min(20).max(20_000).default(2000),
    thresholds: DriftThresholdsSchema.default(DriftThresholdsSchema.parse({})),
    quality: QualityThresholdsSchema.default(QualityThresholdsSchema.parse({})),
    judge: z.enum(['none', 'openai', 'ollama']).default('none'),
    judgeSample: z.number().int().min(1).max(500).default(20),
    /** Signal the controller (signalWithStart) when drift is found. */
    signalController: z.boolean().default(true),
    /** Policy the controller starts with if the signal has to start it. */
    controllerPolicy: z.lazy(() => PolicyPatchSchema).optional(),
  })
  .strict();
export type DriftCheckInput = z.input<typeof DriftCheckInputSchema>;
export type DriftCheckParams = z.output<typeof DriftCheckInputSchema>;

export interface DriftCheckOutcome {
  reportId: string;
  drifted: boolean;
  skipped: string | null;
  sampleSize: number;
  reasons: string[];
  championVersion: string | null;
  signaled: boolean;
}

// ── RetrainingController ────────────────────────────────────────────────────────────────────────

export const PolicySchema = z
  .object({
    /** After a pipeline ends, automatic triggers within this many seconds start nothing. */
    cooldownSeconds: z.number().int().min(0, 'cooldownSeconds must be ≥ 0').max(30 * 24 * 3600),
    /** Quiet time after a trigger before deciding, so a burst of signals starts one pipeline. */
    debounceSeconds: z.number().int().min(0, 'debounceSeconds must be ≥ 0').max(24 * 3600),
    approvalRequired: z.boolean(),
    /** Budget: pipelines started in any 24 hours (0 stops automatic retraining). */
    maxPipelinesPerDay: z.number().int().min(0).max(100),
    paused: z.boolean(),
    /** What the started pipelines run with. */
    pipeline: z
      .object({
        samples: z.number().int().min(10).max(200_000).optional(),
        seed: z.number().int().min(0).optional(),
        reasonLanguage: z.enum(['ko', 'en']).optional(),
        teacher: TeacherBackend.optional(),
        trainer: TrainerBackend.optional(),
        baseline: BaselineBackend.optional(),
        jflegLimit: z.number().int().min(0).max(754).optional(),
        minGleuDelta: z.number().min(-1).max(1).optional(),
      })
      .strict(),
  })
  .strict();
export type Policy = z.output<typeof PolicySchema>;
export const PolicyPatchSchema = PolicySchema.partial().strict();
export type PolicyPatch = z.input<typeof PolicyPatchSchema>;

export const DEFAULT_POLICY: Policy = {
  cooldownSeconds: 6 * 3600,
  debounceSeconds: 300,
  approvalRequired: false,
  maxPipelinesPerDay: 4,
  paused: false,
  pipeline: {},
};

export const TriggerSchema = z
  .object({
    reason: z.string().min(1).max(2000),
    /** The drift report behind a driftDetected signal. */
    reportId: z.string().max(128).optional(),
    /** Who asked (retrainRequested) or which data arrived (newDataAvailable). */
    source: z.string().max(200).optional(),
  })
  .strict();
export type TriggerInput = z.input<typeof TriggerSchema>;
export type TriggerKind = 'drift' | 'manual' | 'newData';
export interface Trigger extends TriggerInput {
  kind: TriggerKind;
  at: string;
}

export type ControllerStatus = 'idle' | 'debouncing' | 'running' | 'cooldown' | 'paused';

export interface ControllerEvent {
  at: string;
  kind: 'trigger' | 'started' | 'finished' | 'failed' | 'suppressed' | 'policy' | 'continued';
  detail: string;
  pipelineId?: string;
  promoted?: boolean;
  candidateVersion?: string;
}

export interface ControllerState {
  modelName: string;
  status: ControllerStatus;
  policy: Policy;
  pending: Trigger[];
  active: { pipelineId: string; startedAt: string; triggers: Trigger[] } | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  cooldownUntil: string | null;
  /** Start times within the last 24 hours, for the budget. */
  recentStarts: string[];
  pipelinesStarted: number;
  promotions: number;
  champion: string | null;
  /** How many times this controller continued as new. */
  generation: number;
}

export const ControllerInputSchema = z
  .object({
    modelName,
    policy: PolicyPatchSchema.optional(),
    /** Continue as new once the event history is this long (and the controller is idle). */
    continueAsNewAfterEvents: z.number().int().min(20).max(50_000).default(5000),
    /** Carried over by continue-as-new. */
    carried: z.custom<{ state: ControllerState; history: ControllerEvent[] }>().optional(),
  })
  .strict();
export type ControllerInput = z.input<typeof ControllerInputSchema>;

/** At most this many history events are kept (and carried over). */
export const HISTORY_LIMIT = 200;

export function controllerId(modelName: string): string {
  return `controller-${modelName}`;
}

export function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}
