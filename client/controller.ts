/**
 * Typed access to the level-2 loop: the RetrainingController of one model and the drift-check
 * schedule. Commands that need an answer (`retrainNow`, `setPolicy`) are updates sent with start,
 * so they work whether or not the controller runs yet and a refusal comes back with its reason;
 * the trigger signals are sent with start too.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  CONTROLLER_WORKFLOW,
  type ControllerEvent,
  controllerId,
  type ControllerState,
  historyQuery,
  type Policy,
  type PolicyPatch,
  PolicyPatchSchema,
  type RetrainAnswer,
  retrainNowUpdate,
  setPolicyUpdate,
  stateQuery,
  TRIGGER_SIGNALS,
  type TriggerInput,
  type TriggerKind,
  TriggerSchema,
} from '../contracts/controller';
import { DRIFT_CHECK_WORKFLOW, type DriftCheckInput, DriftCheckInputSchema, type DriftCheckOutcome } from '../contracts/drift-check';
import { type ApprovalDecision, issues } from '../contracts/pipeline';
import { CPU_QUEUE } from '../contracts/queues';
import { type Config, links } from '../config';
import type { retrainingController } from '../workflows/controller';
import type { driftCheckWorkflow } from '../workflows/drift-check';
import type { retrainingPipeline } from '../workflows/pipeline';
import type { ClientContext } from './context';
import { InvalidInputError, RefusedError, refusalReason } from './errors';
import { PipelineRun } from './pipeline-run';

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

export class ControllerClient {
  readonly workflowId: string;
  constructor(private readonly ctx: ClientContext, readonly modelName: string) {
    this.workflowId = controllerId(modelName);
  }

  get handle(): WorkflowHandle<typeof retrainingController> {
    return this.ctx.temporal.workflow.getHandle<typeof retrainingController>(this.workflowId);
  }

  /** Starts the controller if it is not running (idempotent); returns its workflow id. */
  async ensureStarted(opts: { policy?: PolicyPatch; continueAsNewAfterEvents?: number } = {}): Promise<string> {
    await this.ctx.temporal.workflow.start<typeof retrainingController>(CONTROLLER_WORKFLOW, { ...this.startOptions(opts.policy, opts.continueAsNewAfterEvents), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING });
    return this.workflowId;
  }

  /** How the controller starts when a message has to start it: the policy from the config unless given. */
  private startOptions(policy?: PolicyPatch, continueAsNewAfterEvents?: number) {
    const initial = policy ?? policyFromConfig(this.ctx.config);
    const r = PolicyPatchSchema.safeParse(initial);
    if (!r.success) throw new InvalidInputError(`policy: ${issues(r.error)}`);
    return {
      workflowId: this.workflowId,
      taskQueue: CPU_QUEUE,
      args: [{ modelName: this.modelName, policy: initial, ...(continueAsNewAfterEvents ? { continueAsNewAfterEvents } : {}) }] as [Parameters<typeof retrainingController>[0]],
      staticSummary: `Retraining controller for ${this.modelName}`,
    };
  }

  private withStart(policy?: PolicyPatch) {
    return new WithStartWorkflowOperation<typeof retrainingController>(CONTROLLER_WORKFLOW, { ...this.startOptions(policy), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING });
  }

  /** Sends a trigger signal (starting the controller if needed). Fire and forget: refusals show in `state().refused`. */
  async signal(kind: TriggerKind, trigger: TriggerInput, policy?: PolicyPatch): Promise<void> {
    const t = TriggerSchema.safeParse(trigger);
    if (!t.success) throw new InvalidInputError(issues(t.error));
    await this.ctx.temporal.workflow.signalWithStart<typeof retrainingController, [TriggerInput]>(CONTROLLER_WORKFLOW, {
      ...this.startOptions(policy),
      signal: TRIGGER_SIGNALS[kind],
      signalArgs: [t.data],
    });
  }

  driftDetected(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal('drift', trigger, policy);
  }
  /** A manual request as a signal: skips debounce and cooldown, still one pipeline at a time and within budget. */
  retrainRequested(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal('manual', trigger, policy);
  }
  newDataAvailable(trigger: TriggerInput, policy?: PolicyPatch) {
    return this.signal('newData', trigger, policy);
  }

  /**
   * Asks for a retraining now and waits for the answer: the pipeline started, or queued behind the
   * running one. The controller's validator refuses (RefusedError with its reason) a bad request,
   * a paused controller or a spent budget.
   */
  async retrainNow(trigger: TriggerInput, policy?: PolicyPatch): Promise<RetrainAnswer> {
    return this.update(() => this.ctx.temporal.workflow.executeUpdateWithStart(retrainNowUpdate, { args: [trigger], startWorkflowOperation: this.withStart(policy) }));
  }

  /** Changes the policy; the workflow's validator refuses bad values (RefusedError) before anything changes. */
  async setPolicy(patch: PolicyPatch): Promise<Policy> {
    return this.update(() => this.ctx.temporal.workflow.executeUpdateWithStart(setPolicyUpdate, { args: [patch], startWorkflowOperation: this.withStart() }));
  }

  private async update<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      const reason = refusalReason(e);
      if (reason) throw new RefusedError(reason, { cause: e });
      throw e;
    }
  }

  /** Approves (or rejects) the candidate of the pipeline the controller waits on. */
  async approve(decision: ApprovalDecision): Promise<{ pipelineId: string; answer: string }> {
    const active = (await this.state()).active;
    if (!active) throw new RefusedError(`nothing to approve: ${this.workflowId} runs no pipeline`);
    const run = new PipelineRun(this.ctx.temporal.workflow.getHandle<typeof retrainingPipeline>(active.pipelineId), links(this.ctx.config).workflow(active.pipelineId));
    return { pipelineId: active.pipelineId, answer: await run.approve(decision) };
  }

  state(): Promise<ControllerState> {
    return this.handle.query(stateQuery);
  }
  history(): Promise<ControllerEvent[]> {
    return this.handle.query(historyQuery);
  }
}

export const driftScheduleId = (modelName: string) => `drift-check-${modelName}`;

/**
 * Creates the drift-check schedule, or updates it in place: running it twice changes nothing. The
 * controller it signals is started too, so plain signals from any Temporal client find it.
 */
export async function applyDriftSchedule(ctx: ClientContext, opts: { modelName?: string; everyMs?: number; input?: Partial<DriftCheckInput>; paused?: boolean } = {}): Promise<{ scheduleId: string; created: boolean; controllerId: string }> {
  const c = ctx.config;
  const modelName = opts.modelName ?? c.mlflowModelName;
  const scheduleId = driftScheduleId(modelName);
  const input = driftCheckInputFromConfig(c, modelName, opts.input);
  const everyMs = opts.everyMs ?? c.driftCheckInterval;
  const controller = await new ControllerClient(ctx, modelName).ensureStarted();
  const action = {
    type: 'startWorkflow' as const,
    workflowType: DRIFT_CHECK_WORKFLOW,
    workflowId: `drift-check-${modelName}`,
    taskQueue: CPU_QUEUE,
    args: [input] as [DriftCheckInput],
    staticSummary: `Drift check of ${modelName}: last ${input.windowSeconds} s of serving vs the champion's training data`,
  };
  const spec = { intervals: [{ every: everyMs }] };
  const note = `Every ${Math.round(everyMs / 1000)} s: compare serving traffic with ${modelName}'s training data; on drift, signal ${controllerId(modelName)}`;
  try {
    await ctx.temporal.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
      state: { paused: opts.paused ?? false, note },
    });
    return { scheduleId, created: true, controllerId: controller };
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
  await ctx.temporal.schedule.getHandle(scheduleId).update((prev) => ({
    ...prev,
    spec,
    action,
    policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
    state: { ...prev.state, paused: opts.paused ?? prev.state.paused, note },
  }));
  return { scheduleId, created: false, controllerId: controller };
}

export async function describeDriftSchedule(ctx: ClientContext, modelName = ctx.config.mlflowModelName) {
  try {
    return await ctx.temporal.schedule.getHandle(driftScheduleId(modelName)).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return null;
    throw e;
  }
}

/** Runs one drift check now (not through the schedule) and waits for its outcome. */
export async function runDriftCheck(ctx: ClientContext, input: DriftCheckInput, workflowId = `drift-check-${input.modelName ?? ctx.config.mlflowModelName}-manual-${Date.now()}`): Promise<DriftCheckOutcome> {
  const r = DriftCheckInputSchema.safeParse(input);
  if (!r.success) throw new InvalidInputError(`drift check: ${issues(r.error)}`);
  return ctx.temporal.workflow.execute<typeof driftCheckWorkflow>(DRIFT_CHECK_WORKFLOW, { taskQueue: CPU_QUEUE, workflowId, args: [input], staticSummary: 'Drift check (manual)' });
}
