/**
 * Stage 4 on CPU: learn the rules model (context edit rules over Harper) from the training split,
 * log it to MLflow as the run's model artifact. One MLflow run per pipeline: the run is found by
 * its key tag, so a retry after a worker crash continues the same run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { RULES_ARTIFACT, SCORER_ARTIFACT } from '../adapters/mlflow-models';
import { BASE_FEATURES } from '../core/engines/features';
import type { RuleModelJSON, TrainOptions } from '../core/engines/rules';
import type { OffThread } from '../adapters/engine-pool/pool';
import { TrainedScorer } from '../core/engines/scorer';
import type { LabelledPair, ScorerRow, WrongEvidence } from '../core/engines/scorer-data';
import { splitLines } from '../adapters/jfleg';
import { stableId } from '../core/ids';
import { seededSample } from '../core/random';
import { PROJECT_ROOT } from '../config/paths';
import { endpoints, links } from '../config';
import { OUTSIDE_TEMPORAL_QUEUE } from '../contracts/queues';
import { DEFAULT_SCORER_PAIRS } from '../contracts/pipeline';
import { TrainingRunSchema } from '../entities';
import type { ActivityDeps } from './deps';

export interface TrainInput {
  pipelineId: string;
  modelName: string;
  datasetMd5: string;
  datasetPath: string;
  seed: number;
  /** Most training pairs the edit scorer is fitted on (seeded sample; 0: none, the prior decides). Default 20 000. */
  scorerPairs?: number;
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

export function readSplit(datasetPath: string, split: 'train' | 'valid' | 'test'): { id: string; awkward: string; corrected: string; reason: string; source?: string }[] {
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

/** Served edits learners marked wrong, as the version stage wrote them beside the splits (absent: none). */
function readWrongEvidence(datasetPath: string): WrongEvidence[] {
  const file = path.join(datasetPath, 'wrong-edits.jsonl');
  if (!existsSync(file)) return [];
  return splitLines(readFileSync(file, 'utf8')).map((l) => JSON.parse(l) as WrongEvidence);
}

/**
 * Fits the edit scorer: training rows from the ensemble's options on the train split (in a pool
 * thread), threshold on the valid split, LightGBM in the project venv's Python (trainer/scorer.py),
 * heartbeating meanwhile. Too little data is not an error: the run keeps the prior and says why.
 */
async function trainScorer(
  deps: ActivityDeps,
  a: { dir: string; train: LabelledPair[]; valid: LabelledPair[]; wrong: WrongEvidence[]; patterns: RuleModelJSON; seed: number; cpu: OffThread<typeof import('./cpu')> },
): Promise<{ model: string | null; skipped: string | null; metrics: Record<string, number> }> {
  const ctx = Context.current();
  const { languagetoolUrl, answerStoreDir } = endpoints(deps.config);
  const beat = setInterval(() => ctx.heartbeat({ stage: 'scorer rows' }), 5000);
  let train: ScorerRow[];
  let valid: ScorerRow[];
  const t0 = performance.now();
  try {
    [train, valid] = await Promise.all([a.cpu.scorerRows(a.train, a.wrong, { languagetoolUrl, answerStoreDir, patterns: a.patterns }), a.cpu.scorerRows(a.valid, [], { languagetoolUrl, answerStoreDir, patterns: a.patterns })]);
  } finally {
    clearInterval(beat);
  }
  const rowsSeconds = (performance.now() - t0) / 1000;
  mkdirSync(a.dir, { recursive: true });
  const files = { train: path.join(a.dir, 'train.jsonl'), valid: path.join(a.dir, 'valid.jsonl'), base: path.join(a.dir, 'base-features.json'), out: path.join(a.dir, 'scorer.json') };
  writeFileSync(files.train, train.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(files.valid, valid.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(files.base, JSON.stringify(BASE_FEATURES));
  const python = path.join(endpoints(deps.config).venvBin, 'python');
  const args = ['-m', 'trainer.scorer', '--train', files.train, '--valid', files.valid, '--base-features', files.base, '--out', files.out, '--seed', String(a.seed)];
  const fitted = await runPython(python, args, () => ctx.heartbeat({ stage: 'fitting the scorer', rows: train.length }), ctx.cancellationSignal);
  const common = { scorer_rows_seconds: rowsSeconds, scorer_wrong_evidence: a.wrong.length };
  if (fitted.code !== 0) {
    const why = fitted.stderr.trim().split('\n').at(-1) ?? `exit ${fitted.code}`;
    if (/too little training data/.test(why)) return { model: null, skipped: why, metrics: { ...common, scorer_train_rows: train.length } };
    throw new Error(`edit scorer training failed: ${why}`);
  }
  const model = readFileSync(files.out, 'utf8');
  const scorer = TrainedScorer.fromJSON(model); // a model this build cannot load fails the stage now, not in serving
  const m = scorer.model.metrics;
  // Model selection on the validation split: the trained scorer replaces the prior only if the
  // ensemble corrects the validation pairs better with it (a scorer fitted on little or unlike
  // data can be worse than the prior it started from).
  ctx.heartbeat({ stage: 'choosing between the trained scorer and the prior on the validation split' });
  const [withScorer, withPrior] = await Promise.all([
    a.cpu.ensembleGleu(a.valid, { languagetoolUrl, answerStoreDir, patterns: a.patterns, scorer: model }),
    a.cpu.ensembleGleu(a.valid, { languagetoolUrl, answerStoreDir, patterns: a.patterns, scorer: null }),
  ]);
  const used = withScorer > withPrior;
  const chosen = { scorer_used: used ? 1 : 0, scorer_valid_gleu: withScorer, prior_valid_gleu: withPrior };
  if (!used) {
    writeFileSync(path.join(a.dir, 'scorer-not-used.json'), model);
    return { model: null, skipped: `the trained scorer was not better than the prior on the validation split (GLEU ${withScorer.toFixed(4)} vs ${withPrior.toFixed(4)})`, metrics: { ...common, ...chosen, scorer_train_rows: m.train_rows ?? train.length } };
  }
  return {
    model,
    skipped: null,
    metrics: {
      ...common,
      ...chosen,
      scorer_train_rows: m.train_rows ?? train.length,
      scorer_valid_rows: m.valid_rows ?? valid.length,
      scorer_threshold: scorer.threshold,
      scorer_valid_f05: m.valid_f05 ?? 0,
      scorer_valid_precision: m.valid_precision ?? 0,
      scorer_valid_recall: m.valid_recall ?? 0,
      scorer_features: scorer.model.features.length,
      scorer_trees: scorer.model.booster.tree_info.length,
      scorer_bytes: Buffer.byteLength(model),
      scorer_fit_seconds: m.train_seconds ?? 0,
    },
  };
}

/** Runs a Python command without blocking the event loop; `beat` is called every 5 s meanwhile. */
function runPython(python: string, args: string[], beat: () => void, signal: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: PROJECT_ROOT, signal, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(beat, 5000);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e.name === 'AbortError' ? e : new Error(`cannot run ${python}: ${e.message} (run \`make setup\` to create the venv)`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
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

      // The edit scorer: which of the base systems' candidate edits (and the patterns') to keep.
      const scorerPairs = input.scorerPairs ?? DEFAULT_SCORER_PAIRS;
      const scorerTrain = seededSample(train, scorerPairs, input.seed);
      const labelled = (s: { id: string; awkward: string; corrected: string }) => ({ id: s.id, source: s.awkward, target: s.corrected });
      ctx.heartbeat({ stage: 'scorer rows', pairs: scorerTrain.length + valid.length });
      const scorer = scorerPairs === 0 ? { model: null, skipped: 'not fitted (train.scorerPairs is 0)', metrics: {} } : await trainScorer(deps, {
        dir: path.join(path.dirname(artifactPath), 'scorer'),
        train: scorerTrain.map(labelled),
        valid: valid.map(labelled),
        wrong: readWrongEvidence(input.datasetPath),
        patterns: model,
        seed: input.seed,
        cpu,
      });
      if (scorer.model) await mlflow.uploadArtifact(run, SCORER_ARTIFACT, scorer.model);
      await mlflow.uploadArtifact(
        run,
        'model/README.md',
        `# Correctly model\n\nThe ensemble (Harper + LanguageTool + learned patterns) with its edit scorer, trained on ${train.length} pairs (dataset md5 ${input.datasetMd5}).\n\n` +
          `- \`rules.json\`: ${model.rules.length} learned context patterns (\`RuleModel.fromJSON\`, core/engines/rules.ts), one more source of candidate edits.\n` +
          (scorer.model
            ? `- \`scorer.json\`: the edit scorer, LightGBM trees boosted from the prior (\`TrainedScorer.fromJSON\`, core/engines/scorer.ts): ${scorer.metrics.scorer_train_rows} training rows, threshold ${scorer.metrics.scorer_threshold} (F0.5 on ${scorer.metrics.scorer_valid_rows} validation rows: ${scorer.metrics.scorer_valid_f05?.toFixed(3)}).\n`
            : `- no edit scorer: ${scorer.skipped}; the hand-set prior decides.\n`),
      );
      const metrics = { train_pairs: train.length, valid_pairs: valid.length, rules: model.rules.length, train_seconds: (performance.now() - t0) / 1000, rules_seconds: trainSeconds, ...scorer.metrics };
      await mlflow.logBatch(runId, {
        params: {
          dataset_md5: input.datasetMd5,
          dataset_path: input.datasetPath,
          seed: input.seed,
          trainer: 'rules',
          scorer_pairs: scorerPairs,
          git_commit: currentGitCommit(),
          scorer: scorer.model ? 'lightgbm' : `prior (${scorer.skipped})`.slice(0, 250),
          ...Object.fromEntries(Object.entries(input.options ?? {}).map(([k, v]) => [`rules_${k}`, String(v)])),
        },
        metrics,
      });
      await mlflow.endRun(runId, 'FINISHED');
      await rows.update({ id: rowId }, { status: 'succeeded', metrics, artifactPath, finishedAt: new Date() });
      return { runId, runUrl: runUrl(deps, run), backend: 'rules', artifactPath, metrics };
    },
  };
}
