/**
 * A lost worker is noticed in seconds: two CPU worker processes, the one running evaluation is
 * SIGKILLed; the other picks up the retry once evaluation's heartbeat timeout has passed. The
 * workflow history must show that retry starting within the heartbeat timeout plus the retry
 * interval of the kill, and the pipeline must complete once (one evaluation scheduled, one model
 * version).
 */
import { readFileSync } from 'node:fs';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentName } from '../../activities/train';
import { endpoints } from '../../config';
import { MlflowClient } from '../../adapters/mlflow';
import { PROJECT_ROOT } from '../../config/paths';
import { nodeProgram } from '../../ops/stack/process';
import { activityRunning, type FaultStack, startFaultStack, waitFor } from '../faults/support';
import { stackEnv } from '../support/stack';

/** workflows/pipeline.ts: HEARTBEAT.evaluate and RETRY.initialInterval. */
const HEARTBEAT_TIMEOUT_MS = 30_000;
const RETRY_INTERVAL_MS = 1_000;
/** The dev server checks timers about once a second; the event's own timestamp granularity. */
const SLACK_MS = 2_000;

describe('a worker lost during evaluation', () => {
  let s: FaultStack;
  beforeAll(async () => {
    s = await startFaultStack();
    // A second worker, so the retry does not wait for a new process to start.
    const log = s.ts.stack.procs.logFile('worker-2');
    s.ts.stack.procs.start({ name: 'worker-2', cmd: process.execPath, args: nodeProgram('worker', ['cpu']), cwd: PROJECT_ROOT, env: stackEnv(s.ts.config, { WORKER_METRICS_PORT: '0' }) });
    await waitFor('the second worker to poll', async () => (readFileSync(log, 'utf8').includes('polling') ? true : undefined), 180_000);
  }, 400_000);
  afterAll(async () => {
    await s?.ts.stack.procs.stop('worker-2').catch(() => {});
    await s?.stop();
  });

  it('is noticed within the heartbeat timeout: the other worker retries, the pipeline completes once', async () => {
    const model = 'heartbeat-kill-model';
    const run = await s.client.startPipeline({ samples: 200, seed: 23, modelName: model, gate: { jflegLimit: 300 }, trigger: 'heartbeat test' }, { workflowId: 'heartbeat-kill-evaluate' });
    const identity = await waitFor<string>('evaluation to run', async () => {
      const p = await run.progress();
      if (['succeeded', 'failed'].includes(p.state)) throw new Error(`pipeline ${p.state} before evaluation could be interrupted`);
      if (!(await activityRunning(s.client, run.workflowId, 'evaluateCandidate'))) return undefined;
      const d = await run.handle.describe();
      return d.raw.pendingActivities?.find((a) => a.activityType?.name === 'evaluateCandidate')?.lastWorkerIdentity ?? undefined;
    }, 400_000);
    const pid = Number(/@(\d+)$/.exec(identity)![1]);
    const killedAt = Date.now();
    process.kill(-pid, 'SIGKILL'); // each worker leads its own process group (ProcessManager)

    const result = await run.result();
    expect((await run.handle.describe()).status.name).toBe('COMPLETED');
    const history = await run.handle.fetchHistory();
    const events = history.events ?? [];
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'evaluateCandidate');
    expect(scheduled).toHaveLength(1);
    const started = events.find((e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled[0].eventId?.toString())!;
    expect(started.activityTaskStartedEventAttributes!.attempt).toBe(2);
    expect(started.activityTaskStartedEventAttributes!.lastFailure?.message ?? '').toMatch(/heartbeat/i);
    const retryAfterMs = optionalTsToMs(started.eventTime)! - killedAt;
    console.log(`evaluation retried ${(retryAfterMs / 1000).toFixed(1)} s after the kill (heartbeat timeout ${HEARTBEAT_TIMEOUT_MS / 1000} s)`);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(HEARTBEAT_TIMEOUT_MS + RETRY_INTERVAL_MS + SLACK_MS);
    // Once: one MLflow run and one model version for the pipeline.
    const mlflow = new MlflowClient(endpoints(s.ts.config).mlflowUrl);
    const runs = await mlflow.searchRuns([await mlflow.experimentId(experimentName(model))], `tags.pipeline_id = '${run.workflowId}'`);
    expect(runs.map((r) => r.info.run_id)).toEqual([result.mlflowRunId]);
    expect((await mlflow.searchModelVersions(`name = '${model}'`)).map((v) => v.version)).toEqual(['1']);
  }, 600_000);
});
