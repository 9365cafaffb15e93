/**
 * The serving API process (`node --import tsx serve/main.ts`), as the stack and compose start it.
 * SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, then exit.
 */
import type { DataSource } from 'typeorm';
import { type Config, ConfigError, endpoints, loadConfig } from '../core/config';
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

async function main() {
  const config = loadConfig();
  const db = await waitForDatabase(config);
  const started = await startServingApi(config, { db, logLevel: process.env.LOG_LEVEL ?? 'info' });
  const api = { ...started, close: async () => (await started.close(), await db.destroy()) };
  const s = api.router.status();
  console.log(`serving API listening on ${api.url} (model ${s.modelName} ${s.modelVersion ? `v${s.modelVersion}` : 'none: Harper'})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining in-flight requests`);
    await api.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `serving API failed to start: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
