/**
 * Models from the MLflow registry as correctors: a run's rules artifact, or whatever version an
 * alias (champion, previous, challenger) points at. Downloads are cached per version.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, endpoints } from '../config';
import { MlflowClient } from '../mlflow';
import { createCorrector, EngineConfigError, registerEngine } from './index';
import { RuleModel } from './rules';
import type { Corrector } from './types';

/** Where the trainer puts the model inside its MLflow run's artifacts. */
export const RULES_ARTIFACT = 'model/rules.json';

export interface LoadedModel {
  corrector: Corrector;
  modelVersion: string;
}

/** The rule model logged by an MLflow run. */
export async function loadRunModel(mlflow: MlflowClient, runId: string, cacheDir?: string): Promise<RuleModel> {
  const cached = cacheDir ? path.join(cacheDir, `${runId}.rules.json`) : undefined;
  if (cached && existsSync(cached)) return RuleModel.fromJSON(readFileSync(cached, 'utf8'));
  const run = await mlflow.getRun(runId);
  const json = (await mlflow.downloadArtifact(run, RULES_ARTIFACT)).toString('utf8');
  const model = RuleModel.fromJSON(json);
  if (cached) {
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, json);
  }
  return model;
}

/** A corrector for the version behind `alias`, or null when the alias is not set. */
export async function loadAlias(mlflow: MlflowClient, modelName: string, alias: string, cacheDir?: string): Promise<LoadedModel | null> {
  const mv = await mlflow.getByAlias(modelName, alias);
  if (!mv?.run_id) return null;
  const model = await loadRunModel(mlflow, mv.run_id, cacheDir);
  return { corrector: await createCorrector('rules', { model, modelVersion: mv.version }), modelVersion: mv.version };
}

registerEngine('champion', {
  description: 'the MLflow registry champion (MLFLOW_TRACKING_URI / MLFLOW_MODEL_NAME)',
  create: async () => {
    const config = loadConfig();
    const e = endpoints(config);
    const loaded = await loadAlias(new MlflowClient(e.mlflowUrl), config.mlflowModelName, 'champion', e.modelsDir);
    if (!loaded) throw new EngineConfigError(`no champion yet for model "${config.mlflowModelName}" at ${e.mlflowUrl}: run a pipeline first (make demo)`);
    return loaded.corrector;
  },
});
