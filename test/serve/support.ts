/**
 * Serving test helpers: a real database + MLflow (the project's stack code), the API on a free
 * port, and rule models trained from real pairs and registered in MLflow the way the pipeline's
 * train and registry activities do it.
 */
import type { DataSource } from 'typeorm';
import { endpoints, loadConfig, type Config } from '../../config';
import { RULES_ARTIFACT } from '../../adapters/mlflow-models';
import { trainRuleModel, type TrainingPair } from '../../core/engines/rules';
import { MlflowClient } from '../../adapters/mlflow';
import { openDatabase } from '../../entities/data-source';
import { startServingApi, type ServingApi, type ServingApiOptions } from '../../serve/server';
import { stackEnv, startTestStack, type TestStack } from '../support/stack';

export interface ServeHarness {
  stack: TestStack;
  config: Config;
  db: DataSource;
  mlflow: MlflowClient;
  /** Starts an API on a free port; extra env overrides settings (e.g. API_RATE_LIMIT). */
  startApi(env?: Record<string, string>, opts?: ServingApiOptions): Promise<ServingApi>;
  stop(): Promise<void>;
}

export async function startServeHarness(parts: ('database' | 'mlflow')[] = ['database', 'mlflow']): Promise<ServeHarness> {
  const stack = await startTestStack(parts);
  const config = stack.config;
  const db = await openDatabase(endpoints(config).databaseUrl, { poolSize: 8 });
  const apis: ServingApi[] = [];
  return {
    stack,
    config,
    db,
    mlflow: new MlflowClient(endpoints(config).mlflowUrl),
    async startApi(env = {}, opts = {}) {
      const c = Object.keys(env).length ? loadConfig({ ...process.env, ...stackEnv(config), ...env }) : config;
      const api = await startServingApi(c, { port: 0, db, logLevel: 'warn', ...opts });
      apis.push(api);
      return api;
    },
    async stop() {
      for (const a of apis) await a.close().catch(() => {});
      await db.destroy().catch(() => {});
      await stack.stop();
    },
  };
}


/** "went to store" misses its article in these pairs; a model learnt from them inserts "the". */
export const STORE_PAIRS: TrainingPair[] = [
  ['I went to store yesterday.', 'I went to the store yesterday.'],
  ['She walked to store with her dog.', 'She walked to the store with her dog.'],
  ['We drove to store after work.', 'We drove to the store after work.'],
  ['They ran to store in the rain.', 'They ran to the store in the rain.'],
  ['He goes to store every week.', 'He goes to the store every week.'],
  ['I went to school yesterday.', 'I went to school yesterday.'],
  ['She walked to work with her dog.', 'She walked to work with her dog.'],
  ['They went to bed early.', 'They went to bed early.'],
  ['The store is open.', 'The store is open.'],
  ['I went to the store.', 'I went to the store.'],
].map(([source, target]) => ({ source, target }));

/**
 * Trains a rule model on `pairs`, logs it as an MLflow run's model/rules.json, registers a model
 * version from the run and (optionally) points `champion` at it. Returns the version.
 */
export async function registerRulesVersion(
  mlflow: MlflowClient,
  modelName: string,
  key: string,
  opts: { pairs?: TrainingPair[]; artifact?: string; champion?: boolean } = {},
): Promise<string> {
  const exp = await mlflow.experimentId('serve-tests');
  const run = await mlflow.findOrCreateRun(exp, key, key);
  const json = opts.artifact ?? JSON.stringify(trainRuleModel(opts.pairs ?? STORE_PAIRS, { minCount: 2, minPrecision: 0.8, confidence: 0 }).toJSON());
  await mlflow.uploadArtifact(run, RULES_ARTIFACT, json);
  await mlflow.endRun(run.info.run_id);
  await mlflow.ensureRegisteredModel(modelName);
  const mv = await mlflow.findOrCreateModelVersion(modelName, run.info.run_id, `${run.info.artifact_uri}/model`);
  if (opts.champion ?? true) await mlflow.setAlias(modelName, 'champion', mv.version);
  return mv.version;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
