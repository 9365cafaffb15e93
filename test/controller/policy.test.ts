/** The controller's policy as pure functions: no Temporal, any time. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type ActivePipeline, type PendingTrigger, type Policy, type Trigger } from '../../contracts/controller';
import { coalesce, cooldownUntil, decide, describeKinds, describePending, type PolicyView, statusOf } from '../../contracts/controller-policy';

const T0 = Date.parse('2026-01-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const policy = (p: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, cooldownSeconds: 600, debounceSeconds: 30, maxPipelinesPerDay: 2, ...p });
const view = (v: Partial<PolicyView> = {}): PolicyView => ({ policy: policy(), active: null, lastFinishedAt: null, recentStarts: [], ...v });
const trigger = (kind: Trigger['kind'], atMs: number, reason = `${kind} reason`): Trigger => ({ kind, at: iso(atMs), reason });
const pending = (kind: Trigger['kind'], atMs: number): PendingTrigger => coalesce(null, trigger(kind, atMs), 1);
const running: ActivePipeline = { pipelineId: 'controller-m/pipeline-1', startedAt: iso(T0 - 60_000), trigger: 'drift', state: 'running' };

describe('decide', () => {
  it('starts a manual trigger at once, whatever the debounce and cooldown', () => {
    const v = view({ lastFinishedAt: iso(T0 - 1000) });
    expect(decide(v, pending('manual', T0), T0)).toEqual({ action: 'start' });
  });

  it('waits out the debounce of an automatic trigger, measured from the latest one', () => {
    expect(decide(view(), pending('drift', T0), T0 + 10_000)).toEqual({ action: 'debounce', untilMs: T0 + 30_000 });
    expect(decide(view(), pending('drift', T0), T0 + 30_000)).toEqual({ action: 'start' });
  });

  it('suppresses an automatic trigger in the cooldown, naming its end', () => {
    const v = view({ lastFinishedAt: iso(T0), policy: policy({ debounceSeconds: 0 }) });
    expect(decide(v, pending('drift', T0 + 1000), T0 + 1000)).toEqual({ action: 'suppress', reason: `cooldown until ${iso(T0 + 600_000)}` });
    expect(decide(v, pending('newData', T0 + 600_000), T0 + 600_000)).toEqual({ action: 'start' });
  });

  it('queues any trigger while a pipeline runs or awaits approval', () => {
    expect(decide(view({ active: running }), pending('manual', T0), T0)).toEqual({ action: 'queue', behind: running.pipelineId });
    expect(decide(view({ active: { ...running, state: 'awaiting_approval' } }), pending('drift', T0), T0)).toEqual({ action: 'queue', behind: running.pipelineId });
  });

  it('refuses everything when paused or over budget, manual triggers included', () => {
    expect(decide(view({ policy: policy({ paused: true }) }), pending('manual', T0), T0)).toMatchObject({ action: 'suppress', reason: expect.stringMatching(/paused/) });
    const starts = [iso(T0 - 3600_000), iso(T0 - 60_000)];
    expect(decide(view({ recentStarts: starts }), pending('manual', T0), T0)).toEqual({
      action: 'suppress',
      reason: `budget spent: 2 of 2 pipelines in the last 24 h; the next slot frees at ${iso(T0 - 3600_000 + 24 * 3600_000)}`,
    });
    // A start older than 24 hours no longer counts.
    expect(decide(view({ recentStarts: [iso(T0 - 25 * 3600_000), iso(T0 - 60_000)] }), pending('manual', T0), T0)).toEqual({ action: 'start' });
    expect(decide(view({ policy: policy({ maxPipelinesPerDay: 0 }) }), pending('manual', T0), T0)).toMatchObject({ action: 'suppress', reason: expect.stringMatching(/^budget spent: 0 of 0/) });
  });
});

describe('status', () => {
  it('follows the pipeline, the pause, the debounce and the cooldown, in that order', () => {
    expect(statusOf({ ...view({ active: running }), pending: null }, T0)).toBe('running');
    expect(statusOf({ ...view({ active: { ...running, state: 'awaiting_approval' } }), pending: null }, T0)).toBe('awaiting_approval');
    expect(statusOf({ ...view({ policy: policy({ paused: true }) }), pending: null }, T0)).toBe('paused');
    expect(statusOf({ ...view(), pending: pending('drift', T0) }, T0 + 1000)).toBe('debouncing');
    expect(statusOf({ ...view({ lastFinishedAt: iso(T0) }), pending: null }, T0 + 1000)).toBe('cooldown');
    expect(statusOf({ ...view({ lastFinishedAt: iso(T0) }), pending: null }, T0 + 600_000)).toBe('idle');
  });

  it('never shows a cooldown end in the past', () => {
    const v = view({ lastFinishedAt: iso(T0) });
    expect(cooldownUntil(v, T0 + 1000)).toBe(iso(T0 + 600_000));
    expect(cooldownUntil(v, T0 + 600_000)).toBeNull();
    expect(cooldownUntil(view(), T0)).toBeNull();
  });
});

describe('coalescing', () => {
  it('merges triggers into one pending trigger that keeps every kind, the full reasons and the latest sequence number', () => {
    const long = 'x'.repeat(500);
    let p = coalesce(null, trigger('drift', T0, 'psi of length 0.4'), 1);
    p = coalesce(p, trigger('drift', T0 + 1000, long), 2);
    p = coalesce(p, trigger('newData', T0 + 2000, 'new feedback'), 3);
    expect(p).toMatchObject({ count: 3, kinds: { drift: 2, newData: 1 }, manual: false, firstAt: iso(T0), lastAt: iso(T0 + 2000), throughSeq: 3 });
    expect(p.reasons).toEqual(['drift: psi of length 0.4', `drift: ${long}`, 'newData: new feedback']);
    p = coalesce(p, trigger('manual', T0 + 3000, 'operator'), 4);
    expect(p.manual).toBe(true);
    expect(describeKinds(p)).toBe('manual + 2× drift + newData');
    expect(describePending(p)).toBe('manual + 2× drift + newData (operator)');
  });

  it('keeps the last ten reasons', () => {
    let p: PendingTrigger | null = null;
    for (let i = 0; i < 15; i++) p = coalesce(p, trigger('drift', T0 + i, `r${i}`), i + 1);
    expect(p!.count).toBe(15);
    expect(p!.reasons).toEqual(Array.from({ length: 10 }, (_, i) => `drift: r${i + 5}`));
  });
});
