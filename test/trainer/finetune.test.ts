/**
 * The GPU-queue activity `fineTuneLora` through real Temporal and MLflow, with the tiny Gemma 3 on
 * CPU: the GPU worker (a separate process) is SIGKILLed mid-training and restarted; the retry
 * resumes from the checkpoint named in the last heartbeat, the orphaned trainer exits by itself,
 * and one MLflow run holds params, per-step metrics, the adapter and the merged model. A
 * cancelled workflow kills the trainer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinetuneHeartbeat } from '../../activities/finetune';
import { experimentName, type TrainInput, type TrainOutput } from '../../activities/train';
import { endpoints } from '../../config';
import { stableId } from '../../core/ids';
import { MlflowClient } from '../../adapters/mlflow';
import { downloadArtifactDir, listFiles } from '../../adapters/providers/files';
import { PROJECT_ROOT } from '../../config/paths';
import { TrainingRunSchema } from '../../entities';
import { openDatabase } from '../../entities/data-source';
import { startTestStack, type TestStack } from '../support/stack';
import { startTemporal } from '../support/temporal';
import { waitFor as waitUntil } from '../support/wait';
import { buildTinyModel, ensureTrainerVenv, fixtureDataset, SMOKE_ARGS } from './python';

const WF_QUEUE = 'finetune-test-workflows';
const MODEL = 'tiny-lora';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Probe errors fail the test at once here (nothing is restarting). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 180_000) => waitUntil<T>(what, fn, { timeoutMs: ms, intervalMs: 250, isFatal: () => true });

describe('fineTuneLora on the GPU queue (tiny Gemma 3 on CPU, real Temporal + MLflow)', () => {
  let temporal: TestWorkflowEnvironment;
  let ts: TestStack;
  let wfWorker: Worker;
  let wfRunning: Promise<void>;
  let data: string;
  let base: string;
  let mlflow: MlflowClient;
  const workers: ChildProcess[] = [];
  const workerLogs = new Map<ChildProcess, string[]>();

  function gpuWorkerEnv(): Record<string, string> {
    const c = ts.config;
    return {
      CORRECTLY_STATE_DIR: ts.stateDir,
      TEMPORAL_ADDRESS: temporal.address,
      PGLITE_PORT: String(c.pglitePort),
      MLFLOW_PORT: String(c.mlflowPort),
      DATABASE_URL: '',
      MLFLOW_TRACKING_URI: '',
      CORRECTLY_CONFIG: '',
      CORRECTLY_LORA_BASE: base,
      CORRECTLY_LORA_ARGS: ['--max-steps', '24', '--eval-steps', '4', '--save-steps', '4', '--step-delay', '0.4', ...SMOKE_ARGS].join(' '),
    };
  }

  async function spawnGpuWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/trainer/gpu-worker-entry.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...gpuWorkerEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    let out = '';
    const log: string[] = [];
    workerLogs.set(child, log);
    child.stdout!.on('data', (d) => { out += d; log.push(String(d)); });
    child.stderr!.on('data', (d) => { out += d; log.push(String(d)); });
    await waitFor('the GPU worker to poll', () => {
      if (child.exitCode !== null) throw new Error(`GPU worker exited: ${out}`);
      return out.includes('polling') || undefined;
    }, 120_000);
    return child;
  }

  async function heartbeat(workflowId: string): Promise<FinetuneHeartbeat | undefined> {
    const d = await temporal.client.workflow.getHandle(workflowId).describe();
    const payload = d.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
    return payload ? defaultPayloadConverter.fromPayload<FinetuneHeartbeat>(payload) : undefined;
  }

  const input = (pipelineId: string): TrainInput => ({ pipelineId, modelName: MODEL, datasetMd5: 'md5-fixture', datasetPath: data, seed: 7, trigger: 'test' });

  beforeAll(async () => {
    const python = await ensureTrainerVenv();
    data = fixtureDataset();
    base = await buildTinyModel(python, data);
    temporal = await startTemporal();
    ts = await startTestStack(['database', 'mlflow'], { TEMPORAL_ADDRESS: temporal.address });
    mlflow = new MlflowClient(endpoints(ts.config).mlflowUrl);
    wfWorker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue: WF_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(PROJECT_ROOT, 'test/trainer/finetune-workflow.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } }),
    });
    wfRunning = wfWorker.run();
  }, 20 * 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) { w.kill('SIGKILL'); await once(w, 'exit').catch(() => {}); }
    if (wfWorker?.getState() === 'RUNNING') wfWorker.shutdown();
    await wfRunning?.catch(() => {});
    await ts?.stop();
    await temporal?.teardown();
    for (const d of [data, base]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('survives a GPU worker killed mid-training: resumes from the heartbeat checkpoint, one MLflow run', async () => {
    const pipelineId = 'ft-kill-resume';
    let worker = await spawnGpuWorker();
    const handle = await temporal.client.workflow.start('fineTuneOnly', { taskQueue: WF_QUEUE, workflowId: pipelineId, args: [input(pipelineId), '5 seconds'] });

    const hb = await waitFor('a checkpoint in the heartbeat details', async () => {
      const h = await heartbeat(pipelineId);
      return h?.checkpointStep && h.checkpointStep >= 4 ? h : undefined;
    });
    expect(hb).toMatchObject({ phase: 'training', runId: expect.any(String), checkpoint: expect.stringContaining('checkpoint-'), maxSteps: 24 });
    expect(hb.step).toBeLessThan(24);
    const trainerPid = hb.trainerPid!;
    expect(alive(trainerPid)).toBe(true);

    worker.kill('SIGKILL');
    await once(worker, 'exit');
    // the trainer notices its stdin closed and exits: no orphan keeps the GPU
    await waitFor('the orphaned trainer to exit', () => !alive(trainerPid) || undefined, 30_000);

    worker = await spawnGpuWorker();
    const out: TrainOutput = await handle.result();
    expect(out).toMatchObject({ backend: 'lora', runId: hb.runId });
    expect(out.metrics.steps).toBe(24);
    expect(out.metrics.resumed_from_step).toBeGreaterThanOrEqual(hb.checkpointStep!);
    expect(out.metrics.resumed_from_step).toBeGreaterThan(0);
    expect(out.metrics.train_examples).toBe(8);
    expect(statSync(path.join(out.artifactPath, 'model.safetensors')).size).toBeGreaterThan(0);

    // the activity ran twice (attempt 2 after the heartbeat timeout)
    const history = await handle.fetchHistory();
    const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([2]); // Temporal records the last attempt's start

    // one MLflow run, finished, with params, per-step metrics and the artifacts
    const expId = await mlflow.experimentId(experimentName(MODEL));
    const runs = await mlflow.searchRuns([expId], `tags.pipeline_id = '${pipelineId}'`);
    expect(runs).toHaveLength(1);
    const run = await mlflow.getRun(out.runId);
    expect(run.info.status).toBe('FINISHED');
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ trainer: 'lora', base_model: base, dataset_md5: 'md5-fixture', seed: '7' });
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({ steps: 24, resumed_from_step: out.metrics.resumed_from_step });
    for (const k of ['loss', 'learning_rate', 'eval_loss', 'cpu_s', 'peak_rss_mb', 'train_seconds']) expect(metrics[k], k).toEqual(expect.any(Number));
    const history2 = await fetch(`${endpoints(ts.config).mlflowUrl}/api/2.0/mlflow/metrics/get-history?run_id=${out.runId}&metric_key=loss`).then((r) => r.json() as Promise<{ metrics: { step: string }[] }>);
    const steps = history2.metrics.map((m) => Number(m.step));
    expect(Math.max(...steps)).toBe(24);
    expect(new Set(steps).size).toBeGreaterThanOrEqual(20);

    const local = readFileSync(path.join(out.artifactPath, 'model.safetensors'));
    const remote = await mlflow.downloadArtifact(run, 'model/model.safetensors');
    expect(remote.equals(local)).toBe(true);
    expect(JSON.parse((await mlflow.downloadArtifact(run, 'model/config.json')).toString()).architectures).toEqual(['Gemma3ForCausalLM']);
    expect(JSON.parse((await mlflow.downloadArtifact(run, 'adapter/adapter_config.json')).toString())).toMatchObject({ peft_type: 'LORA' });
    expect(JSON.parse((await mlflow.downloadArtifact(run, 'metrics/lora-metrics.json')).toString())).toMatchObject({ steps: 24 });
    // the merged model comes back whole from the registry's run (what a deploy elsewhere starts from)
    const fetched = mkdtempSync(path.join(os.tmpdir(), 'correctly-fetched-model-'));
    try {
      const files = await downloadArtifactDir(mlflow, run, 'model', fetched);
      expect(files).toEqual([...listFiles(out.artifactPath), 'README.md'].sort());
      for (const f of listFiles(out.artifactPath)) expect(readFileSync(path.join(fetched, f)).equals(readFileSync(path.join(out.artifactPath, f))), f).toBe(true);
    } finally {
      rmSync(fetched, { recursive: true, force: true });
    }

    const ds = await openDatabase(endpoints(ts.config).databaseUrl, { poolSize: 1 });
    try {
      const row = await ds.getRepository(TrainingRunSchema).findOneByOrFail({ id: stableId('train', pipelineId) });
      expect(row).toMatchObject({ backend: 'lora', status: 'succeeded', mlflowRunId: out.runId, artifactPath: out.artifactPath });
    } finally {
      await ds.destroy();
    }

    // a repeated call (e.g. a retry after the result was lost) returns the finished run
    const again: TrainOutput = await temporal.client.workflow.execute('fineTuneOnly', { taskQueue: WF_QUEUE, workflowId: `${pipelineId}-again`, args: [input(pipelineId), '5 seconds'] });
    expect(again).toMatchObject({ runId: out.runId, artifactPath: out.artifactPath });
    expect(again.metrics.steps).toBe(24);
    expect(await mlflow.searchRuns([expId], `tags.pipeline_id = '${pipelineId}'`)).toHaveLength(1);
  });

  it('kills the trainer when the workflow is cancelled', async () => {
    const pipelineId = 'ft-cancel';
    if (!workers.some((w) => w.exitCode === null && w.signalCode === null)) await spawnGpuWorker();
    const handle = await temporal.client.workflow.start('fineTuneOnly', { taskQueue: WF_QUEUE, workflowId: pipelineId, args: [input(pipelineId), '5 seconds'] });
    const hb = await waitFor('training progress', async () => {
      const h = await heartbeat(pipelineId);
      return h?.phase === 'training' && h.trainerPid ? h : undefined;
    });
    await handle.cancel();
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    await waitFor('the trainer to be killed', () => !alive(hb.trainerPid!) || undefined, 30_000);
    // the activity ends the run as KILLED after the trainer is gone
    await waitFor('the MLflow run to be KILLED', async () => ((await mlflow.getRun(hb.runId)).info.status === 'KILLED') || undefined, 30_000).catch(async (e) => {
      console.error((await mlflow.getRun(hb.runId)).info.status, [...workerLogs.values()].map((l) => l.join('')).join('\n----\n').slice(-6000));
      throw e;
    });
  });
});
