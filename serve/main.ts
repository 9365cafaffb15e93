/**
 * The serving API process (`node --import tsx serve/main.ts`), as the stack and compose start it.
 * SIGTERM/SIGINT stop accepting connections, let in-flight requests finish, then exit.
 */
import { ConfigError, loadConfig } from '../core/config';
import { startServingApi } from './server';

async function main() {
  const config = loadConfig();
  const api = await startServingApi(config, { logLevel: process.env.LOG_LEVEL ?? 'info' });
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
