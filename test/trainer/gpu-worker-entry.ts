/**
 * A GPU-queue worker process for tests (so a test can SIGKILL it): finetuneActivities only, with
 * the base model and trainer arguments from CORRECTLY_LORA_BASE / CORRECTLY_LORA_ARGS.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDeps } from '../../activities/deps';
import { finetuneActivities } from '../../activities/finetune';
import { loadConfig } from '../../config';
import { GPU_QUEUE } from '../../contracts/queues';

const config = loadConfig();
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const deps = createDeps(config);
const worker = await Worker.create({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: GPU_QUEUE,
  activities: finetuneActivities(deps, { heartbeatEveryMs: 300, killGraceMs: 3000 }),
  // heartbeats reach the server at least every second, so the test sees checkpoints quickly
  maxHeartbeatThrottleInterval: '1 second',
  identity: `test-gpu-worker@${process.pid}`,
});
console.log(`gpu worker polling ${GPU_QUEUE}`);
try {
  await worker.run();
} finally {
  await deps.close();
  await connection.close();
}
