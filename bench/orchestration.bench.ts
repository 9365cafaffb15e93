/**
 * Orchestration overhead on the real stack (Temporal dev server, PGlite, MLflow, Chroma, DVC; one
 * in-process CPU worker), from workflow histories:
 *   1. one pipeline at a time, growing sample counts: time from the pipeline's start to the
 *      train activity's start (generate, validate and version run in between), and the part of it
 *      spent queued (ActivityTaskScheduled → ActivityTaskStarted, summed);
 *   2. k pipelines started at once (k = 1, 5, 20): queue wait per stage (scheduled → started)
 *      p50 / p99 / max over activities that started on their first attempt, start → train
 *      start, the makespan, and the activities that needed retries (with why).
 * Temporal records one started event per activity, for its last attempt, so a retried activity's
 * scheduled → started spans its failed attempts and backoff: counted as retries, not queue wait.
 * The drift-signal → train measurement is bench/drift-to-train.bench.ts.
 * The app database is the embedded PGlite server by default; BENCH_DB=postgres runs it on a
 * throwaway real PostgreSQL 15 (test/support/postgres.ts), as production does.
 *   [BENCH_DB=postgres] npx tsx bench/orchestration.bench.ts [samples=100,400,1600] [concurrency=1,5,20]
 */
import { pipelineTimeline, type WorkflowTimeline } from '../test/support/history';
import { startPipelineHarness } from '../test/support/pipeline';
import { startPostgres } from '../test/support/postgres';
import type { PipelineInput } from '../contracts/pipeline';
import { machine, median, quantile } from './machine';

const sampleSizes = (process.argv[2] ?? '100,400,1600').split(',').map(Number);
const concurrency = (process.argv[3] ?? '1,5,20').split(',').map(Number);
// Small JFLEG slice: this measures orchestration, not evaluation.
const base: PipelineInput = { gate: { jflegLimit: 50, minGleuDelta: -1 }, trigger: 'orchestration benchmark' };
const TRAIN = new Set(['trainRulesModel', 'fineTuneLora']);
const STAGE_OF: Record<string, string> = { generateBatch: 'generate', validateSamples: 'validate', versionDataset: 'version', trainRulesModel: 'train', registerCandidate: 'evaluate', evaluateCandidate: 'evaluate', promoteCandidate: 'promote', rejectCandidate: 'promote', deployChampion: 'deploy' };
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msf = (ms: number) => `${Math.round(ms)} ms`;

const postgres = process.env.BENCH_DB === 'postgres' ? await startPostgres() : null;
const h = await startPipelineHarness(postgres ? { DATABASE_URL: postgres.url } : {});
const worker = await h.startWorker('cpu');
const temporal = h.client.temporal;
let seq = 0;

/** Starts all, waits for all; pipelines that fail are reported, not thrown. */
async function runAll(inputs: PipelineInput[]): Promise<{ timelines: WorkflowTimeline[]; makespanMs: number; failed: string[] }> {
  const t0 = Date.now();
  const runs = await Promise.all(inputs.map((input) => h.client.startPipeline({ ...base, ...input }, { workflowId: `bench-${++seq}` })));
  const settled = await Promise.allSettled(runs.map((r) => r.result()));
  const makespanMs = Date.now() - t0;
  const failed = settled.flatMap((r, i) => (r.status === 'rejected' ? [`${runs[i].workflowId}: ${String((r.reason as { cause?: Error }).cause?.message ?? r.reason).slice(0, 160)}`] : []));
  const ok = runs.filter((_, i) => settled[i].status === 'fulfilled');
  return { timelines: await Promise.all(ok.map((r) => pipelineTimeline(temporal, r.workflowId))), makespanMs, failed };
}

const trainStartMs = (t: WorkflowTimeline) => t.activities.find((a) => TRAIN.has(a.type))!.startedMs! - t.startedMs;
const firstTry = (t: WorkflowTimeline, until = Infinity) => t.activities.filter((a) => a.startedMs !== undefined && a.attempt === 1 && a.scheduledMs < until);
const waits = (t: WorkflowTimeline, until = Infinity) => firstTry(t, until).map((a) => a.startedMs! - a.scheduledMs);
const retried = (ts: WorkflowTimeline[]) => ts.flatMap((t) => t.activities.filter((a) => a.attempt > 1));
const retryNote = (ts: WorkflowTimeline[]) => {
  const r = retried(ts);
  if (!r.length) return 'none';
  const why = new Map<string, number>();
  for (const a of r) why.set(`${a.type}: ${(a.lastFailure ?? '?').slice(0, 120)}`, (why.get(`${a.type}: ${(a.lastFailure ?? '?').slice(0, 120)}`) ?? 0) + 1);
  return [...why].map(([w, n]) => `${n}× ${w}`).join('; ');
};

try {
  // Warm-up: loads Harper, the tokenizer and the JFLEG data into the worker; not reported.
  await runAll([{ samples: 50, seed: 1, modelName: 'bench-warmup' }]);
  console.log(`# Orchestration overhead  (${machine()}; app database: ${postgres ? postgres.version : 'PGlite'})\n`);
  console.log('## Pipeline start → train activity start, one pipeline at a time\n');
  console.log('| samples | start → train start | of which queued (Σ scheduled → started) | activities before train | whole pipeline | retries |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const samples of sampleSizes) {
    const { timelines: [t], failed } = await runAll([{ samples, seed: samples, modelName: `bench-single-${samples}` }]);
    if (!t) {
      console.log(`| ${samples} | failed: ${failed.join('; ')} | | | | |`);
      continue;
    }
    const trainAt = t.startedMs + trainStartMs(t);
    const before = waits(t, trainAt);
    console.log(`| ${samples} | ${sec(trainStartMs(t))} | ${msf(before.reduce((a, b) => a + b, 0))} | ${before.length} | ${sec(t.closedMs! - t.startedMs)} | ${retryNote([t])} |`);
  }

  console.log('\n## k pipelines started at once (100 samples each)\n');
  console.log('| k | makespan | start → train start p50 / max | queue wait (first attempts) p50 / p99 / max | per stage p50 / max | retried activities | failed pipelines |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const k of concurrency) {
    // Own model name each: the gate compares with that model's champion, so every run is comparable.
    const { timelines, makespanMs, failed } = await runAll(Array.from({ length: k }, (_, i) => ({ samples: 100, seed: 1000 + i, modelName: `bench-k${k}-${i}` })));
    const all = timelines.flatMap((t) => waits(t));
    const toTrain = timelines.map(trainStartMs);
    const perStage = new Map<string, number[]>();
    for (const t of timelines) for (const a of firstTry(t)) {
      const s = STAGE_OF[a.type] ?? a.type;
      perStage.set(s, [...(perStage.get(s) ?? []), a.startedMs! - a.scheduledMs]);
    }
    const stages = [...perStage].map(([s, w]) => `${s} ${msf(median(w))} / ${msf(Math.max(...w))}`).join('; ');
    console.log(`| ${k} | ${sec(makespanMs)} | ${sec(median(toTrain))} / ${sec(Math.max(...toTrain))} | ${msf(quantile(all, 0.5))} / ${msf(quantile(all, 0.99))} / ${msf(Math.max(...all))} | ${stages} | ${retryNote(timelines)} | ${failed.length ? `${failed.length}: ${failed.join('; ')}` : 'none'} |`);
  }
} finally {
  await worker.stop();
  await h.stop();
  await postgres?.stop();
}
