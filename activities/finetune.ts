/**
 * Stage 4 on the GPU queue: the LoRA fine-tune of Gemma 3, run by the Python trainer (trainer/) as
 * a child process.
 *
 * - The trainer prints JSON lines (step, loss, learning rate, GPU memory, checkpoints); each one is
 *   heartbeated, and a timer heartbeats the latest between lines, so the Web UI shows progress.
 * - Heartbeat details name the last checkpoint: a retry (worker crash, heartbeat timeout) resumes
 *   from it. A checkpoint that is not on this machine's disk is ignored (then the latest one in
 *   the run's directory, if any).
 * - Cancellation (delivered with heartbeats) kills the trainer: SIGTERM, then SIGKILL after a grace.
 *   The trainer also exits when its stdin closes, so a worker killed with SIGKILL leaves no orphan.
 * - One MLflow run per pipeline (`trainingRun`, found by its key tag), so a retry continues it:
 *   params once, metrics per step, then the adapter (`adapter/`) and the merged model (`model/`,
 *   what the registry version points at) as artifacts, and the trainer's CPU/GPU usage.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { stableId } from '../core/ids';
import { listFiles } from '../adapters/providers/files';
import type { MlflowClient, MlflowRun } from '../adapters/mlflow';
import { PROJECT_ROOT } from '../config/paths';
import { TrainingRunSchema } from '../entities';
import type { ActivityDeps } from './deps';
import { currentGitCommit, runUrl, trainingRun, type TrainInput, type TrainOutput } from './train';

export const DEFAULT_LORA_BASE = 'google/gemma-3-1b-it';

export interface FinetuneOptions {
  /** Python with trainer/requirements.txt. Default: CORRECTLY_TRAINER_PYTHON, else .venv-trainer/bin/python if it exists, else python3. */
  python?: string;
  /** Base model: a Hugging Face name or a local directory. Default: CORRECTLY_LORA_BASE, else google/gemma-3-1b-it. */
  baseModel?: string;
  /** Extra trainer arguments (e.g. ['--max-steps', '500']). Default: CORRECTLY_LORA_ARGS split on spaces. */
  trainerArgs?: string[];
  /** Heartbeat timer period; default a third of the heartbeat timeout, at most 10 s. */
  heartbeatEveryMs?: number;
  /** Wait between SIGTERM and SIGKILL when cancelled (default 10 s). */
  killGraceMs?: number;
}

/** What the activity heartbeats; a retry reads `checkpoint` to resume. */
export interface FinetuneHeartbeat {
  phase: 'starting' | 'training' | 'uploading';
  runId: string;
  step: number;
  maxSteps?: number;
  loss?: number;
  evalLoss?: number;
  learningRate?: number;
  gpuMemMb?: number;
  /** Absolute path of the last checkpoint the trainer saved, and its step. */
  checkpoint?: string;
  checkpointStep?: number;
  resumedFromStep?: number;
  /** The trainer's process id on the worker's machine. */
  trainerPid?: number;
}

/** One JSON line of the trainer (trainer/progress.py). */
type TrainerEvent =
  | { event: 'start'; max_steps: number; resumed_from_step: number; device: string; gpu: string | null; [k: string]: unknown }
  | { event: 'progress'; step: number; max_steps: number; epoch: number; loss: number; learning_rate?: number; grad_norm?: number; gpu_mem_mb?: number; gpu_peak_mem_mb?: number; rss_mb?: number; cpu_s?: number }
  | { event: 'eval'; step: number; eval_loss: number }
  | { event: 'checkpoint'; step: number; path: string }
  | { event: 'done'; metrics: Record<string, unknown>; adapter: string; merged: string | null; metrics_file: string }
  | { event: 'error'; message: string };

import { trainerPython } from '../adapters/trainer-python';

export { trainerPython };

/** Uploads a directory to the run's artifacts under `prefix`; returns the files uploaded. */
export async function uploadDirectory(mlflow: MlflowClient, run: MlflowRun, dir: string, prefix: string): Promise<string[]> {
  const files = listFiles(dir);
  for (const rel of files) await mlflow.uploadArtifact(run, `${prefix}/${rel}`, readFileSync(path.join(dir, rel)));
  return files;
}

const numeric = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));

export function finetuneActivities(deps: ActivityDeps, options: FinetuneOptions = {}) {
  const baseModel = () => options.baseModel ?? deps.config.loraBase ?? DEFAULT_LORA_BASE;
  const extraArgs = () => options.trainerArgs ?? deps.config.loraArgs.split(/\s+/).filter(Boolean);

  return {
    async fineTuneLora(input: TrainInput): Promise<TrainOutput> {
      const ctx = Context.current();
      // bound to this activity: also usable from timers and event handlers, outside its async context
      const log = ctx.log;
      const { mlflow } = deps;
      const previous = ctx.info.heartbeatDetails as FinetuneHeartbeat | undefined;
      const run = await trainingRun(deps, input, 'lora');
      const runId = run.info.run_id;
      const outDir = path.join(deps.paths.modelsDir, runId, 'lora');
      const mergedDir = path.join(outDir, 'merged');
      const rowId = stableId('train', input.pipelineId);
      const rows = (await deps.db()).getRepository(TrainingRunSchema);

      if (run.info.status === 'FINISHED') {
        const done = await rows.findOneBy({ id: rowId });
        const metrics = done?.metrics ?? Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
        return { runId, runUrl: runUrl(deps, run), backend: 'lora', artifactPath: done?.artifactPath ?? mergedDir, metrics };
      }
      if (!existsSync(path.join(input.datasetPath, 'train.jsonl'))) {
        throw ApplicationFailure.nonRetryable(
          `dataset ${input.datasetMd5} not found on this GPU worker at ${input.datasetPath}: the GPU worker must see the CPU worker's DVC workspace (same CORRECTLY_STATE_DIR)`,
          'InvalidInput',
        );
      }

      const base = baseModel();
      const args = ['-m', 'trainer.train', '--data', input.datasetPath, '--out', outDir, '--base', base, '--seed', String(input.seed), '--exit-on-stdin-eof', ...extraArgs()];
      const resumeFrom = previous?.checkpoint && existsSync(path.join(previous.checkpoint, 'trainer_state.json')) ? previous.checkpoint : 'auto';
      args.push('--resume', resumeFrom);

      const params = { trainer: 'lora', base_model: base, dataset_md5: input.datasetMd5, dataset_path: input.datasetPath, seed: input.seed, git_commit: currentGitCommit(), trainer_args: extraArgs().join(' ') || '(defaults)' };
      await mlflow.logBatch(runId, { params, tags: { 'correctly.stage': 'train', 'correctly.trainer': 'lora' } });
      await rows.upsert({ id: rowId, pipelineId: input.pipelineId, backend: 'lora', status: 'running', datasetMd5: input.datasetMd5, mlflowRunId: runId, params, startedAt: new Date() }, ['id']);

      const state: FinetuneHeartbeat = { phase: 'starting', runId, step: previous?.step ?? 0, checkpoint: previous?.checkpoint, checkpointStep: previous?.checkpointStep };
      const beat = () => ctx.heartbeat({ ...state });
      beat();

      // MLflow logging never blocks the trainer's output; failures are logged, not fatal.
      let logging: Promise<void> = Promise.resolve();
      const logMetrics = (metrics: Record<string, number>, step: number) => {
        logging = logging.then(() => mlflow.logBatch(runId, { metrics, step })).catch((e) => log.warn('MLflow metric logging failed', { error: (e as Error).message }));
      };

      const python = trainerPython(options.python ?? deps.config.trainerPython);
      log.info('starting the LoRA trainer', { python, args: args.join(' ') });
      const child = spawn(python, args, { cwd: PROJECT_ROOT, env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', TOKENIZERS_PARALLELISM: 'false' }, stdio: ['pipe', 'pipe', 'pipe'] });
      state.trainerPid = child.pid;
      const stderrTail: string[] = [];
      child.stderr!.setEncoding('utf8');
      createInterface({ input: child.stderr! }).on('line', (l) => {
        stderrTail.push(l);
        if (stderrTail.length > 40) stderrTail.shift();
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code, signal }));
      });

      let done: Extract<TrainerEvent, { event: 'done' }> | undefined;
      let trainerError: string | undefined;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let ev: TrainerEvent;
        try {
          ev = JSON.parse(line) as TrainerEvent;
        } catch {
          return; // not ours
        }
        switch (ev.event) {
          case 'start':
            Object.assign(state, { phase: 'training', maxSteps: ev.max_steps, resumedFromStep: ev.resumed_from_step, step: ev.resumed_from_step });
            if (ev.gpu) logging = logging.then(() => mlflow.logBatch(runId, { tags: { 'correctly.gpu': String(ev.gpu) } })).catch(() => {});
            break;
          case 'progress':
            Object.assign(state, { step: ev.step, maxSteps: ev.max_steps, loss: ev.loss, learningRate: ev.learning_rate, gpuMemMb: ev.gpu_mem_mb });
            logMetrics(numeric({ loss: ev.loss, learning_rate: ev.learning_rate, grad_norm: ev.grad_norm, epoch: ev.epoch, gpu_mem_mb: ev.gpu_mem_mb, gpu_peak_mem_mb: ev.gpu_peak_mem_mb, rss_mb: ev.rss_mb, cpu_s: ev.cpu_s }), ev.step);
            break;
          case 'eval':
            state.evalLoss = ev.eval_loss;
            logMetrics(numeric({ eval_loss: ev.eval_loss }), ev.step);
            break;
          case 'checkpoint':
            Object.assign(state, { checkpoint: ev.path, checkpointStep: ev.step });
            break;
          case 'done':
            done = ev;
            break;
          case 'error':
            trainerError = ev.message;
            break;
        }
        beat();
      });

      const every = options.heartbeatEveryMs ?? Math.min(10_000, Math.max(500, (ctx.info.heartbeatTimeoutMs ?? 30_000) / 3));
      const timer = setInterval(beat, every);
      const killGrace = options.killGraceMs ?? 10_000;
      let killTimer: NodeJS.Timeout | undefined;
      const onCancel = () => {
        log.info('fine-tune cancelled: stopping the trainer', { pid: child.pid });
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), killGrace);
      };
      ctx.cancellationSignal.addEventListener('abort', onCancel, { once: true });

      let result: { code: number | null; signal: NodeJS.Signals | null };
      try {
        result = await exited;
      } catch (e) {
        throw ApplicationFailure.nonRetryable(`cannot start the trainer with ${python}: ${(e as Error).message} (run trainer/setup.sh or set CORRECTLY_TRAINER_PYTHON)`, 'TrainerUnavailable');
      } finally {
        clearInterval(timer);
        if (killTimer) clearTimeout(killTimer);
        ctx.cancellationSignal.removeEventListener('abort', onCancel);
        await logging;
      }

      if (ctx.cancellationSignal.aborted) {
        await rows.update({ id: rowId }, { status: 'failed', finishedAt: new Date() });
        await mlflow.endRun(runId, 'KILLED').catch(() => {});
        throw ctx.cancellationSignal.reason;
      }
      if (result.code !== 0 || !done) {
        const why = trainerError ?? stderrTail.slice(-8).join('\n');
        const message = `trainer exited with ${result.signal ? `signal ${result.signal}` : `code ${result.code}`} at step ${state.step}: ${why}`;
        // exit code 2: bad arguments (argparse), not worth retrying
        if (result.code === 2) throw ApplicationFailure.nonRetryable(message, 'InvalidInput');
        throw ApplicationFailure.retryable(message, 'TrainerFailed');
      }

      state.phase = 'uploading';
      beat();
      const adapterFiles = await uploadDirectory(mlflow, run, done.adapter, 'adapter');
      beat();
      const modelFiles = done.merged ? await uploadDirectory(mlflow, run, done.merged, 'model') : [];
      await mlflow.uploadArtifact(run, 'model/README.md', `# Correctly LoRA model\n\nGemma 3 fine-tuned with LoRA on dataset md5 ${input.datasetMd5} (base: ${base}).\n\n- \`model/\`: merged weights (safetensors) and tokenizer; \`correctly\` deploys them to Ollama (adapters/providers/ollama-deploy.ts).\n- \`adapter/\`: the PEFT adapter alone (load on the base with \`PeftModel.from_pretrained\`).\n- \`metrics/lora-metrics.json\`: the trainer's metrics.\n`);
      await mlflow.uploadArtifact(run, 'metrics/lora-metrics.json', readFileSync(done.metrics_file));
      beat();

      const metrics = numeric({ ...done.metrics, adapter_files: adapterFiles.length, model_files: modelFiles.length });
      await mlflow.logBatch(runId, { metrics, step: state.step, tags: { 'correctly.device': String(done.metrics.device ?? ''), 'correctly.base_model': base } });
      await mlflow.endRun(runId, 'FINISHED');
      const artifactPath = done.merged ?? done.adapter;
      await rows.update({ id: rowId }, { status: 'succeeded', metrics, artifactPath, finishedAt: new Date() });
      return { runId, runUrl: runUrl(deps, run), backend: 'lora', artifactPath, metrics };
    },
  };
}

export type FinetuneActivities = ReturnType<typeof finetuneActivities>;
