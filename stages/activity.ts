/**
 * Runs an activity function outside Temporal. The activities read `Context.current()` (heartbeats,
 * logger); MockActivityEnvironment from @temporalio/testing supplies that context, so the stage
 * commands run exactly the code the workers run, with no Temporal server involved.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { OUTSIDE_TEMPORAL_QUEUE } from '../contracts/queues';

export interface ActivityRunOptions {
  /** Shown as the workflow id in the activity's info (the activities key nothing on it). */
  pipelineId: string;
  activityType: string;
  /** Called with each heartbeat's details (progress). */
  onHeartbeat?: (details: unknown) => void;
}

export async function runActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, opts: ActivityRunOptions, ...args: A): Promise<R> {
  const env = new MockActivityEnvironment(
    {
      activityType: opts.activityType,
      taskQueue: OUTSIDE_TEMPORAL_QUEUE,
      workflowType: 'dvcStage',
      workflowExecution: { workflowId: opts.pipelineId, runId: 'dvc-repro' },
      activityId: opts.activityType,
    },
    { logger: new DefaultLogger('ERROR') } // a failure reaches the CLI, which says it in one line,
  );
  if (opts.onHeartbeat) env.on('heartbeat', opts.onHeartbeat);
  return env.run(fn, ...args);
}
