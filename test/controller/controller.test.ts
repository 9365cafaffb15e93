/**
 * The RetrainingController's behaviour on the local Temporal dev server, with the pipeline's
 * activities stubbed (test/controller/support.ts) and policy durations of seconds: updates and
 * their validators, debounce, cooldown, budget, approval, coalescing, refused signals and
 * continue-as-new. Each case uses its own model, so its own controller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControllerClient } from '../../client/controller';
import { RefusedError } from '../../client/errors';
import type { ControllerState, PolicyPatch } from '../../contracts/controller';
import { waitFor } from '../support/wait';
import { type ControllerHarness, startControllerHarness } from './support';

const QUICK: PolicyPatch = { debounceSeconds: 0, cooldownSeconds: 0, maxPipelinesPerDay: 10, approvalRequired: false };
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/histories');

describe('retraining controller (local dev server, stubbed activities)', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness();
  }, 240_000);
  afterAll(async () => {
    await h?.stop();
  });

  const controller = async (model: string, policy: PolicyPatch, continueAsNewAfterEvents?: number) => {
    const c = new ControllerClient(h.ctx, model);
    await c.ensureStarted({ policy, continueAsNewAfterEvents });
    return c;
  };
  const until = (c: ControllerClient, what: string, ok: (s: ControllerState) => boolean) =>
    waitFor(what, async () => {
      const s = await c.state();
      return ok(s) ? s : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
  const idleAfter = (c: ControllerClient, n: number) => until(c, `idle after ${n} pipelines`, (s) => s.pipelinesStarted === n && !s.active && !s.pending);

  it('retrainNow answers with the pipeline it started; the champion is read from MLflow when deciding', async () => {
    const c = await controller('m-now', QUICK);
    const answer = await c.retrainNow({ reason: 'first champion', source: 'test' });
    expect(answer).toMatchObject({ outcome: 'started', pipelineId: expect.stringMatching(/^controller-m-now\/pipeline-1-/) });
    const s = await idleAfter(c, 1);
    expect(s).toMatchObject({ status: 'idle', promotions: 1, cooldownUntil: null, champion: { version: '1' } });
    // Promoted behind the controller's back (another pipeline, a rollback): the next decision reads it.
    h.rejectNext('m-now');
    await c.retrainNow({ reason: 'again' });
    const after = await idleAfter(c, 2);
    expect(after.champion?.version).toBe('1');
    expect((await c.history()).map((e) => e.kind)).toEqual(['trigger', 'started', 'finished', 'trigger', 'started', 'finished']);
  });

  it('debounce: a burst of drift signals starts one pipeline once the signals stop', async () => {
    const c = await controller('m-debounce', { ...QUICK, debounceSeconds: 2 });
    for (let i = 0; i < 3; i++) await c.driftDetected({ reason: `psi burst ${i}` });
    expect((await c.state()).status).toBe('debouncing');
    const s = await idleAfter(c, 1);
    expect(s.pipelinesStarted).toBe(1);
    const started = (await c.history()).find((e) => e.kind === 'started');
    expect(started?.detail).toBe('pipeline for 3× drift (psi burst 2)');
  });

  it('cooldown: automatic triggers in it start nothing; manual ones do; its end is never shown in the past', async () => {
    const c = await controller('m-cooldown', { ...QUICK, cooldownSeconds: 4 });
    await c.retrainNow({ reason: 'start' });
    const s = await idleAfter(c, 1);
    expect(s.status).toBe('cooldown');
    expect(Date.parse(s.cooldownUntil!)).toBeGreaterThan(Date.now() - 1000);
    await c.driftDetected({ reason: 'drift in the cooldown' });
    await waitFor('the cooldown refusal', async () => (await c.history()).find((e) => e.kind === 'suppressed'));
    expect((await c.history()).find((e) => e.kind === 'suppressed')?.detail).toMatch(/^drift \(drift in the cooldown\): no pipeline \(cooldown until \d{4}-/);
    // A manual trigger skips the cooldown.
    await c.retrainNow({ reason: 'operator knows better' });
    await idleAfter(c, 2);
    // Once it has passed, the state says idle and shows no end time.
    const later = await until(c, 'the cooldown to end', (x) => x.status === 'idle');
    expect(later.cooldownUntil).toBeNull();
    const d = await c.handle.describe();
    expect((d.searchAttributes as Record<string, unknown[]>).ControllerState).toEqual(['idle']);
  });

  it('budget: over it, retrainNow is refused by the validator and drift is suppressed, with the reason', async () => {
    const c = await controller('m-budget', { ...QUICK, maxPipelinesPerDay: 1 });
    await c.retrainNow({ reason: 'the one of today' });
    await idleAfter(c, 1);
    const err = await c.retrainNow({ reason: 'one more' }).catch((e) => e);
    expect(err).toBeInstanceOf(RefusedError);
    expect(err.message).toMatch(/^no retraining: budget spent: 1 of 1 pipelines in the last 24 h; the next slot frees at /);
    await c.driftDetected({ reason: 'drift over budget' });
    await waitFor('the budget refusal', async () => (await c.history()).find((e) => e.kind === 'suppressed' && /budget spent/.test(e.detail)));
    expect((await c.state()).pipelinesStarted).toBe(1);
  });

  it('approval: the controller shows awaiting_approval; triggers meanwhile coalesce into one and run after it', async () => {
    const c = await controller('m-approval', { ...QUICK, cooldownSeconds: 3600, approvalRequired: true });
    const first = await c.retrainNow({ reason: 'needs a human' });
    expect(first.outcome).toBe('started');
    await until(c, 'awaiting approval', (s) => s.status === 'awaiting_approval');
    await c.driftDetected({ reason: 'drift while waiting' });
    await c.newDataAvailable({ reason: 'feedback while waiting' });
    const queued = await c.retrainNow({ reason: 'and retrain after it' });
    expect(queued).toEqual({ outcome: 'queued', behind: (first as { pipelineId: string }).pipelineId, pending: 3 });
    const s = await c.state();
    expect(s.status).toBe('awaiting_approval');
    expect(s.pending).toMatchObject({ count: 3, kinds: { drift: 1, newData: 1, manual: 1 }, manual: true });
    expect((await c.history()).filter((e) => e.kind === 'queued')).toHaveLength(3);

    const approved = await c.approve({ approved: true, reviewer: 'kim' });
    expect(approved).toEqual({ pipelineId: (first as { pipelineId: string }).pipelineId, answer: 'approved by kim' });
    // The coalesced trigger has a manual part: it skips the cooldown and starts the second pipeline.
    const second = await until(c, 'the second pipeline to await approval', (x) => x.pipelinesStarted === 2 && x.status === 'awaiting_approval');
    expect(second.pending).toBeNull();
    expect((await c.history()).filter((e) => e.kind === 'started').at(-1)?.detail).toBe('pipeline for manual + drift + newData (and retrain after it)');
    await c.approve({ approved: false, reviewer: 'kim', comment: 'enough for today' });
    const done = await idleAfter(c, 2);
    expect(done).toMatchObject({ promotions: 1, champion: { version: '1' }, status: 'cooldown' });
    expect((await c.history()).at(-1)?.detail).toMatch(/^v2 not promoted: .*rejected by kim: enough for today/);
    // Nothing to approve now.
    await expect(c.approve({ approved: true, reviewer: 'kim' })).rejects.toThrow(/^nothing to approve: controller-m-approval runs no pipeline$/);

    if (process.env.RECORD_HISTORIES === '1') {
      mkdirSync(FIXTURES, { recursive: true });
      // Named after the workflow id ('/' as '__'), which replay needs.
      writeFileSync(path.join(FIXTURES, 'controller-m-approval.json'), historyToJSON(await c.handle.fetchHistory()));
      const pipelineId = (first as { pipelineId: string }).pipelineId;
      writeFileSync(path.join(FIXTURES, `${pipelineId.replace(/\//g, '__')}.json`), historyToJSON(await h.ctx.temporal.workflow.getHandle(pipelineId).fetchHistory()));
    }
  });

  it('a pipeline that runs when triggers arrive: they wait, coalesced, and are decided when it ends', async () => {
    const c = await controller('m-running', { ...QUICK, cooldownSeconds: 3600 });
    h.hold('m-running');
    await c.retrainNow({ reason: 'long run' });
    await until(c, 'running', (s) => s.status === 'running');
    await c.driftDetected({ reason: 'drift 1' });
    await c.driftDetected({ reason: 'drift 2' });
    expect((await c.state()).pending).toMatchObject({ count: 2, kinds: { drift: 2 } });
    h.release('m-running');
    await idleAfter(c, 1);
    // Automatic triggers face the cooldown after the pipeline: recorded, not lost.
    expect((await c.history()).find((e) => e.kind === 'suppressed')?.detail).toMatch(/^2× drift \(drift 2\): no pipeline \(cooldown until/);
  });

  it('refuses invalid updates with the validator\'s reason, and records invalid or unknown signals in the state', async () => {
    const c = await controller('m-invalid', QUICK);
    await expect(c.retrainNow({ reason: '' })).rejects.toThrow(/^invalid retrain request: reason: reason must not be empty$/);
    await expect(c.retrainNow({ reason: 'x', bogus: 1 } as never)).rejects.toThrow(/^invalid retrain request: \(input\): Unrecognized key: "bogus"$/);
    await expect(c.setPolicy({ cooldownSeconds: -5 })).rejects.toThrow(/^invalid policy: cooldownSeconds: cooldownSeconds must be ≥ 0$/);
    await expect(c.setPolicy({})).rejects.toThrow(/^setPolicy needs at least one field$/);
    await expect(c.setPolicy({ paused: true })).resolves.toMatchObject({ paused: true });
    await expect(c.retrainNow({ reason: 'while paused' })).rejects.toThrow(/^no retraining: the controller is paused/);

    // Raw signals, as any Temporal client can send them (the typed client refuses these itself).
    const raw = c.handle;
    await raw.signal('retrainRequested', { bogus: 1 });
    await raw.signal('driftDetected', null);
    await raw.signal('newDataAvailable', 'retrain please');
    await raw.signal('retrainRequested', { reason: '   ' });
    await raw.signal('retrainRequest', { reason: 'typo in the name' });
    const s = await until(c, 'five refusals', (x) => x.refused.length === 5);
    expect(s.refused.map((r) => [r.name, r.reason])).toEqual([
      ['retrainRequested', expect.stringMatching(/reason is required.*Unrecognized key: "bogus"|Unrecognized key: "bogus".*reason is required/)],
      ['driftDetected', expect.stringMatching(/expected object, received null/)],
      ['newDataAvailable', expect.stringMatching(/expected object, received string/)],
      ['retrainRequested', 'reason: reason must not be empty'],
      ['retrainRequest', 'unknown signal (this controller takes driftDetected, retrainRequested, newDataAvailable)'],
    ]);
    expect(s.refused[0].payload).toBe('{"bogus":1}');
    expect(s.pipelinesStarted).toBe(0);
    expect((await c.history()).filter((e) => e.kind === 'refused')).toHaveLength(5);
  });

  it('setPolicy and retrainNow start the controller when it does not exist yet (update with start)', async () => {
    const c = new ControllerClient(h.ctx, 'm-fresh');
    const policy = await c.setPolicy({ debounceSeconds: 0, cooldownSeconds: 0 });
    expect(policy).toMatchObject({ debounceSeconds: 0, cooldownSeconds: 0, maxPipelinesPerDay: 4 });
    const other = new ControllerClient(h.ctx, 'm-fresh-2');
    expect(await other.retrainNow({ reason: 'from nothing' })).toMatchObject({ outcome: 'started' });
    await idleAfter(other, 1);
  });

  it('continues as new when idle with a long history, keeping its state and history', async () => {
    const c = await controller('m-can', QUICK, 20);
    await c.retrainNow({ reason: 'before' });
    const before = await idleAfter(c, 1);
    const historyBefore = await c.history();
    const after = await until(c, 'continue-as-new', (s) => s.generation >= 1);
    expect(after).toMatchObject({ pipelinesStarted: 1, promotions: 1, champion: { version: '1' }, policy: before.policy });
    const history = await c.history();
    expect(history.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(history.at(-1)?.kind).toBe('continued');
    // The new run takes triggers as the old one did.
    expect(await c.retrainNow({ reason: 'after' })).toMatchObject({ outcome: 'started', pipelineId: expect.stringMatching(/pipeline-2-/) });
    await idleAfter(c, 2);
  });
});
