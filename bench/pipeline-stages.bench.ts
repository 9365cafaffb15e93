/**
 * Where a whole pipeline's time goes, stage by stage and activity by activity (from the workflow
 * history), on a private real stack (Temporal dev server, PGlite, MLflow, Chroma, DVC) with one
 * worker process started as the stack starts it (from the build). Pipelines run one after the
 * other with the test suite's usual size (300 samples, JFLEG dev limited to 100 sentences); the
 * first finds cold caches (Harper's answer store, the evaluation cache), the later ones warm.
 * Needs LANGUAGETOOL_URL (e.g. `bin/correctly stack up languagetool`).
 *   LANGUAGETOOL_URL=http://127.0.0.1:8081 npx tsx bench/pipeline-stages.bench.ts [pipelines=2]
 */
import { pipelineTimeline } from '../test/support/history';
import { startPipelineHarness } from '../test/support/pipeline';
import { machine } from './machine';

if (!process.env.LANGUAGETOOL_URL) throw new Error('set LANGUAGETOOL_URL to a running LanguageTool server (bin/correctly stack up languagetool)');
const pipelines = Number(process.argv[2] ?? 2);
const h = await startPipelineHarness();
await h.spawnWorker('cpu'); // a process as the stack starts one, until it polls; stopped with the harness
const seconds = (from?: number | string, to?: number | string) => (from !== undefined && to !== undefined ? ((new Date(to).getTime() - new Date(from).getTime()) / 1000).toFixed(1) : '-');
const rows: string[] = [];
for (let i = 1; i <= pipelines; i++) {
  const t0 = Date.now();
  const run = await h.client.startPipeline({ samples: 300, seed: 6 + i, gate: { jflegLimit: 100, promoteWhen: 'no-significant-regression' }, trigger: 'bench: pipeline stages' }, { workflowId: `bench-stages-${i}` });
  await run.result();
  const total = ((Date.now() - t0) / 1000).toFixed(0);
  const progress = await h.client.pipeline(run.workflowId).progress();
  const stages = Object.entries(progress.stages).map(([name, s]) => `${name} ${seconds(s.startedAt, s.finishedAt)}`);
  const activities = (await pipelineTimeline(h.client.temporal, run.workflowId)).activities.map((a) => `${a.type} ${seconds(a.startedMs, a.closedMs)}`);
  rows.push(`| ${i} | ${total} s | ${stages.join(', ')} | ${activities.join(', ')} |`);
}
await h.stop();

console.log(`# Pipeline stages  (${machine()})\n`);
console.log('300 samples, JFLEG dev limited to 100 sentences, one worker process; seconds.\n');
console.log('| pipeline | whole | stages | activities (each attempt that closed) |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
process.exit(0);
