/** The serving API process: `node dist/cli/serve.js` (the build, as the stack starts it) or `node --import tsx serve/main.ts` (source, as compose starts it). */
import { ConfigError, loadConfig } from '../config';
import { runServingApi } from './run';

runServingApi(loadConfig()).then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : `serving API failed to start: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
