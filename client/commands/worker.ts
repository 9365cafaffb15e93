/** `correctly worker cpu|gpu`: a worker process polling the CPU queue (workflows and every stage) or the GPU queue (the fine-tune only). */
import type { Command } from 'commander';
import { createWorker, type WorkerKind } from '../../worker/run';
import { action, cliConfig, UsageError } from './util';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run a worker: cpu (workflows + all CPU stages) or gpu (the LoRA fine-tune); stops gracefully on SIGTERM/SIGINT')
    .argument('[kind]', 'cpu or gpu', 'cpu')
    .action(action(async (kind: string) => {
      if (kind !== 'cpu' && kind !== 'gpu') throw new UsageError(`unknown worker kind "${kind}": use cpu or gpu`);
      const config = cliConfig();
      const handle = await createWorker(kind as WorkerKind, config);
      console.log(`correctly ${kind} worker polling ${handle.worker.options.taskQueue} on ${config.temporalAddress}`);
      await handle.run();
      console.log(`correctly ${kind} worker stopped`);
    }));
}
