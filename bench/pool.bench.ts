/**
 * The engine pool's own cost and gain, without HTTP or a database: Harper on unique JFLEG dev
 * sentences (a) in this thread, as before the pool, (b) in the pool one call at a time (the
 * overhead per call: messages to and from the thread, structured clone of the correction), and
 * (c) in the pool with as many calls in flight as it has threads, for 1 … N threads (throughput);
 * and how long this thread's event loop stalls meanwhile (a 5 ms timer's worst lateness).
 *   npx tsx bench/pool.bench.ts [sentences=400] [threads=1,2]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { createCorrector } from '../core/engines';
import { registerOfflineEngines } from '../adapters/offline-engines';
import { EnginePool } from '../adapters/engine-pool/pool';
import type { Corrector } from '../core/engines/types';
import { detokenize } from '../core/text/tokenize';
import { machine, quantile } from './machine';
import { JFLEG_DIR } from '../config/paths';

const count = Number(process.argv[2] ?? 400);
const threadCounts = (process.argv[3] ?? '1,2').split(',').map(Number);
const src = readFileSync(process.env.JFLEG_SRC ?? path.join(JFLEG_DIR, 'dev.src'), 'utf8').split('\n').filter((l) => l.trim()).map(detokenize);
let serial = 0;
/** Unique texts, so no cache answers: "Note 17: …". */
const texts = (n: number) => Array.from({ length: n }, (_, i) => `Note ${serial++}: ${src[i % src.length]}`);

/** Worst lateness of a 5 ms timer while `work` runs: how long this event loop was blocked. */
async function withLoopProbe<T>(work: () => Promise<T>): Promise<{ value: T; worstStallMs: number }> {
  let worst = 0;
  let expected = performance.now() + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + 5;
  }, 5);
  try {
    const value = await work();
    await new Promise((r) => setTimeout(r, 20)); // let the timer see a loop that was blocked until now
    return { value, worstStallMs: worst };
  } finally {
    clearInterval(timer);
  }
}

async function run(corrector: Corrector, inFlight: number): Promise<{ perSecond: number; p50: number; p99: number; worstStallMs: number }> {
  const batch = texts(count);
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const { worstStallMs } = await withLoopProbe(() =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < batch.length) {
          const text = batch[next++];
          const s = performance.now();
          await corrector.correct(text);
          latencies.push(performance.now() - s);
        }
      }),
    ),
  );
  return { perSecond: batch.length / ((performance.now() - t0) / 1000), p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), worstStallMs };
}

console.log(`# Engine pool: Harper on ${count} unique JFLEG dev sentences per row\n\n${machine()} (at start)\n`);
console.log('| where | calls in flight | sentences/s | p50 ms | p99 ms | worst event-loop stall here |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const row = (where: string, n: number, r: Awaited<ReturnType<typeof run>>) =>
  console.log(`| ${where} | ${n} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.worstStallMs.toFixed(0)} ms |`);

registerOfflineEngines(loadConfig());
const local = await createCorrector('harper');
await run(local, 1); // warm-up: JIT, dictionary
row('this thread (no pool)', 1, await run(local, 1));
await local.close?.();

for (const threads of threadCounts) {
  const pool = EnginePool.fromConfig(loadConfig(), { threads, warm: [{ engine: 'harper' }] });
  const harper = await pool.create('harper');
  while (pool.status().readyThreads < threads) await new Promise((r) => setTimeout(r, 100));
  await run(harper, threads); // warm-up of every thread
  row(`pool, ${threads} thread${threads > 1 ? 's' : ''}`, 1, await run(harper, 1));
  if (threads > 1) row(`pool, ${threads} threads`, threads, await run(harper, threads));
  await pool.close();
}
console.log(`\nload at end: ${machine().replace(/.*load /, '')}`);
