/**
 * The serving API's engines under hostile input, on a real database, MLflow, champion and engine
 * pool (issue 11, item 5):
 *  - the two requests that used to crash Harper's WASM for good, 100 generated hostile texts
 *    (long tokens, control characters, mixed scripts), then a normal sentence: every answer is a
 *    correction, a fallback or a clear 4xx/503, the normal sentence is corrected, and /readyz
 *    (polled all along) was truthful;
 *  - the same crash with the long-token guard off and one engine thread: only the crashing
 *    request fails (503), /readyz says not ready while the thread is replaced, the next request
 *    is corrected;
 *  - /healthz answers in under 100 ms while a slow correction runs; a correction past the time
 *    limit is a 503, its thread is replaced, and the counters and the dashboard show it.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits } from '../../core/engines';
import type { ServingApi } from '../../serve/server';
import { post, registerRulesVersion, type ServeHarness, startServeHarness } from './support';

const TEST_ENGINES = path.resolve(import.meta.dirname, '../engines/fixtures/pool-test-engines.ts');
const CRASHERS = ['a'.repeat(2000), 'abcdefghij'.repeat(200)];
/** The champion (rules learnt from STORE_PAIRS, over Harper) inserts the missing article. */
const NORMAL = { text: 'We walked to store after lunch.', corrected: 'We walked to the store after lunch.' };

let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
  await registerRulesVersion(h.mlflow, h.config.mlflowModelName, 'engines-test');
}, 240_000);
afterAll(async () => h?.stop(), 120_000);

interface Probe {
  sentAt: number;
  at: number;
  status: number;
  ready: boolean;
  reason: string | null;
}

/** Polls /readyz every 50 ms until stopped. */
function pollReadiness(url: string) {
  const probes: Probe[] = [];
  let running = true;
  const probe = async () => {
    const sentAt = performance.now();
    const res = await fetch(`${url}/readyz`);
    const body = (await res.json()) as { status: string; reason?: string };
    probes.push({ sentAt, at: performance.now(), status: res.status, ready: body.status === 'ready', reason: body.reason ?? null });
  };
  const loop = (async () => {
    while (running) {
      await probe();
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    probes,
    /** One probe now, beside whatever the poller sends (so every request has one, however fast it is). */
    probe,
    async stop() {
      running = false;
      await loop;
      return probes;
    },
  };
}

interface Answer {
  text: string;
  sentAt: number;
  at: number;
  status: number;
  requestId: string | null;
  json: any;
}

async function send(url: string, text: string): Promise<Answer> {
  const sentAt = performance.now();
  const r = await post(`${url}/v1/corrections`, { text, reasonLanguage: 'en' });
  return { text, sentAt, at: performance.now(), status: r.status, requestId: r.headers.get('x-request-id'), json: r.json };
}

/** A correction (maybe a fallback), a clear 4xx, or a clear 503 from the engines: nothing else. */
function expectAcceptable(a: Answer) {
  const where = `${JSON.stringify(a.text.slice(0, 60))} → ${a.status} ${JSON.stringify(a.json).slice(0, 300)}`;
  if (a.status === 200) {
    expect(typeof a.json.corrected, where).toBe('string');
    expect(typeof a.json.fallback, where).toBe('boolean');
    expect(applyEdits(a.json.input, a.json.edits), where).toBe(a.json.corrected);
  } else if (a.status >= 400 && a.status < 500) {
    expect(a.json?.error?.code, where).toMatch(/^[a-z_]+$/);
    expect(a.json.error.message.length, where).toBeGreaterThan(10);
  } else {
    expect(a.status, where).toBe(503);
    expect(a.json?.error?.code, where).toMatch(/^engine_(crashed|timeout|busy)$/);
  }
}

/** 100 hostile texts: long tokens, control characters, mixed scripts, and all of them mixed. */
function hostileTexts(): string[] {
  const longToken = fc.string({ minLength: 65, maxLength: 2500, unit: fc.constantFrom('a', 'b', 'x', 'abcdefghij', '0', '/', '=', '.', '-', '_') });
  const control = fc.string({ minLength: 1, maxLength: 40, unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)) });
  const script = fc.constantFrom('He go to school every days.', '나는 학생 입니다.', 'Это очень хорошо', 'مرحبا بالعالم', '这是一个句子', '😀👍🏽', 'e\u0301\u0308\u0323', '\u202eevil\u202c', 'a\u200db\u200c', 'ｆｕｌｌｗｉｄｔｈ', '\t\n', '\u00a0\u3000');
  const mixed = fc.array(fc.oneof(longToken, control, script, fc.string({ maxLength: 30 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(' '));
  return fc.sample(fc.oneof(longToken, control, mixed, script), { numRuns: 100, seed: 20251130 });
}

describe('hostile input to the serving API', () => {
  it('answers the crashing requests, 100 hostile texts and a normal sentence acceptably, and /readyz is truthful throughout', async () => {
    const api: ServingApi = await h.startApi({ API_RATE_LIMIT: '100000' });
    const readiness = pollReadiness(api.url);
    const answers: Answer[] = [];
    for (const text of [...CRASHERS, ...hostileTexts()]) answers.push((await Promise.all([send(api.url, text), readiness.probe()]))[0]);
    const normal = await send(api.url, NORMAL.text);
    const probes = await readiness.stop();

    expect(answers).toHaveLength(102);
    const tally = new Map<string, number>();
    for (const a of answers) {
      const key = a.status === 200 ? `200${a.json.fallback ? ' fallback' : ''}` : `${a.status} ${a.json?.error?.code}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    console.log(`102 hostile requests: ${[...tally].map(([k, n]) => `${n}× ${k}`).join(', ')}; ${probes.length} /readyz probes, ${probes.filter((p) => !p.ready).length} not ready`);
    for (const a of answers) expectAcceptable(a);
    // The long-token guard passes both crashers through untouched: no engine ever crashed.
    for (const a of answers.slice(0, 2)) expect(a).toMatchObject({ status: 200, json: { corrected: a.text, edits: [], fallback: false } });
    expect(normal).toMatchObject({ status: 200, json: { corrected: NORMAL.corrected, fallback: false, engine: 'ensemble' } });
    const statuses = new Set(answers.map((a) => a.status));
    expect(statuses.has(200) && [...statuses].some((s) => s >= 400 && s < 500)).toBe(true);

    // Truthful: every probe is a well-formed answer; with no engine failure, the engines never
    // stopped being able to correct, so every probe said ready (before, during and after).
    const failures = answers.filter((a) => a.status === 503);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE correctly_engine_crashes_total counter');
    if (!failures.length) expect(metrics).not.toMatch(/^correctly_engine_(crashes|timeouts)_total\{/m);
    expect(probes.length).toBeGreaterThan(102); // one beside each request, and the poller's
    for (const p of probes) expect([200, 503]).toContain(p.status);
    if (!failures.length) expect(probes.filter((p) => !p.ready)).toEqual([]);
    expect(probes.at(-1)!.ready).toBe(true);
  }, 600_000);

  it("without the long-token guard, Harper's crash fails only its request; /readyz says not ready until the thread is replaced", async () => {
    // One engine thread and no guard: the two texts reach the same Harper linter, which traps.
    const api = await h.startApi({ API_RATE_LIMIT: '100000', ENGINE_THREADS: '1', ENGINE_MAX_TOKEN_CHARS: '0', ENGINE_TIMEOUT: '120s' });
    const readiness = pollReadiness(api.url);
    await new Promise((r) => setTimeout(r, 300));
    const first = await send(api.url, CRASHERS[0]);
    const crash = await send(api.url, CRASHERS[1]);
    const normal = await send(api.url, NORMAL.text);
    await new Promise((r) => setTimeout(r, 300));
    const probes = await readiness.stop();

    expect(first).toMatchObject({ status: 200, json: { corrected: CRASHERS[0] } });
    expect(crash.status).toBe(503);
    expect(crash.json.error).toMatchObject({ code: 'engine_crashed', type: 'server_error' });
    expect(crash.json.error.message).toMatch(/RuntimeError: unreachable.*thread was replaced.*try again/);
    // the request after it is served normally, by the champion, on a fresh thread
    expect(normal).toMatchObject({ status: 200, json: { corrected: NORMAL.corrected, fallback: false } });

    // Truthful: ready while the thread lived (before the crash); not ready, with the reason, while
    // its replacement was starting (the only thread was gone); ready again once it corrected.
    const before = probes.filter((p) => p.at < crash.sentAt);
    expect(before.length).toBeGreaterThan(2);
    expect(before.every((p) => p.ready)).toBe(true);
    const gap = probes.filter((p) => p.sentAt > crash.at && p.at < normal.at && !p.ready);
    expect(gap.length).toBeGreaterThan(0);
    expect(gap.every((p) => p.status === 503 && /no engine thread can correct/.test(p.reason ?? ''))).toBe(true);
    expect(probes.filter((p) => p.sentAt > normal.at).every((p) => p.ready)).toBe(true);

    // Counted, and the failed request is stored as a fallback that no engine answered.
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/correctly_engine_crashes_total\{engine="ensemble"\} 1/);
    expect(metrics).toMatch(/correctly_engine_restarts_total 1/);
    const [row] = await h.db.query('select engine, fallback, output from serving_request where id = $1', [crash.requestId]);
    expect(row).toMatchObject({ engine: 'unavailable', fallback: true, output: CRASHERS[1] });
  }, 600_000);
});

describe('a slow correction', () => {
  let api: ServingApi;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  beforeAll(async () => {
    // The test engine `busy` keeps its engine thread's CPU busy as long as its text says.
    api = await h.startApi({ API_RATE_LIMIT: '100000', MLFLOW_MODEL_NAME: 'engines-test-no-champion', SERVE_ENGINE: 'busy', ENGINE_MODULES: TEST_ENGINES, ENGINE_THREADS: '1', ENGINE_TIMEOUT: '8s' });
  }, 120_000);

  it('does not hold up /healthz, which answers in under 100 ms while the correction runs', async () => {
    const t0 = performance.now();
    const slow = send(api.url, 'busy 3000');
    await sleep(200);
    const latencies: number[] = [];
    while (performance.now() - t0 < 2600) {
      const s = performance.now();
      const r = await fetch(`${api.url}/healthz`);
      expect(await r.json()).toEqual({ status: 'ok' });
      latencies.push(performance.now() - s);
      await sleep(50);
    }
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, json: { corrected: 'busy 3000', engine: 'busy' } });
    // it really was slow, and every /healthz above was answered while it ran
    expect(answer.at - t0).toBeGreaterThanOrEqual(3000);
    expect(latencies.length).toBeGreaterThan(10);
    console.log(`/healthz during a 3 s correction: ${latencies.map((l) => l.toFixed(1)).join(', ')} ms`);
    for (const l of latencies) expect(l).toBeLessThan(100);
  }, 60_000);

  it('answers a correction past ENGINE_TIMEOUT with a 503, replaces the thread, and counts it; the next one is served', async () => {
    const t0 = performance.now();
    const late = await send(api.url, 'busy 60000');
    expect(late.status).toBe(503);
    expect(late.json.error.code).toBe('engine_timeout');
    expect(late.json.error.message).toMatch(/did not finish within 8000 ms/);
    expect(late.at - t0).toBeLessThan(30_000);
    const next = await send(api.url, 'busy 10');
    expect(next).toMatchObject({ status: 200, json: { corrected: 'busy 10' } });

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/correctly_engine_timeouts_total\{engine="busy"\} 1/);
    expect(metrics).toMatch(/correctly_engine_restarts_total 1/);
    expect(metrics).toMatch(/correctly_engine_threads\{state="ready"\} 1/);
    const dashboard = (await (await fetch(`${api.url}/v1/dashboard`)).json()) as { engines: Record<string, unknown>; totals: { fallbackRate: number; unavailableRate: number } };
    expect(dashboard.engines).toMatchObject({ ready: true, timeouts: 1, restarts: 1, crashes: 0 });
    // the database is shared by this file's APIs: the crash and this timeout are both in it
    expect(dashboard.totals.unavailableRate).toBeGreaterThan(0);
    expect(dashboard.totals.fallbackRate).toBeGreaterThanOrEqual(dashboard.totals.unavailableRate);
  }, 120_000);
});
