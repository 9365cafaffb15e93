/**
 * Stage 4 on CPU: learn the rules model (context edit rules over Harper) from the training split,
 * log it to MLflow as the run's model artifact. One MLflow run per pipeline: the run is found by
 * its key tag, so a retry after a worker crash continues the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { RULES_ARTIFACT } from '../adapters/mlflow-models';
import type { TrainOptions } from '../core/engines/rules';
import { splitLines } from '../adapters/jfleg';
import { stableId } from '../core/ids';
import { PROJECT_ROOT } from '../config/paths';
import { links } from '../config';
import { OUTSIDE_TEMPORAL_QUEUE } from '../contracts/queues';
import { TrainingRunSchema } from '../entities';
import type { ActivityDeps } from './deps';

export interface TrainInput {
  pipelineId: string;
  modelName: string;
  datasetMd5: string;
  datasetPath: string;
  seed: number;
  trigger: string;
  options?: TrainOptions;
  /** When the pipeline started: the MLflow run starts then too, so it spans the pipeline. */
  pipelineStartedAt?: string;
}
export interface TrainOutput {
  runId: string;
  /** The run's page in the MLflow UI. */
  runUrl?: string;
  backend: 'rules' | 'lora';
  artifactPath: string;
  metrics: Record<string, number>;
}

export function experimentName(modelName: string) {
  return `correctly/${modelName}`;
}

let gitCommit: string | undefined;
export function currentGitCommit(): string {
  gitCommit ??= process.env.CORRECTLY_GIT_COMMIT ?? (() => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  return gitCommit;
}

export function readSplit(datasetPath: string, split: 'train' | 'valid' | 'test'): { id: string; awkward: string; corrected: string; reason: string }[] {
  return splitLines(readFileSync(path.join(datasetPath, `${split}.jsonl`), 'utf8')).map((l) => JSON.parse(l));
}

/** Finds or creates the pipeline's training run and records its lineage. */
export async function trainingRun(deps: ActivityDeps, input: TrainInput, backend: 'rules' | 'lora') {
  const expId = await deps.mlflow.experimentId(experimentName(input.modelName));
  const run = await deps.mlflow.findOrCreateRun(expId, `${input.pipelineId}/train`, `train ${input.pipelineId}`, {
    pipeline_id: input.pipelineId,
    dataset_md5: input.datasetMd5,
    trainer: backend,
    trigger: input.trigger,
    'mlflow.source.git.commit': currentGitCommit(),
    ...temporalTags(deps),
  }, input.pipelineStartedAt ? Date.parse(input.pipelineStartedAt) : Date.now());
  // The DVC dataset as the run's input: MLflow's Datasets panel names it, with its md5 and remote.
  const counts = Object.fromEntries((['train', 'valid', 'test'] as const).map((split) => [split, countLines(input.datasetPath, split)]));
  await deps.mlflow.logInputs(run.info.run_id, [
    {
      name: `dataset-${input.pipelineId}`.slice(0, 500),
      digest: input.datasetMd5.replace('.dir', '').slice(0, 36),
      sourceType: 'dvc',
      source: { md5: input.datasetMd5, path: input.datasetPath, repo: deps.paths.dvcRepo, remote: deps.paths.dvcRemote },
      profile: counts,
      context: 'training',
    },
  ]);
  return run;
}

/** The workflow that runs this activity, as MLflow tags and a note linking its Web UI page. */
function temporalTags(deps: ActivityDeps): Record<string, string> {
  const info = Context.current().info;
  if (info.taskQueue === OUTSIDE_TEMPORAL_QUEUE || !info.workflowExecution) return { 'correctly.origin': 'dvc repro' };
  const { workflowId, runId } = info.workflowExecution;
  const url = links(deps.config).workflow(workflowId, runId);
  return {
    'correctly.origin': 'temporal',
    'temporal.workflow_id': workflowId,
    'temporal.run_id': runId,
    'temporal.web_ui': url,
    'mlflow.note.content': `Trained by the Temporal workflow [${workflowId}](${url}) (run ${runId}).`,
  };
}

function countLines(datasetPath: string, split: 'train' | 'valid' | 'test'): number {
  try {
    return splitLines(readFileSync(path.join(datasetPath, `${split}.jsonl`), 'utf8')).length;
  } catch {
    return 0;
  }
}

export function runUrl(deps: ActivityDeps, run: { info: { run_id: string; experiment_id: string } }): string {
  return links(deps.config).mlflowRun(run.info.run_id, run.info.experiment_id);
}

export function trainActivities(deps: ActivityDeps) {
  return {
    async trainRulesModel(input: TrainInput): Promise<TrainOutput> {
      const { mlflow } = deps;
      const run = await trainingRun(deps, input, 'rules');
      const runId = run.info.run_id;
      const artifactPath = path.join(deps.paths.modelsDir, runId, 'rules.json');
      const rowId = stableId('train', input.pipelineId);
      const rows = (await deps.db()).getRepository(TrainingRunSchema);
      if (run.info.status === 'FINISHED') {
        const done = await rows.findOneBy({ id: rowId });
        return { runId, runUrl: runUrl(deps, run), backend: 'rules', artifactPath, metrics: done?.metrics ?? {} };
      }
      await rows.upsert({ id: rowId, pipelineId: input.pipelineId, backend: 'rules', status: 'running', datasetMd5: input.datasetMd5, mlflowRunId: runId, params: { seed: input.seed, ...input.options }, startedAt: new Date() }, ['id']);

      const train = readSplit(input.datasetPath, 'train');
      const valid = readSplit(input.datasetPath, 'valid');
      const ctx = Context.current();
      ctx.heartbeat({ stage: 'training', pairs: train.length });
      const t0 = performance.now();
      // The valid split drops rules that are wrong more often than right on unseen pairs.
      const toPair = (s: { awkward: string; corrected: string }) => ({ source: s.awkward, target: s.corrected });
      // Training is pure CPU (seconds to minutes): in a pool thread, heartbeating meanwhile from here.
      const cpu = deps.engines().functions<typeof import('./cpu')>(new URL('./cpu.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const beat = setInterval(() => ctx.heartbeat({ stage: 'training', pairs: train.length }), 5000);
      let model: Awaited<ReturnType<typeof cpu.trainRules>>;
      try {
        model = await cpu.trainRules(train.map(toPair), input.options, valid.map(toPair));
      } finally {
        clearInterval(beat);
      }
      const trainSeconds = (performance.now() - t0) / 1000;
      ctx.heartbeat({ stage: 'uploading', rules: model.rules.length });

      const json = JSON.stringify(model);
      mkdirSync(path.dirname(artifactPath), { recursive: true });
      writeFileSync(artifactPath, json);
      await mlflow.uploadArtifact(run, RULES_ARTIFACT, json);
      await mlflow.uploadArtifact(run, 'model/README.md', `# Correctly rules model\n\nContext edit rules learnt from ${train.length} training pairs (dataset md5 ${input.datasetMd5}), applied after Harper.\nLoad with \`RuleModel.fromJSON\` (core/engines/rules.ts).\n`);
      const metrics = { train_pairs: train.length, valid_pairs: valid.length, rules: model.rules.length, train_seconds: trainSeconds };
      await mlflow.logBatch(runId, {
        params: { dataset_md5: input.datasetMd5, dataset_path: input.datasetPath, seed: input.seed, trainer: 'rules', git_commit: currentGitCommit(), ...Object.fromEntries(Object.entries(input.options ?? {}).map(([k, v]) => [`rules_${k}`, String(v)])) },
        metrics,
      });
      await mlflow.endRun(runId, 'FINISHED');
      await rows.update({ id: rowId }, { status: 'succeeded', metrics, artifactPath, finishedAt: new Date() });
      return { runId, runUrl: runUrl(deps, run), backend: 'rules', artifactPath, metrics };
    },
  };
}
