/**
 * What activities need from the outside world, injected so tests pass real components in.
 * Connections are opened lazily and shared by all activities of a worker.
 */
import type { DataSource } from 'typeorm';
import { type Config, endpoints } from '../core/config';
import { openDatabase } from '../entities/data-source';

export interface ActivityDeps {
  config: Config;
  db(): Promise<DataSource>;
  close(): Promise<void>;
}

export function createDeps(config: Config): ActivityDeps {
  let db: Promise<DataSource> | undefined;
  return {
    config,
    db() {
      db ??= openDatabase(endpoints(config).databaseUrl).catch((e) => {
        db = undefined; // let the next attempt (activity retry) reconnect
        throw e;
      });
      return db;
    },
    async close() {
      if (db) await (await db).destroy().catch(() => {});
    },
  };
}
