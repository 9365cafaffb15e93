/**
 * The RetrainingController's contract: its policy, the triggers it takes, the state and history it
 * reports, and the messages it answers. Shared by client, workflow, activities and the drift check;
 * deterministic code only.
 *
 * Fire-and-forget triggers are signals (any Temporal client can send them; an invalid payload or an
 * unknown signal name is recorded and shown in the state). Commands that need an answer are updates
 * with validators, so a refusal reaches the sender: `retrainNow` and `setPolicy`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import {
  BaselineBackend,
  JflegLimitSchema,
  MinGleuDeltaSchema,
  ModelNameSchema,
  ReasonLanguageSchema,
  SamplesSchema,
  SeedSchema,
  TeacherBackend,
  TrainerBackend,
} from './pipeline';

export const CONTROLLER_WORKFLOW = 'retrainingController';

export function controllerId(modelName: string): string {
  return `controller-${modelName}`;
}

// ── Policy ──────────────────────────────────────────────────────────────────────────────────────

export const PolicySchema = z
  .object({
    /** After a pipeline ends, automatic triggers within this many seconds start nothing. */
    cooldownSeconds: z.number().int().min(0, 'cooldownSeconds must be ≥ 0').max(30 * 24 * 3600),
    /** Quiet time after an automatic trigger before deciding, so a burst of signals starts one pipeline. */
    debounceSeconds: z.number().int().min(0, 'debounceSeconds must be ≥ 0').max(24 * 3600),
    approvalRequired: z.boolean(),
    /** Budget: pipelines started in any 24 hours (0 stops retraining). */
    maxPipelinesPerDay: z.number().int().min(0).max(100),
    paused: z.boolean(),
    /** What the started pipelines run with (the pipeline's own limits; its defaults where unset). */
    pipeline: z
      .object({
        samples: SamplesSchema.optional(),
        seed: SeedSchema.optional(),
        reasonLanguage: ReasonLanguageSchema.optional(),
        teacher: TeacherBackend.optional(),
        trainer: TrainerBackend.optional(),
        baseline: BaselineBackend.optional(),
        jflegLimit: JflegLimitSchema.optional(),
        minGleuDelta: MinGleuDeltaSchema.optional(),
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

// ── Triggers ────────────────────────────────────────────────────────────────────────────────────

export const TriggerSchema = z
  .object({
    reason: z.string({ error: 'reason is required (a string)' }).trim().min(1, 'reason must not be empty').max(2000),
    /** The drift report behind a driftDetected signal. */
    reportId: z.string().max(128).optional(),
    /** Who asked (retrainRequested) or which data arrived (newDataAvailable). */
    source: z.string().max(200).optional(),
  })
  .strict();
export type TriggerInput = z.input<typeof TriggerSchema>;
/** `manual` triggers (an operator asking) skip debounce and cooldown, never the budget or a pause. */
export type TriggerKind = 'drift' | 'manual' | 'newData';
export interface Trigger extends z.output<typeof TriggerSchema> {
  kind: TriggerKind;
  at: string;
}

/** Every trigger that arrived before a decision, coalesced into one. */
export interface PendingTrigger {
  /** How many triggers of each kind. */
  kinds: Partial<Record<TriggerKind, number>>;
  count: number;
  manual: boolean;
  firstAt: string;
  lastAt: string;
  /** Full reasons, oldest first (the last 10). */
  reasons: string[];
  /** Sequence number of the last trigger merged in (updates wait for the decision that covers it). */
  throughSeq: number;
}

// ── State, history, answers ─────────────────────────────────────────────────────────────────────

export type ControllerStatus = 'idle' | 'debouncing' | 'running' | 'awaiting_approval' | 'cooldown' | 'paused';

export interface ControllerEvent {
  at: string;
  kind: 'trigger' | 'queued' | 'started' | 'finished' | 'failed' | 'suppressed' | 'refused' | 'policy' | 'continued';
  /** In full: tables may shorten it, the history never does. */
  detail: string;
  pipelineId?: string;
  promoted?: boolean;
  candidateVersion?: string;
}

/** A signal the controller could not use: an invalid payload, or a name it does not know. */
export interface RefusedMessage {
  at: string;
  name: string;
  reason: string;
  /** The payload as JSON (shortened to 500 characters). */
  payload: string;
}

export interface ActivePipeline {
  pipelineId: string;
  startedAt: string;
  /** What started it, as the pipelines's trigger says. */
  trigger: string;
  state: 'running' | 'awaiting_approval';
}

/** The champion as MLflow named it when the controller last decided. */
export interface ChampionReading {
  version: string | null;
  readAt: string;
  /** Set when MLflow could not be read; `version` is then the last known one. */
  error?: string;
}

export interface ControllerState {
  modelName: string;
  status: ControllerStatus;
  policy: Policy;
  pending: PendingTrigger | null;
  active: ActivePipeline | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  /** Only while a cooldown is on: never a time in the past. */
  cooldownUntil: string | null;
  /** Start times within the last 24 hours, for the budget. */
  recentStarts: string[];
  pipelinesStarted: number;
  promotions: number;
  champion: ChampionReading | null;
  /** Recent refused signals (newest last). */
  refused: RefusedMessage[];
  /** Triggers accepted so far (numbers each one). */
  triggerSeq: number;
  /** How many times this controller continued as new. */
  generation: number;
}

/** The answer to `retrainNow`. */
export type RetrainAnswer = { outcome: 'started'; pipelineId: string } | { outcome: 'queued'; behind: string; pending: number };

export const ControllerInputSchema = z
  .object({
    modelName: ModelNameSchema.default('correctly-corrector'),
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
/** At most this many refused signals are kept. */
export const REFUSED_LIMIT = 20;

// ── Messages ────────────────────────────────────────────────────────────────────────────────────

export const driftDetectedSignal = defineSignal<[TriggerInput]>('driftDetected');
export const retrainRequestedSignal = defineSignal<[TriggerInput]>('retrainRequested');
export const newDataAvailableSignal = defineSignal<[TriggerInput]>('newDataAvailable');
/** The trigger signals by kind. */
export const TRIGGER_SIGNALS = { drift: driftDetectedSignal, manual: retrainRequestedSignal, newData: newDataAvailableSignal } as const;

export const stateQuery = defineQuery<ControllerState>('state');
export const historyQuery = defineQuery<ControllerEvent[]>('history');
/** Changes the policy; refused (with the reason) when the patch is empty or invalid. */
export const setPolicyUpdate = defineUpdate<Policy, [PolicyPatch]>('setPolicy');
/**
 * An operator's retrain request that waits for the answer: started (the pipeline id) or queued
 * behind the running pipeline. Refused with the reason when paused, over budget or invalid.
 */
export const retrainNowUpdate = defineUpdate<RetrainAnswer, [TriggerInput]>('retrainNow');
