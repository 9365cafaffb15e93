/**
 * What activities need from the outside world, injected so tests pass real components in.
 * Connections are opened lazily and shared by all activities of a worker.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { type Config, endpoints } from '../config';
import { DvcRepo } from '../adapters/dvc';
import { EnginePool } from '../adapters/engine-pool/pool';
import { MlflowClient } from '../adapters/mlflow';
import { openDatabase } from '../entities/data-source';

export interface ActivityDeps {
  config: Config;
  paths: ReturnType<typeof endpoints>;
  db(): Promise<DataSource>;
  mlflow: MlflowClient;
  dvc: DvcRepo;
  /** Worker threads for correction and other CPU-bound work (started on first use), so the event loop stays free for workflow tasks. */
  engines(): EnginePool;
  close(): Promise<void>;
}

export function createDeps(config: Config): ActivityDeps {
  const paths = endpoints(config);
  let db: Promise<DataSource> | undefined;
  let engines: EnginePool | undefined;
  return {
    config,
    paths,
    db() {
      db ??= openDatabase(paths.databaseUrl).catch((e) => {
        db = undefined; // let the next attempt (activity retry) reconnect
        throw e;
      });
      return db;
    },
    mlflow: new MlflowClient(paths.mlflowUrl),
    dvc: new DvcRepo(paths.dvcRepo, paths.dvcRemote, path.join(paths.venvBin, 'dvc')),
    engines() {
      engines ??= EnginePool.fromConfig(config);
      return engines;
    },
    async close() {
      await engines?.close();
      if (db) await (await db).destroy().catch(() => {});
    },
  };
}
