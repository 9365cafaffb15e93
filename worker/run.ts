/**
 * Starts a worker for one task queue. The Temporal runtime handles SIGINT/SIGTERM: the worker
 * stops polling, lets running activities finish (up to shutdownGraceTime), then run() resolves.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Config, loadConfig } from '../config';
import { registerAllEngines } from '../adapters/engines';
import { createActivities, createGpuActivities } from '../activities';
import { createDeps } from '../activities/deps';
import { CPU_QUEUE, GPU_QUEUE } from '../contracts/queues';
import { ResourceMonitor, serveWorkerMetrics } from '../ops/monitoring/resources';
import { workflowBundle } from './workflow-bundle';

export type WorkerKind = 'cpu' | 'gpu';

export interface WorkerHandle {
  worker: Worker;
  run(): Promise<void>;
}

/** Builds (does not run) a worker with the kept workflow bundle (./workflow-bundle); `extra` overrides any option. */
export async function createWorker(kind: WorkerKind, config: Config = loadConfig(), extra: Partial<WorkerOptions> = {}): Promise<WorkerHandle> {
  // Engines built on this thread (champion, openai, ollama); the offline ones run in the pool's threads.
  registerAllEngines(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const deps = createDeps(config);
  if (kind === 'cpu') {
    // Corrections and heavy pure CPU work of the activities run in these threads: this event loop
    // completes workflow tasks and must not wait behind them (TMPRL1104).
    deps.engines().on((e) => {
      if (e.type === 'crash') console.warn(`engine ${e.engine} crashed (${e.detail}); its thread is being replaced`);
      if (e.type === 'timeout') console.warn(`engine ${e.engine} ran past ${e.ms} ms; its thread was stopped and is being replaced`);
    });
  }
  // CPU, memory and GPU sampled during activities: Prometheus /metrics and MLflow system metrics.
  const monitor = new ResourceMonitor({ worker: `${kind}-worker@${process.pid}`, intervalMs: config.resourceSampleInterval, mlflow: deps.mlflow, log: (m) => console.warn(m) });
  await serveWorkerMetrics(monitor, config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: kind === 'cpu' ? CPU_QUEUE : GPU_QUEUE,
    // The GPU queue runs the fine-tune activity only; workflows live on the CPU queue.
    ...(kind === 'cpu' ? { workflowBundle: extra.workflowBundle ?? { code: (await workflowBundle()).code }, activities: createActivities(deps) } : { activities: createGpuActivities(deps) }),
    identity: `${kind}-worker@${process.pid}`,
    shutdownGraceTime: '30 seconds',
    interceptors: { activity: [monitor.interceptor()] },
    ...extra,
  });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await monitor.close();
        await deps.close();
        await connection.close();
      }
    },
  };
}
