/** The serving API process (`node --import tsx serve/main.ts`), as the stack and compose start it. */
import { ConfigError, loadConfig } from '../config';
import { runServingApi } from './run';

runServingApi(loadConfig()).then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : `serving API failed to start: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
