/**
 * The RetrainingController's policy as pure functions of its state and the time: what to do with the
 * pending trigger (start, queue behind the running pipeline, wait out the debounce, or suppress, with
 * the reason), what status to show, and how triggers coalesce. The workflow calls them with
 * workflow time, so its decisions replay; the tests call them with any time.
 */
import type { ActivePipeline, ControllerStatus, PendingTrigger, Policy, PolicyPatch, Trigger, TriggerKind } from './controller';

const DAY_MS = 24 * 3600_000;

/** What the policy needs to know. */
export interface PolicyView {
  policy: Policy;
  active: ActivePipeline | null;
  lastFinishedAt: string | null;
  recentStarts: readonly string[];
}

export type Decision =
  | { action: 'start' }
  /** A pipeline runs or awaits approval: the trigger waits, coalesced, until it ends. */
  | { action: 'queue'; behind: string }
  /** Automatic triggers wait for quiet: decide again at `untilMs` (or when another arrives). */
  | { action: 'debounce'; untilMs: number }
  | { action: 'suppress'; reason: string };

/** The policy with a patch applied; `pipeline` settings merge field by field (a patch names only what changes). */
export function patchPolicy(policy: Policy, patch: PolicyPatch): unknown {
  return { ...policy, ...patch, pipeline: { ...policy.pipeline, ...(patch.pipeline ?? {}) } };
}

/** When the cooldown after the last pipeline ends (ms), or null if there is none. */
export function cooldownEnd(policy: Policy, lastFinishedAt: string | null): number | null {
  return lastFinishedAt === null ? null : Date.parse(lastFinishedAt) + policy.cooldownSeconds * 1000;
}

/** The starts that count against the budget at `nowMs`. */
export function startsInLastDay(recentStarts: readonly string[], nowMs: number): string[] {
  return recentStarts.filter((s) => nowMs - Date.parse(s) < DAY_MS);
}

/**
 * The decision on a pending trigger, in this order: a pause or a spent budget suppresses it; a
 * running pipeline queues it; an automatic trigger waits out the debounce and is suppressed in the
 * cooldown; otherwise a pipeline starts. Manual triggers skip debounce and cooldown.
 */
export function decide(v: PolicyView, pending: Pick<PendingTrigger, 'manual' | 'lastAt'>, nowMs: number): Decision {
  const { policy } = v;
  if (policy.paused) return { action: 'suppress', reason: 'the controller is paused (`controller policy --resume`)' };
  const starts = startsInLastDay(v.recentStarts, nowMs);
  if (starts.length >= policy.maxPipelinesPerDay) {
    const freed = starts.length ? `; the next slot frees at ${new Date(Date.parse(starts[0]) + DAY_MS).toISOString()}` : '';
    return { action: 'suppress', reason: `budget spent: ${starts.length} of ${policy.maxPipelinesPerDay} pipelines in the last 24 h${freed}` };
  }
  if (v.active) return { action: 'queue', behind: v.active.pipelineId };
  if (!pending.manual) {
    const quietAt = Date.parse(pending.lastAt) + policy.debounceSeconds * 1000;
    if (nowMs < quietAt) return { action: 'debounce', untilMs: quietAt };
    const cooled = cooldownEnd(policy, v.lastFinishedAt);
    if (cooled !== null && nowMs < cooled) return { action: 'suppress', reason: `cooldown until ${new Date(cooled).toISOString()}` };
  }
  return { action: 'start' };
}

/** The status shown in queries, search attributes and the Web UI. */
export function statusOf(v: PolicyView & { pending: PendingTrigger | null }, nowMs: number): ControllerStatus {
  if (v.active) return v.active.state;
  if (v.policy.paused) return 'paused';
  if (v.pending && decide(v, v.pending, nowMs).action === 'debounce') return 'debouncing';
  const cooled = cooldownEnd(v.policy, v.lastFinishedAt);
  if (cooled !== null && nowMs < cooled) return 'cooldown';
  return 'idle';
}

/** The cooldown's end as shown to operators: only while it lasts. */
export function cooldownUntil(v: Pick<PolicyView, 'policy' | 'lastFinishedAt'>, nowMs: number): string | null {
  const cooled = cooldownEnd(v.policy, v.lastFinishedAt);
  return cooled !== null && nowMs < cooled ? new Date(cooled).toISOString() : null;
}

const KEPT_REASONS = 10;

/** Adds a trigger to the pending one (or makes it the pending one). */
export function coalesce(pending: PendingTrigger | null, t: Trigger, seq: number): PendingTrigger {
  const kinds = { ...(pending?.kinds ?? {}) };
  kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
  return {
    kinds,
    count: (pending?.count ?? 0) + 1,
    manual: (pending?.manual ?? false) || t.kind === 'manual',
    firstAt: pending?.firstAt ?? t.at,
    lastAt: t.at,
    reasons: [...(pending?.reasons ?? []), `${t.kind}: ${t.reason}`].slice(-KEPT_REASONS),
    throughSeq: seq,
  };
}

const KIND_ORDER: TriggerKind[] = ['manual', 'drift', 'newData'];

/** `2× drift + manual`: what a pending trigger is made of. */
export function describeKinds(p: Pick<PendingTrigger, 'kinds'>): string {
  return KIND_ORDER.filter((k) => p.kinds[k])
    .map((k) => (p.kinds[k]! > 1 ? `${p.kinds[k]}× ${k}` : k))
    .join(' + ');
}

/** The pending trigger in one line, with the latest reason in full. */
export function describePending(p: PendingTrigger): string {
  return `${describeKinds(p)} (${p.reasons.at(-1)?.replace(/^\w+: /, '') ?? ''})`;
}
