/**
 * The engine pool (adapters/engine-pool/pool.ts) with real engines in real worker threads: Harper's real
 * WASM crash (the long-token guard turned off, so the texts reach it) replaces only its thread, a correction past the time limit stops its thread, a
 * correction that cannot get a thread in time is refused, readiness follows the threads, and pure
 * functions run off the event loop.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { EngineConfigError } from '../../core/engines';
import { EngineFailure, EnginePool, type PoolEvent } from '../../adapters/engine-pool/pool';
import { trainRuleModel } from '../../core/engines/rules';
import { waitFor } from '../support/wait';

const TEST_ENGINES = path.resolve(import.meta.dirname, 'fixtures/pool-test-engines.ts');
const config = loadConfig({});

describe('engine pool', () => {
  let pool: EnginePool;
  beforeAll(async () => {
    pool = new EnginePool({ threads: 2, timeoutMs: 30_000, config, warm: [{ engine: 'harper' }], modules: [TEST_ENGINES] });
    await waitFor('two warm threads', () => pool.status().readyThreads === 2, { timeoutMs: 120_000 });
  }, 180_000);
  afterAll(async () => {
    await pool?.close();
  });

  it('builds engines by name in its threads and answers as the engine does', async () => {
    expect(await pool.engineNames()).toEqual(expect.arrayContaining(['harper', 'rules', 'busy']));
    const harper = await pool.create('harper');
    expect(harper.name).toBe('harper');
    expect((await harper.correct('He go to school every days.', { reasonLanguage: 'en' })).corrected).toBe('He goes to school every days.');
    await harper.close();
  });

  it('builds a rules model sent as JSON, and refuses a bad configuration with EngineConfigError', async () => {
    const pairs = ['I went to store.', 'She ran to store today.', 'We drove to store early.'].map((source) => ({ source, target: source.replace('to store', 'to the store') }));
    const rules = await pool.create('rules', { model: trainRuleModel(pairs, { minCount: 2, minPrecision: 0.5, confidence: 0 }), modelVersion: '3' });
    const c = await rules.correct('We walked to store.');
    expect(c).toMatchObject({ corrected: 'We walked to the store.', engine: 'rules', modelVersion: '3' });
    await rules.close();
    await expect(pool.create('rules', {})).rejects.toThrow(EngineConfigError);
    await expect(pool.create('nope')).rejects.toThrow(/unknown engine "nope"/);
  });

  it('stops a correction past the time limit and replaces its thread; a queued one past the limit is refused', async () => {
    const quick = new EnginePool({ threads: 1, timeoutMs: 1500, config, modules: [TEST_ENGINES] });
    try {
      const busy = await quick.create('busy');
      const running = busy.correct('busy 60000');
      const queued = busy.correct('busy 10');
      const [r, q] = await Promise.all([running.catch((e) => e), queued.catch((e) => e)]);
      expect(r).toBeInstanceOf(EngineFailure);
      expect(r.kind).toBe('timeout');
      expect(q).toBeInstanceOf(EngineFailure);
      expect(q.kind).toBe('overloaded');
      expect(quick.counts).toMatchObject({ timeouts: 1, overloaded: 1 });
      // a fresh thread takes over and answers
      await waitFor('the replacement thread', () => quick.status().readyThreads === 1 && quick.counts.restarts === 1, { timeoutMs: 120_000 });
      expect((await busy.correct('busy 10')).corrected).toBe('busy 10');
    } finally {
      await quick.close();
    }
  });

  it("replaces the thread Harper's WASM crashes in: only that call fails, it is not ready meanwhile, later calls are served", async () => {
    // One thread, so both texts reach the same linter: 'a' × 2000 leaves it in the state in which
    // 'abcdefghij' × 200 makes it trap (RuntimeError: unreachable); every later call would fail.
    const single = new EnginePool({ threads: 1, timeoutMs: 120_000, segment: { maxTokenChars: 0 }, config, warm: [{ engine: 'harper' }] });
    const seen: PoolEvent[] = [];
    single.on((e) => seen.push(e));
    try {
      await waitFor('the warm thread', () => single.status().ready, { timeoutMs: 120_000 });
      const harper = await single.create('harper');
      expect((await harper.correct('a'.repeat(2000))).corrected).toBe('a'.repeat(2000));
      const crash = await harper.correct('abcdefghij'.repeat(200)).catch((e) => e);
      expect(crash).toBeInstanceOf(EngineFailure);
      expect(crash.kind).toBe('crash');
      expect(crash.message).toMatch(/RuntimeError: unreachable/);
      expect(seen).toContainEqual({ type: 'crash', engine: 'harper', detail: 'RuntimeError: unreachable' });
      // its only thread died: not ready until the replacement has built Harper
      const s = single.status();
      expect(s).toMatchObject({ ready: false, crashes: 1 });
      expect(s.reason).toMatch(/no engine thread can correct/);
      // a call made now waits for the new thread (with a fresh linter) and is answered
      expect((await harper.correct('She go home.')).corrected).toBe('She goes home.');
      expect(single.status()).toMatchObject({ ready: true, restarts: 1 });
      expect(seen).toContainEqual({ type: 'restart' });
    } finally {
      await single.close();
    }
    expect(single.status()).toMatchObject({ ready: false, reason: 'the engine pool is closed' });
    await expect(single.create('harper')).rejects.toMatchObject({ kind: 'closed' });
  });

  it('runs pure functions of a module in its threads, with plain data in and out', async () => {
    const bootstrap = pool.functions<typeof import('../../core/eval/bootstrap')>(new URL('../../core/eval/bootstrap.ts', import.meta.url));
    const sources = ['a b c d e', 'f g h i j', 'k l m n o'];
    const r = await bootstrap.pairedBootstrap({ sources, references: [sources], a: sources, b: ['x y z', 'f g h i j', 'q'], samples: 50, seed: 1 });
    expect(r.samples).toBe(50);
    expect(r.delta).toBeGreaterThan(0);
    const missing = pool.functions<Record<string, () => void>>(new URL('../../core/eval/bootstrap.ts', import.meta.url));
    await expect(missing.nope()).rejects.toThrow(/exports no function nope/);
  });
});
