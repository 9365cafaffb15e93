/**
 * Runs the serving API in the foreground until SIGTERM/SIGINT, then stops accepting connections and
 * lets in-flight requests finish. Shared by serve/main.ts (stack, compose) and `correctly serve`.
 */
import type { DataSource } from 'typeorm';
import { type Config, endpoints } from '../config';
import { openDatabase } from '../entities/data-source';
import { startServingApi } from './server';

/** `stack up` starts the database and the API together: wait for the database rather than die. */
async function waitForDatabase(config: Config, timeoutMs = 120_000): Promise<DataSource> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase(endpoints(config).databaseUrl, { poolSize: 8 });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      if (attempt === 1) console.log(`waiting for the database (${(e as Error).message})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export async function runServingApi(config: Config, opts: { port?: number; host?: string } = {}): Promise<void> {
  const db = await waitForDatabase(config);
  const api = await startServingApi(config, { db, logLevel: process.env.LOG_LEVEL ?? 'info', ...opts }).catch(async (e) => {
    await db.destroy();
    throw e;
  });
  const s = api.router.status();
  console.log(`serving API listening on ${api.url} (model ${s.modelName} ${s.modelVersion ? `v${s.modelVersion}` : 'none: Harper'}); page ${api.url}/, dashboard ${api.url}/dashboard`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      console.log(`${signal}: draining in-flight requests`);
      void api.close().then(() => db.destroy()).then(resolve, resolve);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
