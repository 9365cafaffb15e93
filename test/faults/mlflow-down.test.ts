/**
 * MLflow down during promotion: the promote activity fails while the registry is unreachable and
 * is retried; once MLflow is back it completes, and the registry holds one run and one version,
 * with the champion alias on it.
 * The approval gate holds the pipeline just before promotion, so the outage starts at a known point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../config';
import { MlflowClient } from '../../adapters/mlflow';
import type { PipelineInput } from '../../contracts/pipeline';
import { pipelineTimeline } from '../support/history';
import { assertStillRunning, controlRun, expectIntact, type FaultStack, startFaultStack, waitFor } from './support';

const INPUT: PipelineInput = { samples: 300, seed: 9, gate: { jflegLimit: 30, promoteWhen: 'no-significant-regression' }, trigger: 'fault test: mlflow down' };

describe('fault: MLflow down during promotion', () => {
  let s: FaultStack;
  let control: Awaited<ReturnType<typeof controlRun>>;
  beforeAll(async () => {
    s = await startFaultStack();
    control = await controlRun(s, INPUT, 'control-mlflow');
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('the promote activity retries until MLflow is back; one run, one version, champion set', async () => {
    expect(control.result.promoted).toBe(true); // otherwise there would be no promotion to disturb
    const model = 'fault-mlflow-model';
    const run = await s.client.startPipeline({ ...INPUT, modelName: model, approval: { required: true } }, { workflowId: 'fault-mlflow-down' });
    await waitFor('the approval gate', async () => {
      await assertStillRunning(run, 'the MLflow outage');
      return (await run.progress()).state === 'awaiting_approval' ? true : undefined;
    });

    await s.ts.stack.down(['mlflow']);
    await run.approve({ approved: true, reviewer: 'fault test' });
    // The promote activity has failed at least once against the missing server.
    const failure = await waitFor('a failed promote attempt', async () => {
      const d = await run.handle.describe();
      const p = (d.raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'promoteCandidate');
      return p && (p.attempt ?? 0) >= 2 ? p.lastFailure?.message ?? '' : undefined;
    });
    expect(failure).toMatch(/ECONNREFUSED|fetch failed|connect|MLflow/i);
    expect((await run.progress()).state).toBe('running');
    await s.ts.stack.up(['mlflow']);

    const result = await expectIntact(s, run, model, control);
    expect(result.promoted).toBe(true);
    const mlflow = new MlflowClient(endpoints(s.ts.config).mlflowUrl);
    expect((await mlflow.getByAlias(model, 'champion'))?.version).toBe('1');
    expect(await mlflow.getByAlias(model, 'challenger')).toBeNull();
    const promote = (await pipelineTimeline(s.client.temporal, run.workflowId)).activities.filter((a) => a.type === 'promoteCandidate');
    expect(promote).toHaveLength(1);
    expect(promote[0].attempt).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
