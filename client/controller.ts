/**
 * Typed access to the level-2 loop: the RetrainingController of one model (signals with start,
 * queries, the validated setPolicy update) and the drift-check schedule.
 */
import { ApplicationFailure, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowIdConflictPolicy, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../core/config';
import { DriftThresholdsSchema, QualityThresholdsSchema } from '../core/drift/assess';
import { driftCheckWorkflow, historyQuery, newDataAvailableSignal, retrainingController, retrainRequestedSignal, driftDetectedSignal, setPolicyUpdate, stateQuery } from '../workflows/controller';
import {
  type ControllerEvent,
  controllerId,
  type ControllerState,
  type DriftCheckInput,
  DriftCheckInputSchema,
  type DriftCheckOutcome,
  issues,
  type Policy,
  type PolicyPatch,
  PolicyPatchSchema,
  TriggerSchema,
  type TriggerInput,
} from '../workflows/controller-types';
import { CPU_QUEUE } from '../worker/queues';
import { InvalidInputError, type CorrectlyClient } from './index';

/** The controller's starting policy from the config (CONTROLLER_* settings). */
export function policyFromConfig(c: Config): PolicyPatch {
  return {
    cooldownSeconds: Math.round(c.controllerCooldown / 1000),
    debounceSeconds: Math.round(c.controllerDebounce / 1000),
    approvalRequired: c.controllerApproval,
    maxPipelinesPerDay: c.controllerMaxPipelinesPerDay,
  };
}

/** The drift check's input from the config (DRIFT_* settings), with overrides. */
export function driftCheckInputFromConfig(c: Config, modelName: string, extra: Partial<DriftCheckInput> = {}): DriftCheckInput {
  const input = {
    modelName,
    windowSeconds: Math.round(c.driftWindow / 1000),
    minSamples: c.driftMinSamples,
    thresholds: c.driftThresholds ?? {},
    quality: c.driftQualityThresholds ?? {},
    judge: c.driftJudge,
    judgeSample: c.driftJudgeSample,
    controllerPolicy: policyFromConfig(c),
    ...extra,
  };
  const r = DriftCheckInputSchema.safeParse(input);
  if (!r.success) throw new InvalidInputError(`drift check: ${issues(r.error)}`);
  return input as DriftCheckInput;
}
// Keep the threshold schemas reachable for callers validating settings up front.
export { DriftThresholdsSchema, QualityThresholdsSchema };

export class ControllerClient {
  readonly workflowId: string;
  constructor(private readonly correctly: CorrectlyClient, readonly modelName: string) {
    this.workflowId = controllerId(modelName);
  }

  get handle(): WorkflowHandle<typeof retrainingController> {
    return this.correctly.temporal.workflow.getHandle<typeof retrainingController>(this.workflowId);
  }

  /** Starts the controller if it is not running (idempotent); returns its workflow id. */
  async ensureStarted(opts: { policy?: PolicyPatch; continueAsNewAfterEvents?: number } = {}): Promise<string> {
    const policy = this.checkPolicy(opts.policy ?? policyFromConfig(this.correctly.config));
    await this.correctly.temporal.workflow.start(retrainingController, {
      workflowId: this.workflowId,
      taskQueue: CPU_QUEUE,
      args: [{ modelName: this.modelName, policy, ...(opts.continueAsNewAfterEvents ? { continueAsNewAfterEvents: opts.continueAsNewAfterEvents } : {}) }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      staticSummary: `Retraining controller for ${this.modelName}`,
    });
    return this.workflowId;
  }

  private checkPolicy(p: PolicyPatch): PolicyPatch {
    const r = PolicyPatchSchema.safeParse(p);
    if (!r.success) throw new InvalidInputError(`policy: ${issues(r.error)}`);
    return p;
  }

  private async signal(signal: typeof driftDetectedSignal, trigger: TriggerInput, policy?: PolicyPatch): Promise<void> {
    const t = TriggerSchema.safeParse(trigger);
    if (!t.success) throw new InvalidInputError(issues(t.error));
    await this.correctly.temporal.workflow.signalWithStart(retrainingController, {
      workflowId: this.workflowId,
      taskQueue: CPU_QUEUE,
      args: [{ modelName: this.modelName, policy: this.checkPolicy(policy ?? policyFromConfig(this.correctly.config)) }],
      signal,
      signalArgs: [t.data],
      staticSummary: `Retraining controller for ${this.modelName}`,
    });
  }

  driftDetected(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal(driftDetectedSignal, trigger, policy);
  }
  /** A manual request: skips debounce and cooldown, still one pipeline at a time and within budget. */
  retrainRequested(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal(retrainRequestedSignal, trigger, policy);
  }
  newDataAvailable(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal(newDataAvailableSignal, trigger, policy);
  }
  state(): Promise<ControllerState> {
    return this.handle.query(stateQuery);
  }
  history(): Promise<ControllerEvent[]> {
    return this.handle.query(historyQuery);
  }
  /** Changes the policy; the workflow's validator refuses bad values before anything changes. */
  async setPolicy(patch: PolicyPatch): Promise<Policy> {
    try {
      return await this.handle.executeUpdate(setPolicyUpdate, { args: [patch] });
    } catch (e) {
      // The validator's reason is the cause; say it, not "Workflow Update failed".
      if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) throw new InvalidInputError(e.cause.message);
      throw e;
    }
  }
}

export const driftScheduleId = (modelName: string) => `drift-check-${modelName}`;

/** Creates the drift-check schedule, or updates it in place: running it twice changes nothing. */
export async function applyDriftSchedule(correctly: CorrectlyClient, opts: { modelName?: string; everyMs?: number; input?: Partial<DriftCheckInput>; paused?: boolean } = {}): Promise<{ scheduleId: string; created: boolean }> {
  const c = correctly.config;
  const modelName = opts.modelName ?? c.mlflowModelName;
  const scheduleId = driftScheduleId(modelName);
  const input = driftCheckInputFromConfig(c, modelName, opts.input);
  const everyMs = opts.everyMs ?? c.driftCheckInterval;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: driftCheckWorkflow,
    workflowId: `drift-check-${modelName}`,
    taskQueue: CPU_QUEUE,
    args: [input] as [DriftCheckInput],
    staticSummary: `Drift check of ${modelName}: last ${input.windowSeconds} s of serving vs the champion's training data`,
  };
  const spec = { intervals: [{ every: everyMs }] };
  const note = `Every ${Math.round(everyMs / 1000)} s: compare serving traffic with ${modelName}'s training data; on drift, signal ${controllerId(modelName)}`;
  try {
    await correctly.temporal.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
      state: { paused: opts.paused ?? false, note },
    });
    return { scheduleId, created: true };
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  await correctly.temporal.schedule.getHandle(scheduleId).update((prev) => ({
    ...prev,
    spec,
    action,
    policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
    state: { ...prev.state, paused: opts.paused ?? prev.state.paused, note },
  }));
  return { scheduleId, created: false };
}

export async function describeDriftSchedule(correctly: CorrectlyClient, modelName = correctly.config.mlflowModelName) {
  try {
    return await correctly.temporal.schedule.getHandle(driftScheduleId(modelName)).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return null;
    throw e;
  }
}

/** Runs one drift check now (not through the schedule) and waits for its outcome. */
export async function runDriftCheck(correctly: CorrectlyClient, input: DriftCheckInput, workflowId = `drift-check-${input.modelName ?? correctly.config.mlflowModelName}-manual-${Date.now()}`): Promise<DriftCheckOutcome> {
  const r = DriftCheckInputSchema.safeParse(input);
  if (!r.success) throw new InvalidInputError(`drift check: ${issues(r.error)}`);
  return correctly.temporal.workflow.execute(driftCheckWorkflow, { taskQueue: CPU_QUEUE, workflowId, args: [input], staticSummary: 'Drift check (manual)' });
}
