/**
 * Serving benchmark: throughput and client-side p50/p99 latency of POST /v1/corrections on the
 * offline engine (the registry champion: Harper + learnt rules), with the API in its own process
 * started by the stack code, N closed-loop clients each sending unique texts; meanwhile GET
 * /healthz every 100 ms, whose latency says whether corrections hold up the API's event loop
 * (they run in its engine threads: ENGINE_THREADS, default the cores). Then the safety layer's own
 * cost per text (in-process: screenText vs the model's correct()) — the overhead it adds to each
 * request. Prints Markdown with the machine and its load. Results belong in docs/benchmarks.md,
 * never in test assertions.
 *   npx tsx bench/serve.bench.ts [seconds per level=10] [concurrency=1,8,32]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCorrector } from '../core/engines';
import { registerOfflineEngines } from '../adapters/offline-engines';
import { loadAlias } from '../adapters/mlflow-models';
import { endpoints } from '../config';
import { safetyPolicy, screenText } from '../serve/safety';
import { startTestStack } from '../test/support/stack';
import { registerRulesVersion } from '../test/serve/support';
import { MlflowClient } from '../adapters/mlflow';
import { machine, quantile } from './machine';
import { JFLEG_DIR } from '../config/paths';

const seconds = Number(process.argv[2] ?? 10);
const levels = (process.argv[3] ?? '1,8,32').split(',').map(Number);
const jfleg = path.join(JFLEG_DIR, 'dev.src');
// JFLEG dev sources, detokenized a little so they read like pasted text.
const sentences = readFileSync(process.env.JFLEG_SRC ?? jfleg, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => l.replace(/ ([.,!?;:])/g, '$1').replace(/ n't/g, "n't").replace(/ '([sm]|re|ve|ll|d)\b/g, "'$1").trim());

console.log(`# Serving API\n\n${machine()} (at start)\n`);
console.log(`${sentences.length} JFLEG dev sentences made unique per request, ${seconds} s per level, API in its own process (engine threads: ${process.env.ENGINE_THREADS ?? `default = ${os.availableParallelism()} cores`}), PGlite, champion = rules model (Harper + learnt rules)\n`);

const ts = await startTestStack(['database', 'mlflow'], { API_RATE_LIMIT: '100000000', LOG_LEVEL: 'warn' });
const mlflow = new MlflowClient(endpoints(ts.config).mlflowUrl);
const version = await registerRulesVersion(mlflow, ts.config.mlflowModelName, 'bench-serve');
process.env.LOG_LEVEL = 'warn';
await ts.stack.up(['api']);
const url = endpoints(ts.config).apiUrl;

try {
  const ready = (await (await fetch(`${url}/readyz`)).json()) as { model: { modelVersion: string } };
  if (ready.model.modelVersion !== version) throw new Error(`API serves ${ready.model.modelVersion}, expected ${version}`);
  // Every request's text is unique ("Note 17: …"), so Harper's per-text lint cache never answers.
  let next = 0;
  const uniqueText = () => `Note ${next}: ${sentences[next++ % sentences.length]}`;
  for (let i = 0; i < 100; i++) await post(`Warm-up ${i}: ${sentences[i]}`); // JIT, DB pool

  console.log('| clients | requests | req/s | p50 ms | p99 ms | server latencyMs p50 | errors | /healthz p50 / p99 / max ms | load at end |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of levels) {
    const lat: number[] = [];
    const server: number[] = [];
    const errors = new Map<string, number>();
    const end = performance.now() + seconds * 1000;
    const t0 = performance.now();
    // /healthz every 100 ms while the clients correct
    const health: number[] = [];
    const healthLoop = (async () => {
      while (performance.now() < end) {
        const s = performance.now();
        await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
        health.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.all(
      Array.from({ length: n }, async () => {
        while (performance.now() < end) {
          const text = uniqueText();
          const s = performance.now();
          const r = await post(text);
          lat.push(performance.now() - s);
          if (r.ok) server.push(r.latencyMs);
          else errors.set(r.code, (errors.get(r.code) ?? 0) + 1);
        }
      }),
    );
    await healthLoop;
    const elapsed = (performance.now() - t0) / 1000;
    const errorText = errors.size ? [...errors].map(([c, k]) => `${k} ${c}`).join(', ') : '0';
    const h = `${quantile(health, 0.5).toFixed(1)} / ${quantile(health, 0.99).toFixed(1)} / ${Math.max(...health).toFixed(1)}`;
    console.log(`| ${n} | ${lat.length} | ${(lat.length / elapsed).toFixed(1)} | ${quantile(lat, 0.5).toFixed(1)} | ${quantile(lat, 0.99).toFixed(1)} | ${quantile(server, 0.5).toFixed(2)} | ${errorText} | ${h} | ${os.loadavg()[0].toFixed(1)} |`);
  }

  // The safety layer alone vs the model alone, in this process, on the same texts.
  const loaded = (await loadAlias(mlflow, ts.config.mlflowModelName, 'champion', undefined, ts.config))!;
  const policy = safetyPolicy(ts.config);
  const withPii = sentences.slice(0, 200).map((s, i) => (i % 2 ? `${s} Mail me at user${i}@example.com or call 010-1234-${String(1000 + i)}.` : s));
  const time = async (label: string, texts: string[], f: (t: string) => unknown) => {
    for (const t of texts.slice(0, 50)) await f(`Warm-up: ${t}`); // other texts: the lint cache must not answer
    const s = performance.now();
    for (const t of texts) await f(t);
    return { label, us: ((performance.now() - s) * 1000) / texts.length };
  };
  const rows = [
    await time('safety layer (screenText), JFLEG dev', sentences, (t) => screenText(t, policy)),
    await time('safety layer, half the texts with email + phone', withPii, (t) => screenText(t, policy)),
    await time('model correct() (champion v' + version + ')', sentences.slice(0, 300), (t) => loaded.corrector.correct(t, { reasonLanguage: 'ko' })),
  ];
  registerOfflineEngines(ts.config);
  const harper = await createCorrector('harper');
  rows.push(await time('Harper alone correct()', sentences.slice(0, 300), (t) => harper.correct(t, { reasonLanguage: 'ko' })));
  console.log('\n| step | µs per text |\n| --- | ---: |');
  for (const r of rows) console.log(`| ${r.label} | ${r.us.toFixed(0)} |`);
  console.log(`\nsafety overhead: ${((rows[0].us / rows[2].us) * 100).toFixed(1)}% of the model's time per request (${(rows[0].us / 1000).toFixed(2)} ms)`);
  await harper.close?.();
  await loaded.corrector.close?.();
} finally {
  await ts.stack.down(['api']); // started after the test stack, so its stop() does not know it
  await ts.stop();
}

async function post(text: string): Promise<{ ok: boolean; latencyMs: number; code: string }> {
  const res = await fetch(`${url}/v1/corrections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, reasonLanguage: 'ko' }) });
  const body = (await res.json()) as { latencyMs: number; error?: { code: string } };
  return { ok: res.ok, latencyMs: body.latencyMs, code: body.error?.code ?? String(res.status) };
}
