/**
 * How long each heartbeating activity goes quiet: the longest gap between heartbeats (and from the
 * start to the first one, and from the last one to the end), which the heartbeat timeouts in
 * workflows/pipeline.ts must comfortably exceed. Runs the real activities outside Temporal (the DVC
 * stage driver's MockActivityEnvironment reports every heartbeat) on a private stack (PGlite,
 * MLflow, Chroma).
 *   npx tsx bench/heartbeat-gaps.bench.ts [samples=400] [jflegLimit=0]
 */
import { createActivities } from '../activities';
import { createDeps } from '../activities/deps';
import { parsePipelineInput } from '../contracts/pipeline';
import { generateBatchInput, generationBatches, validateSamplesInput, versionDatasetInput } from '../contracts/pipeline-steps';
import { endpoints } from '../config';
import { seedDatabase } from '../entities/seed';
import { openDatabase } from '../entities/data-source';
import { runActivity } from '../stages/activity';
import { startTestStack } from '../test/support/stack';
import { machine } from './machine';

const samples = Number(process.argv[2] ?? 400);
const jflegLimit = Number(process.argv[3] ?? 0);
const pipelineId = `hb-${Date.now()}`;

const stack = await startTestStack(['database', 'mlflow', 'chroma']);
const deps = createDeps(stack.config);
console.log(machine());
try {
  const ds = await openDatabase(endpoints(stack.config).databaseUrl, { poolSize: 1 });
  await seedDatabase(ds);
  await ds.destroy();
  const parsed = parsePipelineInput({ samples, gate: { jflegLimit } });
  if (!parsed.ok) throw new Error(parsed.error);
  const p = parsed.value;
  const a = createActivities(deps);

  const rows: string[] = [];
  async function measure<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    const beats: { at: number; details: unknown }[] = [];
    const t0 = performance.now();
    const r = await runActivity(fn, { pipelineId, activityType: name, onHeartbeat: (details) => beats.push({ at: performance.now(), details }) }, ...args);
    const t1 = performance.now();
    const marks = [{ at: t0, details: 'start' }, ...beats, { at: t1, details: 'end' }];
    const gaps = marks.slice(1).map((m, i) => ({ ms: m.at - marks[i].at, after: marks[i].details, before: m.details }));
    const longest = gaps.reduce((a, b) => (b.ms > a.ms ? b : a));
    const where = (d: unknown) => (typeof d === 'string' ? d : JSON.stringify(d)).slice(0, 60);
    rows.push(`| ${name} | ${((t1 - t0) / 1000).toFixed(1)} s | ${beats.length} | ${(longest.ms / 1000).toFixed(2)} s | ${where(longest.after)} → ${where(longest.before)} |`);
    return r;
  }

  for (const b of generationBatches(p)) await measure('generateBatch', a.generateBatch, generateBatchInput(pipelineId, p, b));
  await measure('validateSamples', a.validateSamples, validateSamplesInput(pipelineId, p));
  const dataset = await measure('versionDataset', a.versionDataset, versionDatasetInput(pipelineId, p));
  const trained = await measure('trainRulesModel', a.trainRulesModel, { pipelineId, modelName: 'hb-model', datasetMd5: dataset.md5, datasetPath: dataset.path, seed: p.seed, trigger: 'bench' });
  const reg = await a.registerCandidate({ pipelineId, modelName: 'hb-model', runId: trained.runId, datasetMd5: dataset.md5 });
  await measure('evaluateCandidate', a.evaluateCandidate, { pipelineId, modelName: 'hb-model', candidateVersion: reg.version, runId: trained.runId, datasetPath: dataset.path, jflegLimit, seed: p.seed });

  console.log(`\n${samples} samples, JFLEG dev ${jflegLimit || 'all 754'}:\n`);
  console.log('| activity | duration | heartbeats | longest quiet spell | between |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  await deps.close();
  await stack.stop();
}
