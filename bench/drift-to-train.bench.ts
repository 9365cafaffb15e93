/**
 * Orchestration overhead of the level-2 loop: from a `driftDetected` signal (signalWithStart, as
 * the drift check sends it) to the training activity starting in the pipeline the
 * RetrainingController starts, on the real local stack (Temporal dev server, PGlite, MLflow,
 * Chroma, DVC; one in-process CPU worker). Debounce and cooldown are 0 here: they are policy, not
 * overhead. Split into signal → pipeline started (the controller's own decision) and pipeline
 * started → train started (generate, validate, version in between), per pipeline size.
 *   npx tsx bench/drift-to-train.bench.ts [samples=100,400] [repeats=3]
 */
import { ControllerClient } from '../client/controller';
import { pipelineTimeline } from '../test/support/history';
import { startPipelineHarness } from '../test/support/pipeline';
import { machine, median } from './machine';

const sampleSizes = (process.argv[2] ?? '100,400').split(',').map(Number);
const repeats = Number(process.argv[3] ?? 3);
const TRAIN = new Set(['trainRulesModel', 'fineTuneLora']);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const h = await startPipelineHarness();
const worker = await h.startWorker('cpu');
console.log(machine());
console.log('\n| samples | runs | signal → pipeline started p50 / max | pipeline started → train start p50 | signal → train start p50 / max |');
console.log('| --- | --- | --- | --- | --- |');
try {
  for (const samples of sampleSizes) {
    const controller = new ControllerClient(h.client, `bench-drift-${samples}`);
    const policy = { cooldownSeconds: 0, debounceSeconds: 0, maxPipelinesPerDay: 100, approvalRequired: false, paused: false, pipeline: { samples, jflegLimit: 50, minGleuDelta: -1 } };
    const decide: number[] = [];
    const toTrain: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const before = (await controller.state().catch(() => null))?.pipelinesStarted ?? 0;
      const t0 = Date.now();
      await controller.driftDetected({ reason: `benchmark drift ${i + 1}` }, policy);
      // the controller records the child it started; wait for it to finish (cooldown 0 → idle)
      let pipelineId: string | undefined;
      for (;;) {
        const s = await controller.state();
        if (s.pipelinesStarted > before) pipelineId ??= s.active?.pipelineId ?? (await controller.history()).filter((e) => e.kind === 'started').at(-1)?.pipelineId;
        if (pipelineId && s.status === 'idle' && !s.active) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const t = await pipelineTimeline(h.client.temporal, pipelineId!);
      const train = t.activities.find((a) => TRAIN.has(a.type))!;
      decide.push(t.startedMs - t0);
      toTrain.push(train.startedMs! - t.startedMs);
      total.push(train.startedMs! - t0);
    }
    console.log(`| ${samples} | ${repeats} | ${sec(median(decide))} / ${sec(Math.max(...decide))} | ${sec(median(toTrain))} | ${sec(median(total))} / ${sec(Math.max(...total))} |`);
  }
} finally {
  await worker.stop();
  await h.stop();
}
