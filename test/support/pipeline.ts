/**
 * Everything a pipeline test needs, all real: Temporal (dev server through TestWorkflowEnvironment),
 * PGlite, MLflow and Chroma from the project's stack code, the seeded database, and workers either
 * in-process or as separate processes (to kill them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../../config';
import { seedDatabase } from '../../entities/seed';
import { PROJECT_ROOT } from '../../config/paths';
import { nodeProgram } from '../../ops/stack/process';
import { openDatabase } from '../../entities/data-source';
import { endpoints } from '../../config';
import { CorrectlyClient } from '../../client';
import { createWorker, type WorkerHandle } from '../../worker/run';
import { stackEnv, startTestStack, type TestStack } from './stack';
import { startTemporal } from './temporal';

export interface PipelineHarness {
  config: Config;
  env: Record<string, string>;
  stack: TestStack;
  temporal: TestWorkflowEnvironment;
  client: CorrectlyClient;
  startWorker(kind?: 'cpu' | 'gpu'): Promise<{ handle: WorkerHandle; running: Promise<void>; stop(): Promise<void> }>;
  spawnWorker(kind?: 'cpu' | 'gpu'): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export async function startPipelineHarness(extraEnv: Record<string, string> = {}): Promise<PipelineHarness> {
  const temporal = await startTemporal();
  const stack = await startTestStack(['database', 'mlflow', 'chroma'], { TEMPORAL_ADDRESS: temporal.address, ...extraEnv }).catch(async (e) => {
    await temporal.teardown().catch(() => {});
    throw e;
  });
  const config = stack.config;
  const ds = await openDatabase(endpoints(config).databaseUrl, { poolSize: 2 });
  await seedDatabase(ds);
  await ds.destroy();
  const client = await CorrectlyClient.connect(config);
  const env = stackEnv(stack.config, { TEMPORAL_ADDRESS: temporal.address, ...extraEnv });
  const workers: { stop(): Promise<void> }[] = [];
  const procs: ChildProcess[] = [];
  return {
    config,
    env,
    stack,
    temporal,
    client,
    async startWorker(kind = 'cpu') {
      const handle = await createWorker(kind, config);
      const running = handle.run();
      const w = {
        handle,
        running,
        async stop() {
          if (handle.worker.getState() === 'RUNNING') handle.worker.shutdown();
          await running;
        },
      };
      workers.push(w);
      return w;
    },
    async spawnWorker(kind = 'cpu') {
      const child = spawn(process.execPath, nodeProgram('worker', [kind]), {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      procs.push(child);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      // Ready once it says it is polling.
      const deadline = Date.now() + 120_000;
      while (!out.includes('polling')) {
        if (child.exitCode !== null) throw new Error(`worker exited: ${out}`);
        if (Date.now() > deadline) throw new Error(`worker did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return child;
    },
    async stop() {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) { p.kill('SIGKILL'); await once(p, 'exit').catch(() => {}); }
      // A worker waits for its in-flight tasks on shutdown; don't let that hold the suite.
      const grace = (ms: number) => new Promise((r) => setTimeout(r, ms));
      for (const w of workers) await Promise.race([w.stop().catch(() => {}), grace(20_000)]);
      await client.close();
      await stack.stop();
      await temporal.teardown();
    },
  };
}

