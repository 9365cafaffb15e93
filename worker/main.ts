/** Worker process entry: `node dist/cli/worker.js cpu|gpu` (the build, as the stack starts it), `tsx worker/main.ts cpu|gpu` (source), or `correctly worker cpu|gpu`. */
import { ConfigError, loadConfig } from '../config';
import { createWorker, type WorkerKind } from './run';

const kind = (process.argv[2] ?? 'cpu') as WorkerKind;
if (kind !== 'cpu' && kind !== 'gpu') {
  console.error(`unknown worker kind "${kind}": use cpu or gpu`);
  process.exit(2);
}
try {
  const config = loadConfig();
  const handle = await createWorker(kind, config);
  console.log(`correctly ${kind} worker polling ${handle.worker.options.taskQueue} on ${config.temporalAddress}`);
  await handle.run();
  console.log(`correctly ${kind} worker stopped`);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `worker failed: ${(e as Error).message}`);
  process.exit(1);
}
