/**
 * Models from the MLflow registry as correctors: a run's model (the rules file, or the LoRA
 * fine-tune's merged weights run locally through trainer/generate.py), or whatever version an
 * alias (champion, previous, challenger) points at. The run's `trainer` tag says which kind it is.
 * Downloads are cached per run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, endpoints } from '../config';
import { type MlflowModelVersion, type MlflowRun, MlflowClient, MlflowError } from './mlflow';
import { createLlmCorrector } from './providers/index';
import { downloadArtifactDir } from './providers/files';
import { createLocalCorrector } from './providers/transformers';
import { trainerPython } from './trainer-python';
import { createCorrector, type CreateCorrectorOptions, EngineConfigError, registerEngine, type RegisterEngine } from '../core/engines/index';
import { sha256 } from '../core/ids';
import { RuleModel } from '../core/engines/rules';
import type { Corrector } from '../core/engines/types';

/** Where the trainer puts the model inside its MLflow run's artifacts. */
export const RULES_ARTIFACT = 'model/rules.json';

export interface LoadedModel {
  corrector: Corrector;
  modelVersion: string;
}

/** The rule model logged by an MLflow run (the caller has the run already). */
export async function loadRunModel(mlflow: MlflowClient, run: MlflowRun, cacheDir?: string): Promise<RuleModel> {
  const cached = cacheDir ? path.join(cacheDir, `${run.info.run_id}.rules.json`) : undefined;
  if (cached && existsSync(cached)) return RuleModel.fromJSON(readFileSync(cached, 'utf8'));
  const json = (await mlflow.downloadArtifact(run, RULES_ARTIFACT)).toString('utf8');
  const model = RuleModel.fromJSON(json);
  if (cached) {
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, json);
  }
  return model;
}

/** Where the train stage puts the edit scorer in its MLflow run's artifacts. */
export const SCORER_ARTIFACT = 'model/scorer.json';

/**
 * The edit scorer a run logged, as JSON text, or null when it has none (runs before the scorer
 * existed, or trained on too little data: the prior decides for them). Cached per run.
 */
export async function loadRunScorer(mlflow: MlflowClient, run: MlflowRun, cacheDir?: string): Promise<string | null> {
  const cached = cacheDir ? path.join(cacheDir, `${run.info.run_id}.scorer.json`) : undefined;
  if (cached && existsSync(cached)) return readFileSync(cached, 'utf8') || null;
  let json = '';
  try {
    json = (await mlflow.downloadArtifact(run, SCORER_ARTIFACT)).toString('utf8');
  } catch (e) {
    if (!(e instanceof MlflowError && e.status === 404)) throw e;
  }
  if (cached) {
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, json);
  }
  return json || null;
}

/**
 * What a rules run's model is, as a digest of its artifacts (learned patterns and edit scorer), or
 * null for a LoRA run. Two runs that learned the same model correct every sentence the same way,
 * so evaluation keys its cached outputs by this rather than by run.
 */
export async function rulesModelDigest(mlflow: MlflowClient, run: MlflowRun, cacheDir?: string): Promise<string | null> {
  if (runTrainer(run) === 'lora') return null;
  const [patterns, scorer] = await Promise.all([loadRunModel(mlflow, run, cacheDir), loadRunScorer(mlflow, run, cacheDir)]);
  // only what decides corrections: the rules, and the scorer's trees and threshold (not its training report)
  const trees = scorer ? (({ features, threshold, init, booster }) => ({ features, threshold, init, booster }))(JSON.parse(scorer)) : null;
  return sha256(JSON.stringify({ rules: patterns.rules, scorer: trees }));
}

/** Where the LoRA fine-tune keeps its merged weights and tokenizer in the run's artifacts. */
export const LORA_MODEL_ARTIFACT = 'model';

/** Which trainer produced a run: its `trainer` tag (runs before the tag existed are rules runs). */
export function runTrainer(run: MlflowRun): 'rules' | 'lora' {
  return run.data.tags.find((t) => t.key === 'trainer')?.value === 'lora' ? 'lora' : 'rules';
}

/** The LoRA run's merged model, downloaded once into `cacheDir/<runId>/model`. */
export async function loadLoraModelDir(mlflow: MlflowClient, run: MlflowRun, cacheDir: string): Promise<string> {
  const dir = path.join(cacheDir, run.info.run_id, 'model');
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    const files = await downloadArtifactDir(mlflow, run, LORA_MODEL_ARTIFACT, dir);
    if (!files.some((f) => f.endsWith('.safetensors'))) throw new EngineConfigError(`MLflow run ${run.info.run_id} has no merged weights under ${LORA_MODEL_ARTIFACT}/ (trained with --no-merge?)`);
    writeFileSync(done, files.join('\n'));
  }
  return dir;
}

/** Builds an engine by name: createCorrector here, or an engine pool's create (off the event loop). */
export type CorrectorFactory = (name: string, opts: CreateCorrectorOptions) => Promise<Corrector>;

/** The model a training run logged, as a corrector reporting `modelVersion`. */
export async function loadRunCorrector(mlflow: MlflowClient, runId: string, modelVersion: string | null, cacheDir: string | undefined, config: Config, create: CorrectorFactory = createCorrector): Promise<Corrector> {
  const run = await mlflow.getRun(runId);
  if (runTrainer(run) === 'lora') {
    const modelDir = await loadLoraModelDir(mlflow, run, cacheDir ?? path.join(os.tmpdir(), 'correctly-models'));
    return createLocalCorrector({
      modelDir,
      python: trainerPython(config.trainerPython),
      maxNewTokens: config.loraMaxNewTokens,
      model: modelVersion ? `lora:v${modelVersion}` : `lora:${runId.slice(0, 8)}`,
      modelVersion,
    });
  }
  // a rules run's model is the learned patterns of the ensemble
  const [patterns, scorer] = await Promise.all([loadRunModel(mlflow, run, cacheDir), loadRunScorer(mlflow, run, cacheDir)]);
  return create('ensemble', { model: patterns, ...(scorer ? { scorer } : {}), modelVersion, languagetoolUrl: endpoints(config).languagetoolUrl });
}

/**
 * The corrector for a registered version: its model deployed in Ollama when the deploy stage put it
 * there (tag `ollama_model`) and OLLAMA_HOST is set, else the run's model run here.
 */
export async function loadVersionCorrector(mlflow: MlflowClient, mv: MlflowModelVersion, cacheDir: string | undefined, config: Config, create: CorrectorFactory = createCorrector): Promise<Corrector> {
  if (!mv.run_id) throw new EngineConfigError(`${mv.name} version ${mv.version} has no training run`);
  const ollamaModel = mv.tags.find((t) => t.key === 'ollama_model')?.value;
  if (ollamaModel && config.ollamaHost) return createLlmCorrector('ollama', config, { model: String(ollamaModel), modelVersion: mv.version });
  return loadRunCorrector(mlflow, mv.run_id, mv.version, cacheDir, config, create);
}

/** A corrector for the version behind `alias`, or null when the alias is not set. */
export async function loadAlias(mlflow: MlflowClient, modelName: string, alias: string, cacheDir: string | undefined, config: Config, create?: CorrectorFactory): Promise<LoadedModel | null> {
  const mv = await mlflow.getByAlias(modelName, alias);
  if (!mv?.run_id) return null;
  return { corrector: await loadVersionCorrector(mlflow, mv, cacheDir, config, create), modelVersion: mv.version };
}

/** The engine `champion`: whatever version the registry's champion alias points at, for this config. */
export function registerChampionEngine(config: Config, register: RegisterEngine = registerEngine): void {
  register('champion', {
    description: 'the MLflow registry champion (MLFLOW_TRACKING_URI / MLFLOW_MODEL_NAME)',
    create: async () => {
      const e = endpoints(config);
      const loaded = await loadAlias(new MlflowClient(e.mlflowUrl), config.mlflowModelName, 'champion', e.modelsDir, config);
      if (!loaded) throw new EngineConfigError(`no champion yet for model "${config.mlflowModelName}" at ${e.mlflowUrl}: run a pipeline first (make demo)`);
      return loaded.corrector;
    },
  });
}
