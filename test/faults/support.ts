/**
 * The fault tests' stack: every part a real server started by the project's Stack code, Temporal
 * included (its dev server keeps a SQLite file under the state dir, so it can be restarted on the
 * same port and carry on), and a CPU worker process (worker/main.ts) in its own process group
 * through the stack's ProcessManager, so it can be SIGKILLed and started again. Plus the checks
 * every fault test ends with.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { expect } from 'vitest';
import pg from 'pg';
import { CorrectlyClient, type PipelineRun } from '../../client';
import { endpoints } from '../../config';
import { seedDatabase } from '../../entities/seed';
import { MlflowClient } from '../../adapters/mlflow';
import { PROJECT_ROOT } from '../../config/paths';
import { nodeProgram } from '../../ops/stack/process';
import type { StackPart } from '../../ops/stack/index';
import { experimentName } from '../../activities/train';
import { openDatabase } from '../../entities/data-source';
import type { PipelineInput, PipelineResult } from '../../contracts/pipeline';
import { stackEnv, startTestStack, type TestStack } from '../support/stack';
import { waitFor as waitUntil } from '../support/wait';

export interface FaultStack {
  ts: TestStack;
  client: CorrectlyClient;
  /** Query the app database on a fresh connection (survives database restarts). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  startWorker(): Promise<void>;
  /** SIGKILL the worker's process group: no graceful shutdown, in-flight activities just stop. */
  killWorker(): void;
  restart(part: StackPart): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultStack(): Promise<FaultStack> {
  const ts = await startTestStack(['temporal', 'database', 'mlflow', 'chroma']);
  const e = endpoints(ts.config);
  let client: CorrectlyClient;
  try {
    const ds = await openDatabase(e.databaseUrl, { poolSize: 1 });
    await seedDatabase(ds);
    await ds.destroy();
    client = await CorrectlyClient.connect(ts.config);
  } catch (err) {
    await ts.stop(); // leave no servers behind
    throw err;
  }
  const stack: FaultStack = {
    ts,
    client,
    async query<T>(sql: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: e.databaseUrl });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end().catch(() => {});
      }
    },
    async startWorker() {
      // Not the stack's `worker` part: its env passes duration settings as milliseconds, which
      // the config then refuses (reported). The same command with the test's own env instead.
      const log = ts.stack.procs.logFile('worker');
      const from = existsSync(log) ? statSync(log).size : 0;
      const pid = ts.stack.procs.start({ name: 'worker', cmd: process.execPath, args: nodeProgram('worker', ['cpu']), cwd: PROJECT_ROOT, env: stackEnv(ts.config, { WORKER_METRICS_PORT: '0' /* off: a fixed port would clash with other workers */ }) });
      await waitFor('the worker to poll', async () => {
        const out = readFileSync(log, 'utf8').slice(from);
        if (!ts.stack.procs.running('worker')) throw new TooLate(`worker ${pid} exited: ${out}`);
        return out.includes('polling') ? true : undefined;
      }, 120_000);
    },
    killWorker() {
      const pid = ts.stack.procs.running('worker');
      if (!pid) throw new Error('no worker process to kill');
      process.kill(-pid, 'SIGKILL');
    },
    async restart(part) {
      await ts.stack.down([part]);
      await ts.stack.up([part]);
    },
    async stop() {
      await ts.stack.procs.stop('worker').catch(() => {});
      await client.close().catch(() => {});
      await ts.stop();
    },
  };
  try {
    await stack.startWorker();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}


/** Polls `probe` (see test/support/wait.ts); a TooLate error ends the wait at once. */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 240_000): Promise<T> {
  return waitUntil<T>(what, probe, { timeoutMs, intervalMs: 100, isFatal: (err) => err instanceof TooLate });
}

/** The moment for a fault has passed: ends a wait at once. */
export class TooLate extends Error {}

/** Stops a wait with a clear message if the pipeline ended before the fault could be injected. */
export async function assertStillRunning(run: PipelineRun, fault: string): Promise<void> {
  const p = await run.progress();
  if (p.state === 'succeeded' || p.state === 'failed') throw new TooLate(`pipeline ${p.state} before ${fault} could be injected`);
}

/** True when `workflowId` has a pending activity of `type` that a worker has started. */
export async function activityRunning(client: CorrectlyClient, workflowId: string, type: string): Promise<boolean> {
  const d = await client.temporal.workflow.getHandle(workflowId).describe();
  // PENDING_ACTIVITY_STATE_STARTED = 2
  return (d.raw.pendingActivities ?? []).some((a) => a.activityType?.name === type && a.state === 2);
}

export interface SampleRow {
  id: string;
  batch: number;
  awkward: string;
  corrected: string;
  status: string;
  reasons: { code: string; duplicateOf?: string }[];
}

export async function samplesOf(s: FaultStack, pipelineId: string): Promise<SampleRow[]> {
  return s.query<SampleRow>('select id, batch, awkward, corrected, status, rejection_reasons as reasons from generated_sample where pipeline_id = $1', [pipelineId]);
}

/** What generation produced, independent of ids and verdicts (ids embed the pipeline id), sorted. */
const contents = (rows: SampleRow[]) => rows.map((r) => `${r.batch}\u241f${r.awkward}\u241f${r.corrected}`).sort();

export const countBy = (rows: SampleRow[]) => rows.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});

/** The same pipeline, undisturbed, under its own id and model name: what the faulted run must match. */
export async function controlRun(s: FaultStack, input: PipelineInput, id: string): Promise<{ result: PipelineResult; samples: SampleRow[] }> {
  const run = await s.client.startPipeline({ ...input, modelName: `${id}-model` }, { workflowId: id });
  const result = await run.result();
  return { result, samples: await samplesOf(s, id) };
}

/**
 * After a fault: the workflow completed; the samples are exactly those the undisturbed control run
 * generated (none lost, none duplicated) and every one has one verdict (none left pending, no
 * sample rejected as a near duplicate of itself or of a rejected sample, which a validation redone
 * without care would do); one dataset version, one MLflow run and one model version.
 * Verdict counts are not compared with the control: which of two near duplicates is kept follows
 * the sample ids' order, and ids embed the pipeline id.
 */
export async function expectIntact(s: FaultStack, run: PipelineRun, modelName: string, control: { result: PipelineResult; samples: SampleRow[] }): Promise<PipelineResult> {
  const result = await run.result();
  expect((await run.handle.describe()).status.name).toBe('COMPLETED');
  const pipelineId = run.workflowId;

  const samples = await samplesOf(s, pipelineId);
  expect(countBy(samples).pending).toBeUndefined();
  expect(samples.length).toBe(control.samples.length);
  expect(contents(samples)).toEqual(contents(control.samples));
  const accepted = new Set(samples.filter((r) => r.status === 'accepted').map((r) => r.id));
  for (const r of samples) {
    expect(r.status === 'accepted').toBe(r.reasons.length === 0);
    for (const x of r.reasons) if (x.code === 'near_duplicate') expect(accepted.has(x.duplicateOf!), `${r.id} duplicates ${x.duplicateOf}`).toBe(true);
  }
  const ids = await s.query<{ n: string; distinct_ids: string }>('select count(*) as n, count(distinct id) as distinct_ids from generated_sample where pipeline_id = $1', [pipelineId]);
  expect(ids[0].n).toBe(ids[0].distinct_ids);
  expect(result.datasetVersion.counts.train + result.datasetVersion.counts.valid + result.datasetVersion.counts.test).toBe(countBy(samples).accepted);

  const versions = await s.query<{ md5: string }>('select md5 from dataset_version where pipeline_id = $1', [pipelineId]);
  expect(versions.map((v) => v.md5)).toEqual([result.datasetVersion.md5]);

  const mlflow = new MlflowClient(endpoints(s.ts.config).mlflowUrl);
  const exp = await mlflow.experimentId(experimentName(modelName));
  const runs = await mlflow.searchRuns([exp], `tags.pipeline_id = '${pipelineId}'`);
  expect(runs.map((r) => r.info.run_id)).toEqual([result.mlflowRunId]);
  const modelVersions = await mlflow.searchModelVersions(`name = '${modelName}'`);
  expect(modelVersions.map((v) => [v.version, v.run_id])).toEqual([['1', result.mlflowRunId]]);
  expect(result.candidateVersion).toBe('1');
  return result;
}

/**
 * Waits until `activity` is running (started by a worker) in the pipeline or one of its generate
 * children, SIGKILLs the worker, starts a fresh one. The activity is retried once its heartbeat
 * timeout passes.
 */
export async function killWorkerDuring(s: FaultStack, run: PipelineRun, activity: string, extra: () => Promise<boolean> = async () => true, batches = 1): Promise<void> {
  await waitFor(`${activity} to be running`, async () => {
    await assertStillRunning(run, `the worker kill during ${activity}`);
    const ids = activity === 'generateBatch' ? generateChildren(run.workflowId, batches) : [run.workflowId];
    for (const id of ids) if ((await activityRunning(s.client, id, activity).catch(() => false)) && (await extra())) return true;
    return undefined;
  });
  s.killWorker();
  await s.startWorker();
}

/** The generate child workflows' ids (as workflows/pipeline.ts names them). */
function generateChildren(pipelineId: string, batches: number): string[] {
  return Array.from({ length: batches }, (_, b) => `${pipelineId}/generate-${b}`);
}
