/**
 * The level-2 loop.
 *
 * driftCheckWorkflow — run by a Temporal Schedule: compares recent serving traffic with the
 * champion's training data, stores a drift report, and on drift signals (with start) the controller.
 *
 * retrainingController — one long-lived entity workflow per served model. Triggers arrive as
 * signals (driftDetected, retrainRequested, newDataAvailable); after a debounce it decides, under
 * the policy (cooldown, one pipeline at a time, daily budget, pause), whether to start a
 * retrainingPipeline child, records the outcome, and continues as new when its history grows.
 * Operators read it through the `state` and `history` queries, change it through the validated
 * `setPolicy` update, and see it in the Web UI through search attributes and current details.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CPU_QUEUE } from '../worker/queues';
import {
  type ControllerEvent,
  type ControllerInput,
  ControllerInputSchema,
  type ControllerState,
  type ControllerStatus,
  DEFAULT_POLICY,
  type DriftCheckInput,
  DriftCheckInputSchema,
  type DriftCheckOutcome,
  HISTORY_LIMIT,
  issues,
  type Policy,
  type PolicyPatch,
  PolicySchema,
  type Trigger,
  type TriggerInput,
  type TriggerKind,
  TriggerSchema,
} from './controller-types';
import { retrainingPipeline } from './pipeline';
import { CONTROLLER_PIPELINES, CONTROLLER_STATE, LAST_TRIGGER, MODEL_NAME } from './search-attributes';

export const driftDetectedSignal = defineSignal<[TriggerInput]>('driftDetected');
export const retrainRequestedSignal = defineSignal<[TriggerInput]>('retrainRequested');
export const newDataAvailableSignal = defineSignal<[TriggerInput]>('newDataAvailable');
export const stateQuery = defineQuery<ControllerState>('state');
export const historyQuery = defineQuery<ControllerEvent[]>('history');
export const setPolicyUpdate = defineUpdate<Policy, [PolicyPatch]>('setPolicy');

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidInput'] };

export async function driftCheckWorkflow(raw: DriftCheckInput = {}): Promise<DriftCheckOutcome> {
  const parsed = DriftCheckInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid drift check input: ${issues(parsed.error)}` });
  const p = parsed.data;
  const info = workflowInfo();
  const { checkDrift, signalControllerDrift } = proxyActivities<Activities>({
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: '2 minutes',
    retry: RETRY,
    taskQueue: CPU_QUEUE,
    summary: `compare the last ${p.windowSeconds} s of serving traffic with ${p.modelName}'s training data`,
  });
  const outcome = await checkDrift({ ...p, checkId: `${info.workflowId}/${info.runId}`, windowEnd: new Date().toISOString() });
  setCurrentDetails(`### Drift check of ${p.modelName}\n\n${outcome.skipped ? `skipped: ${outcome.skipped}` : outcome.drifted ? `**drift**: ${outcome.reasons.join('; ')}` : 'no drift'} (${outcome.sampleSize} requests)`);
  if (outcome.drifted && p.signalController) {
    await signalControllerDrift({ modelName: p.modelName, reportId: outcome.reportId, reasons: outcome.reasons, policy: p.controllerPolicy });
    return { ...outcome, signaled: true };
  }
  return outcome;
}

export async function retrainingController(raw: ControllerInput): Promise<never> {
  const parsed = ControllerInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid controller input: ${issues(parsed.error)}` });
  const input = parsed.data;
  const policyCheck = PolicySchema.safeParse({ ...DEFAULT_POLICY, ...(input.carried?.state.policy ?? {}), ...(input.carried ? {} : input.policy ?? {}) });
  if (!policyCheck.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid controller policy: ${issues(policyCheck.error)}` });

  const state: ControllerState = input.carried
    ? { ...input.carried.state, generation: input.carried.state.generation + 1 }
    : {
        modelName: input.modelName,
        status: 'idle',
        policy: policyCheck.data,
        pending: [],
        active: null,
        lastStartedAt: null,
        lastFinishedAt: null,
        cooldownUntil: null,
        recentStarts: [],
        pipelinesStarted: 0,
        promotions: 0,
        champion: null,
        generation: 0,
      };
  const history: ControllerEvent[] = input.carried?.history ?? [];
  const now = () => new Date();
  const record = (e: Omit<ControllerEvent, 'at'>) => {
    history.push({ at: now().toISOString(), ...e });
    if (history.length > HISTORY_LIMIT) history.splice(0, history.length - HISTORY_LIMIT);
  };

  let lastShown = '';
  const show = (status?: ControllerStatus) => {
    state.status = status ?? currentStatus();
    const last = history.filter((e) => e.kind === 'trigger').at(-1);
    const key = `${state.status}|${state.pipelinesStarted}|${last?.detail ?? ''}`;
    if (key !== lastShown) {
      lastShown = key;
      upsertSearchAttributes([
        { key: CONTROLLER_STATE, value: state.status },
        { key: CONTROLLER_PIPELINES, value: state.pipelinesStarted },
        { key: MODEL_NAME, value: state.modelName },
        ...(last ? [{ key: LAST_TRIGGER, value: last.detail.slice(0, 200) }] : []),
      ]);
    }
    const lines = history.slice(-8).reverse().map((e) => `- ${e.at.slice(0, 19)} **${e.kind}** ${e.detail}`);
    setCurrentDetails(
      `### Retraining controller for ${state.modelName}: ${state.status}\n\n` +
        `${state.pipelinesStarted} pipelines started, ${state.promotions} promotions, champion ${state.champion ? `v${state.champion}` : 'unknown'}` +
        `${state.cooldownUntil && state.status === 'cooldown' ? `, cooldown until ${state.cooldownUntil}` : ''}\n\n` +
        `Policy: cooldown ${state.policy.cooldownSeconds} s, debounce ${state.policy.debounceSeconds} s, ≤ ${state.policy.maxPipelinesPerDay} pipelines/day, approval ${state.policy.approvalRequired ? 'required' : 'not required'}${state.policy.paused ? ', paused' : ''}\n\n${lines.join('\n')}`,
    );
  };
  // Cooldown follows the policy in force, so setPolicy can lengthen or end a running cooldown.
  const cooldownEnd = () => (state.lastFinishedAt ? Date.parse(state.lastFinishedAt) + state.policy.cooldownSeconds * 1000 : 0);
  const currentStatus = (): ControllerStatus => {
    if (state.active) return 'running';
    if (state.policy.paused) return 'paused';
    state.cooldownUntil = state.lastFinishedAt ? new Date(cooldownEnd()).toISOString() : null;
    if (now().getTime() < cooldownEnd()) return 'cooldown';
    return 'idle';
  };

  const onTrigger = (kind: TriggerKind) => (raw: TriggerInput) => {
    const t = TriggerSchema.safeParse(raw ?? {});
    if (!t.success) {
      record({ kind: 'suppressed', detail: `${kind} signal refused: ${issues(t.error)}` });
      return show();
    }
    const trigger: Trigger = { ...t.data, kind, at: now().toISOString() };
    record({ kind: 'trigger', detail: `${kind}: ${trigger.reason}` });
    if (state.active) {
      record({ kind: 'suppressed', detail: `${kind} ignored: pipeline ${state.active.pipelineId} is running (one at a time)` });
    } else {
      state.pending.push(trigger);
    }
    show();
  };
  setHandler(driftDetectedSignal, onTrigger('drift'));
  setHandler(retrainRequestedSignal, onTrigger('manual'));
  setHandler(newDataAvailableSignal, onTrigger('newData'));
  setHandler(stateQuery, () => ({ ...state, status: state.status === 'debouncing' ? 'debouncing' : currentStatus() }));
  setHandler(historyQuery, () => history);
  setHandler(
    setPolicyUpdate,
    (patch) => {
      state.policy = PolicySchema.parse({ ...state.policy, ...patch });
      record({ kind: 'policy', detail: `policy set: ${JSON.stringify(patch)}` });
      show();
      return state.policy;
    },
    {
      validator: (patch) => {
        if (!patch || typeof patch !== 'object' || Object.keys(patch).length === 0) throw new Error('setPolicy needs at least one field');
        const r = PolicySchema.safeParse({ ...state.policy, ...patch });
        if (!r.success) throw new Error(`invalid policy: ${issues(r.error)}`);
      },
    },
  );

  show();
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= input.continueAsNewAfterEvents;

  for (;;) {
    const woken = () => state.pending.length > 0 || shouldContinueAsNew();
    // Wake when the cooldown ends too, so the Web UI stops showing it.
    const cooldownLeft = cooldownEnd() - now().getTime();
    if (cooldownLeft > 0 && !(await condition(woken, cooldownLeft))) {
      show();
      continue;
    }
    await condition(woken);
    if (state.pending.length === 0) {
      // Idle and the history is long: start a fresh run with the state carried over.
      await condition(allHandlersFinished);
      if (state.pending.length === 0) {
        record({ kind: 'continued', detail: `continued as new after ${workflowInfo().historyLength} events (generation ${state.generation + 1})` });
        return continueAsNew<typeof retrainingController>({ modelName: state.modelName, continueAsNewAfterEvents: input.continueAsNewAfterEvents, carried: { state, history } });
      }
    }

    // Debounce automatic triggers: wait until no new signal arrived for debounceSeconds.
    if (!state.pending.some((t) => t.kind === 'manual') && state.policy.debounceSeconds > 0) {
      show('debouncing');
      for (;;) {
        const seen = state.pending.length;
        const more = await condition(() => state.pending.length > seen || state.pending.some((t) => t.kind === 'manual'), state.policy.debounceSeconds * 1000);
        if (!more || state.pending.some((t) => t.kind === 'manual')) break;
      }
    }
    const triggers = state.pending.splice(0);
    const manual = triggers.some((t) => t.kind === 'manual');
    const summary = describeTriggers(triggers);
    const t = now().getTime();
    state.recentStarts = state.recentStarts.filter((s) => t - Date.parse(s) < 24 * 3600_000);

    const refusal = state.policy.paused
      ? 'the controller is paused'
      : !manual && t < cooldownEnd()
        ? `cooldown until ${new Date(cooldownEnd()).toISOString()}`
        : state.recentStarts.length >= state.policy.maxPipelinesPerDay
          ? `budget spent: ${state.recentStarts.length} of ${state.policy.maxPipelinesPerDay} pipelines in the last 24 h`
          : null;
    if (refusal) {
      record({ kind: 'suppressed', detail: `${summary}: no pipeline (${refusal})` });
      show();
      continue;
    }

    state.pipelinesStarted += 1;
    const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const pipelineId = `${workflowInfo().workflowId}/pipeline-${state.pipelinesStarted}-${stamp}`;
    const pp = state.policy.pipeline;
    const trigger = `controller: ${summary}`.slice(0, 200);
    // Active from before the start, so no query sees the controller idle in between.
    state.active = { pipelineId, startedAt: now().toISOString(), triggers };
    const child = await startChild(retrainingPipeline, {
      workflowId: pipelineId,
      taskQueue: CPU_QUEUE,
      args: [
        {
          modelName: state.modelName,
          trigger,
          ...(pp.samples !== undefined ? { samples: pp.samples } : {}),
          ...(pp.seed !== undefined ? { seed: pp.seed } : {}),
          ...(pp.reasonLanguage ? { reasonLanguage: pp.reasonLanguage } : {}),
          backends: { teacher: pp.teacher ?? 'noise', trainer: pp.trainer ?? 'rules', embedder: 'local', baseline: pp.baseline ?? 'none' },
          gate: { minGleuDelta: pp.minGleuDelta ?? 0, minNoChangeRate: 0.8, jflegLimit: pp.jflegLimit ?? 0 },
          approval: { required: state.policy.approvalRequired, timeoutSeconds: 24 * 3600 },
        },
      ],
      typedSearchAttributes: [{ key: MODEL_NAME, value: state.modelName }],
      staticSummary: `Retrain ${state.modelName} (${trigger})`,
    });
    state.lastStartedAt = state.active.startedAt;
    state.recentStarts.push(state.active.startedAt);
    record({ kind: 'started', detail: `pipeline for ${summary}`, pipelineId });
    show();

    try {
      const result = await child.result();
      if (result.promoted) {
        state.promotions += 1;
        state.champion = result.candidateVersion;
      }
      record({
        kind: 'finished',
        pipelineId,
        promoted: result.promoted,
        candidateVersion: result.candidateVersion,
        detail: result.promoted ? `v${result.candidateVersion} promoted and deployed (${result.deployed?.detail ?? 'not deployed'})` : `v${result.candidateVersion} not promoted: ${result.why.join('; ').slice(0, 300)}`,
      });
    } catch (e) {
      record({ kind: 'failed', pipelineId, detail: `pipeline failed: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}` });
    }
    state.active = null;
    state.lastFinishedAt = now().toISOString();
    show();
  }
}

function describeTriggers(ts: readonly Trigger[]): string {
  const counts = new Map<TriggerKind, number>();
  for (const t of ts) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  const kinds = [...counts].map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join(' + ');
  return `${kinds} (${ts.at(-1)!.reason.slice(0, 120)})`;
}
