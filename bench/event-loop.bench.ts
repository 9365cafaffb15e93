/**
 * How long CPU-bound activity work blocks the worker's event loop (the loop that also completes
 * workflow tasks and answers queries), during a whole pipeline on the real local stack with one
 * in-process CPU worker:
 *   - a 10 ms timer measures every stall of the main thread longer than 50 ms; each stall is
 *     attributed to the activities running at that moment (from the workflow histories);
 *   - a client queries the pipeline's progress every 500 ms and records how long the answer takes
 *     (a query is a workflow task: it waits behind a blocked loop);
 *   - the Temporal core's warnings are forwarded to this process and counted:
 *     `TMPRL1104 Workflow task duration exceeded 5 seconds`.
 * Prints Markdown (docs/benchmarks.md, "Engines off the event loop").
 *   npx tsx bench/event-loop.bench.ts [samples=400] [jflegLimit=0 (all 754)]
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pipelineTimeline } from '../test/support/history';
import { startPipelineHarness } from '../test/support/pipeline';
import { machine, quantile } from './machine';

const samples = Number(process.argv[2] ?? 400);
const jflegLimit = Number(process.argv[3] ?? 0);

// Before anything creates the runtime: forward core logs (TMPRL1104 is a core warning) to us.
const warnings: string[] = [];
Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => {
    if (entry.level === 'WARN' || entry.level === 'ERROR') warnings.push(entry.message);
  }),
  telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
});

const loadAtStart = machine();
const h = await startPipelineHarness();
const worker = await h.startWorker('cpu');

// Stall probe on this (the worker's) main thread.
const stalls: { endMs: number; lagMs: number }[] = [];
let expected = performance.now() + 10;
const probe = setInterval(() => {
  const now = performance.now();
  const lag = now - expected;
  if (lag > 50) stalls.push({ endMs: Date.now(), lagMs: lag });
  expected = now + 10;
}, 10);

try {
  const run = await h.client.startPipeline({ samples, seed: 7, reasonLanguage: 'ko', trigger: 'event-loop benchmark', gate: { jflegLimit, minGleuDelta: -1 } }, { workflowId: `bench-event-loop-${Date.now()}` });
  const queries: number[] = [];
  let done = false;
  const result = run.result().finally(() => (done = true));
  while (!done) {
    const t0 = performance.now();
    await h.client.pipeline(run.workflowId).progress().catch(() => {});
    queries.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 500));
  }
  await result;
  clearInterval(probe);
  const timeline = await pipelineTimeline(h.client.temporal, run.workflowId);

  console.log(`# Worker event loop during one pipeline (${samples} samples, JFLEG dev ${jflegLimit || 754} sentences)\n`);
  console.log(`${loadAtStart} (at start)\n`);
  console.log('| activity | runs | time | stalls > 50 ms | longest stall | stalled in total |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const byType = new Map<string, { runs: number; ms: number; stalls: number[] }>();
  for (const a of timeline.activities) {
    const row = byType.get(a.type) ?? { runs: 0, ms: 0, stalls: [] };
    row.runs++;
    row.ms += (a.closedMs ?? 0) - (a.startedMs ?? 0);
    byType.set(a.type, row);
  }
  const unattributed: number[] = [];
  for (const s of stalls) {
    const startMs = s.endMs - s.lagMs;
    const during = timeline.activities.filter((a) => a.startedMs !== undefined && startMs < (a.closedMs ?? Infinity) && s.endMs > a.startedMs);
    if (!during.length) unattributed.push(s.lagMs);
    for (const a of during) byType.get(a.type)!.stalls.push(s.lagMs);
  }
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
  for (const [type, r] of byType) {
    console.log(`| ${type} | ${r.runs} | ${fmt(r.ms)} | ${r.stalls.length} | ${r.stalls.length ? fmt(Math.max(...r.stalls)) : '–'} | ${fmt(r.stalls.reduce((x, y) => x + y, 0))} |`);
  }
  if (unattributed.length) console.log(`| (between activities) | | | ${unattributed.length} | ${fmt(Math.max(...unattributed))} | ${fmt(unattributed.reduce((x, y) => x + y, 0))} |`);
  console.log(`\nprogress query latency: p50 ${fmt(quantile(queries, 0.5))}, p99 ${fmt(quantile(queries, 0.99))}, max ${fmt(Math.max(...queries))} (${queries.length} queries)`);
  const tmprl = warnings.filter((w) => w.includes('TMPRL1104'));
  console.log(`TMPRL1104 warnings: ${tmprl.length}${tmprl.length ? ` (${tmprl[0].slice(0, 160)})` : ''}`);
  console.log(`load at end: ${machine().replace(/.*load /, '')}`);
} finally {
  clearInterval(probe);
  await worker.stop();
  await h.stop();
}
