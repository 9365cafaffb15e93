/**
 * retrainingController: one long-lived entity workflow per served model (`controller-<model>`).
 *
 * Triggers arrive as signals (driftDetected, retrainRequested, newDataAvailable) or as the
 * `retrainNow` update; every trigger that arrives before a decision is coalesced into one pending
 * trigger. The loop decides on it with the pure policy (contracts/controller-policy.ts): start a
 * retrainingPipeline child, wait out the debounce, or suppress it with the reason; triggers that
 * arrive while a pipeline runs or awaits approval wait for it to end. Idle with a long history, it
 * continues as new with its state. Operators read it through the `state` and `history` queries, the
 * search attributes and the current details, and change it through the validated `setPolicy` update.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setDefaultSignalHandler,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type ActivePipeline,
  type ChampionReading,
  type ControllerEvent,
  type ControllerInput,
  ControllerInputSchema,
  type ControllerState,
  DEFAULT_POLICY,
  HISTORY_LIMIT,
  historyQuery,
  type PendingTrigger,
  type PolicyPatch,
  PolicySchema,
  REFUSED_LIMIT,
  type RetrainAnswer,
  retrainNowUpdate,
  setPolicyUpdate,
  stateQuery,
  TRIGGER_SIGNALS,
  type TriggerInput,
  type TriggerKind,
  TriggerSchema,
} from '../contracts/controller';
import { coalesce, cooldownEnd, cooldownUntil, decide, describeKinds, describePending, patchPolicy, statusOf } from '../contracts/controller-policy';
import { issues, PIPELINE_WORKFLOW, type PipelineInput, pipelineStartDetails, pipelineStateSignal, parsePipelineInput } from '../contracts/pipeline';
import { CPU_QUEUE } from '../contracts/queues';
import { CONTROLLER_PIPELINES, CONTROLLER_STATE, LAST_TRIGGER, MODEL_NAME } from '../contracts/search-attributes';
import { formatDuration } from '../core/values';
import type { retrainingPipeline } from './pipeline';

type Params = ReturnType<typeof ControllerInputSchema.parse>;

const { readChampion } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
  taskQueue: CPU_QUEUE,
  summary: 'read the champion alias from MLflow',
});

export async function retrainingController(raw: ControllerInput): Promise<never> {
  const parsed = ControllerInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid controller input: ${issues(parsed.error)}` });
  const controller = new Controller(parsed.data);
  controller.listen();
  controller.show();
  for (;;) {
    if ((await controller.nextWork()) === 'continue-as-new') {
      controller.record({ kind: 'continued', detail: `continued as new after ${workflowInfo().historyLength} events (generation ${controller.state.generation + 1})` });
      return continueAsNew<typeof retrainingController>(controller.carryOver());
    }
    await controller.decidePending();
  }
}

/** The controller's state, its handlers and its steps; the loop above strings the steps together. */
class Controller {
  readonly state: ControllerState;
  readonly history: ControllerEvent[];
  /** Bumped by every message, so waits wake on news. */
  private news = 0;
  /** Outcomes of recent decisions, for `retrainNow` callers waiting on theirs. */
  private decisions: { throughSeq: number; pipelineId?: string; refused?: string }[] = [];
  private shownAttributes = '';

  constructor(private readonly input: Params) {
    const carried = input.carried;
    if (carried) {
      this.state = { ...carried.state, generation: carried.state.generation + 1 };
      this.history = carried.history;
      return;
    }
    const policy = PolicySchema.safeParse({ ...DEFAULT_POLICY, ...(input.policy ?? {}) });
    if (!policy.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid controller policy: ${issues(policy.error)}` });
    this.state = {
      modelName: input.modelName,
      status: 'idle',
      policy: policy.data,
      pending: null,
      active: null,
      lastStartedAt: null,
      lastFinishedAt: null,
      cooldownUntil: null,
      recentStarts: [],
      pipelinesStarted: 0,
      promotions: 0,
      champion: null,
      refused: [],
      triggerSeq: 0,
      generation: 0,
    };
    this.history = [];
  }

  // ── Messages ──────────────────────────────────────────────────────────────────────────────────

  listen(): void {
    for (const [kind, signal] of Object.entries(TRIGGER_SIGNALS) as [TriggerKind, (typeof TRIGGER_SIGNALS)[TriggerKind]][]) {
      setHandler(signal, (payload) => {
        const t = TriggerSchema.safeParse(payload);
        if (t.success) this.accept(kind, t.data);
        else this.refuse(signal.name, issues(t.error), payload);
      });
    }
    // Temporal drops signals nobody handles; a misspelt name should leave a trace instead.
    setDefaultSignalHandler((name, ...args) => {
      this.refuse(name, `unknown signal (this controller takes ${Object.values(TRIGGER_SIGNALS).map((s) => s.name).join(', ')})`, args.length > 1 ? args : args[0]);
    });
    setHandler(pipelineStateSignal, (notice) => {
      const active = this.state.active;
      if (!active || notice?.pipelineId !== active.pipelineId) return;
      if (notice.state === 'awaiting_approval' || notice.state === 'running') active.state = notice.state;
      this.changed();
    });
    setHandler(stateQuery, () => this.snapshot());
    setHandler(historyQuery, () => this.history);
    setHandler(setPolicyUpdate, (patch) => this.setPolicy(patch), { validator: (patch) => this.validatePolicy(patch) });
    setHandler(retrainNowUpdate, (request) => this.retrainNow(request), { validator: (request) => this.validateRetrain(request) });
  }

  /** A valid trigger joins the pending one. Returns its sequence number. */
  private accept(kind: TriggerKind, t: ReturnType<typeof TriggerSchema.parse>): number {
    const seq = ++this.state.triggerSeq;
    this.state.pending = coalesce(this.state.pending, { ...t, kind, at: this.nowIso() }, seq);
    this.record({ kind: 'trigger', detail: `${kind}: ${t.reason}${t.source ? ` (from ${t.source})` : ''}${t.reportId ? ` [report ${t.reportId}]` : ''}` });
    if (this.state.active) {
      this.record({ kind: 'queued', detail: `waits for ${this.state.active.pipelineId} to end (pending: ${describeKinds(this.state.pending)})`, pipelineId: this.state.active.pipelineId });
    }
    this.changed();
    return seq;
  }

  private refuse(name: string, reason: string, payload: unknown): void {
    let json: string;
    try {
      json = JSON.stringify(payload) ?? 'undefined';
    } catch {
      json = String(payload);
    }
    this.state.refused = [...this.state.refused, { at: this.nowIso(), name, reason, payload: json.slice(0, 500) }].slice(-REFUSED_LIMIT);
    this.record({ kind: 'refused', detail: `${name} signal refused: ${reason}; payload ${json.slice(0, 500)}` });
    this.changed();
  }

  private validatePolicy(patch: PolicyPatch): void {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch) || Object.keys(patch).length === 0) throw new Error('setPolicy needs at least one field');
    const r = PolicySchema.safeParse(patchPolicy(this.state.policy, patch));
    if (!r.success) throw new Error(`invalid policy: ${issues(r.error)}`);
  }

  private setPolicy(patch: PolicyPatch) {
    this.state.policy = PolicySchema.parse(patchPolicy(this.state.policy, patch));
    this.record({ kind: 'policy', detail: `policy set: ${JSON.stringify(patch)}` });
    this.changed();
    return this.state.policy;
  }

  private validateRetrain(request: TriggerInput): void {
    const t = TriggerSchema.safeParse(request);
    if (!t.success) throw new Error(`invalid retrain request: ${issues(t.error)}`);
    const d = decide(this.state, { manual: true, lastAt: this.nowIso() }, this.nowMs());
    if (d.action === 'suppress') throw new Error(`no retraining: ${d.reason}`);
  }

  private async retrainNow(request: TriggerInput): Promise<RetrainAnswer> {
    const seq = this.accept('manual', TriggerSchema.parse(request));
    if (this.state.active) return { outcome: 'queued', behind: this.state.active.pipelineId, pending: this.state.pending?.count ?? 1 };
    await condition(() => this.decisions.some((d) => d.throughSeq >= seq));
    const d = this.decisions.find((x) => x.throughSeq >= seq)!;
    if (d.pipelineId) return { outcome: 'started', pipelineId: d.pipelineId };
    throw ApplicationFailure.create({ type: 'RetrainRefused', nonRetryable: true, message: `no retraining: ${d.refused}` });
  }

  // ── Steps of the loop ─────────────────────────────────────────────────────────────────────────

  /** Waits until there is a pending trigger to decide on, or it is time to continue as new. */
  async nextWork(): Promise<'decide' | 'continue-as-new'> {
    for (;;) {
      if (this.state.pending) return 'decide';
      if (this.historyIsLong()) {
        await condition(allHandlersFinished);
        if (!this.state.pending) return 'continue-as-new';
        continue;
      }
      // Wake when the cooldown ends too, so status and search attributes stop showing it.
      const cooled = cooldownEnd(this.state.policy, this.state.lastFinishedAt);
      const left = cooled === null ? 0 : cooled - this.nowMs();
      const woken = () => this.state.pending !== null || this.historyIsLong();
      if (left > 0) await condition(woken, left);
      else await condition(woken);
      this.show();
    }
  }

  /** Decides on the pending trigger under the policy, and acts. */
  async decidePending(): Promise<void> {
    const pending = this.state.pending!;
    const d = decide(this.state, pending, this.nowMs());
    if (d.action === 'debounce') {
      this.show();
      const seen = this.news;
      await condition(() => this.news !== seen, Math.max(1, d.untilMs - this.nowMs()));
      return; // decide again: the wait ended, or something changed (a trigger, the policy)
    }
    if (d.action === 'queue') {
      // The loop waits on its pipeline, so nothing is active here; kept for completeness.
      await condition(() => this.state.active === null);
      return;
    }
    this.state.pending = null;
    if (d.action === 'suppress') {
      this.record({ kind: 'suppressed', detail: `${describePending(pending)}: no pipeline (${d.reason})` });
      this.decided(pending, { refused: d.reason });
      await this.readChampion();
      this.show();
      return;
    }
    await this.runPipeline(pending);
  }

  /** Starts the pipeline child, waits for it, records the outcome. */
  private async runPipeline(trigger: PendingTrigger): Promise<void> {
    const s = this.state;
    s.pipelinesStarted += 1;
    const stamp = this.nowIso().replace(/[-:]/g, '').replace(/\..*/, '');
    const pipelineId = `${workflowInfo().workflowId}/pipeline-${s.pipelinesStarted}-${stamp}`;
    const input = this.pipelineInput(trigger);
    const startedAt = this.nowIso();
    // Active from the decision on, so no query sees the controller idle in between and a trigger
    // meanwhile is queued behind it.
    s.active = { pipelineId, startedAt, trigger: input.trigger!, state: 'running' } satisfies ActivePipeline;
    await this.readChampion();
    const child = await startChild<typeof retrainingPipeline>(PIPELINE_WORKFLOW, {
      workflowId: pipelineId,
      taskQueue: CPU_QUEUE,
      args: [input],
      typedSearchAttributes: [{ key: MODEL_NAME, value: s.modelName }],
      ...pipelineStartDetails(input, `Controller ${workflowInfo().workflowId} started it for: ${trigger.reasons.join(' · ')}`),
    });
    s.lastStartedAt = startedAt;
    s.recentStarts = [...s.recentStarts.filter((t) => this.nowMs() - Date.parse(t) < 24 * 3600_000), startedAt];
    this.record({ kind: 'started', detail: `pipeline for ${describePending(trigger)}`, pipelineId });
    this.decided(trigger, { pipelineId });
    this.show();

    try {
      const result = await child.result();
      if (result.promoted) s.promotions += 1;
      this.record({
        kind: 'finished',
        pipelineId,
        promoted: result.promoted,
        candidateVersion: result.candidateVersion,
        detail: result.promoted ? `v${result.candidateVersion} promoted and deployed (${result.deployed?.detail ?? 'not deployed'})` : `v${result.candidateVersion} not promoted: ${result.why.join('; ')}`,
      });
    } catch (e) {
      this.record({ kind: 'failed', pipelineId, detail: `pipeline failed: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}` });
    }
    const finishedAt = this.nowIso();
    // Still shown as running until the champion is known, so no query sees a stale one.
    await this.readChampion();
    s.active = null;
    s.lastFinishedAt = finishedAt;
    this.show();
  }

  /** The champion as MLflow names it now; the last reading stays (marked) when MLflow cannot answer. */
  private async readChampion(): Promise<void> {
    let reading: ChampionReading;
    try {
      reading = { version: (await readChampion({ modelName: this.state.modelName })).version, readAt: this.nowIso() };
    } catch (e) {
      const cause = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
      reading = { version: this.state.champion?.version ?? null, readAt: this.state.champion?.readAt ?? this.nowIso(), error: `MLflow not read: ${cause}` };
    }
    this.state.champion = reading;
  }

  private pipelineInput(trigger: PendingTrigger): PipelineInput {
    const pp = this.state.policy.pipeline;
    return {
      modelName: this.state.modelName,
      // The pipeline's trigger field is short; the history and the start details keep every reason.
      trigger: `controller: ${describePending(trigger)}`.slice(0, 200),
      ...(pp.samples !== undefined ? { samples: pp.samples } : {}),
      ...(pp.seed !== undefined ? { seed: pp.seed } : {}),
      ...(pp.reasonLanguage ? { reasonLanguage: pp.reasonLanguage } : {}),
      backends: { teacher: pp.teacher ?? 'noise', trainer: pp.trainer ?? 'rules', embedder: 'local', baseline: pp.baseline ?? 'none' },
      gate: { minGleuDelta: pp.minGleuDelta ?? 0, minNoChangeRate: 0.8, jflegLimit: pp.jflegLimit ?? 0 },
      approval: { required: this.state.policy.approvalRequired, timeoutSeconds: 24 * 3600 },
    };
  }

  // ── Bookkeeping and display ───────────────────────────────────────────────────────────────────

  record(e: Omit<ControllerEvent, 'at'>): void {
    this.history.push({ at: this.nowIso(), ...e });
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
  }

  private decided(trigger: PendingTrigger, outcome: { pipelineId?: string; refused?: string }): void {
    this.decisions = [...this.decisions, { throughSeq: trigger.throughSeq, ...outcome }].slice(-50);
  }

  private changed(): void {
    this.news += 1;
    this.show();
  }

  /** The state as queries see it, with status and cooldown computed for now. */
  private snapshot(): ControllerState {
    const now = this.nowMs();
    return { ...this.state, status: statusOf(this.state, now), cooldownUntil: cooldownUntil(this.state, now) };
  }

  /** Search attributes (when they change) and the current details of the Web UI. */
  show(): void {
    const s = this.snapshot();
    this.state.status = s.status;
    this.state.cooldownUntil = s.cooldownUntil;
    const lastTrigger = this.history.findLast((e) => e.kind === 'trigger')?.detail ?? '';
    const key = `${s.status}|${s.pipelinesStarted}|${lastTrigger}`;
    if (key !== this.shownAttributes) {
      this.shownAttributes = key;
      upsertSearchAttributes([
        { key: CONTROLLER_STATE, value: s.status },
        { key: CONTROLLER_PIPELINES, value: s.pipelinesStarted },
        { key: MODEL_NAME, value: s.modelName },
        ...(lastTrigger ? [{ key: LAST_TRIGGER, value: lastTrigger.slice(0, 200) }] : []),
      ]);
    }
    setCurrentDetails(renderDetails(s, this.history));
  }

  carryOver(): ControllerInput {
    return { modelName: this.state.modelName, continueAsNewAfterEvents: this.input.continueAsNewAfterEvents, carried: { state: this.state, history: this.history } };
  }

  private historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.input.continueAsNewAfterEvents;
  }

  private nowMs(): number {
    return Date.now(); // workflow time: deterministic on replay
  }

  private nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

/** Current details for the Web UI: short lines, newest events first. */
function renderDetails(s: ControllerState, history: readonly ControllerEvent[]): string {
  const short = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const p = s.policy;
  const champion = s.champion ? `champion ${s.champion.version ? `v${s.champion.version}` : 'none yet'} (MLflow, ${s.champion.readAt.slice(11, 19)}${s.champion.error ? ', stale' : ''})` : 'champion not read yet';
  const lines = [
    `### ${s.modelName}: ${s.status.replace('_', ' ')}`,
    `${champion} · ${s.pipelinesStarted} started · ${s.promotions} promoted`,
    ...(s.active ? [`${s.active.state === 'awaiting_approval' ? 'awaiting approval' : 'running'}: ${s.active.pipelineId}`] : []),
    ...(s.pending ? [`pending: ${describeKinds(s.pending)}`] : []),
    ...(s.cooldownUntil ? [`cooldown until ${s.cooldownUntil.slice(0, 19)}Z`] : []),
    `policy: cooldown ${formatDuration(p.cooldownSeconds * 1000)} · debounce ${formatDuration(p.debounceSeconds * 1000)} · ≤ ${p.maxPipelinesPerDay}/day · approval ${p.approvalRequired ? 'yes' : 'no'}${p.paused ? ' · paused' : ''}`,
    ...(s.refused.length ? [`refused signals: ${s.refused.length} (last: ${short(`${s.refused.at(-1)!.name}: ${s.refused.at(-1)!.reason}`, 60)})`] : []),
    '',
    ...history.slice(-6).reverse().map((e) => `- ${e.at.slice(11, 19)} ${e.kind}: ${short(e.detail)}`),
  ];
  return lines.join('\n');
}
