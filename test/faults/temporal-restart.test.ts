/**
 * The Temporal server restarted in the middle of a pipeline (SIGTERM, then started again on the
 * same port with the same SQLite file): the workflow carries on from its history, the worker
 * reconnects, and the run ends as an undisturbed one would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '../../contracts/pipeline';
import { pipelineTimeline } from '../support/history';
import { assertStillRunning, controlRun, expectIntact, type FaultStack, startFaultStack, waitFor } from './support';

const INPUT: PipelineInput = { samples: 300, seed: 21, gate: { jflegLimit: 30, promoteWhen: 'no-significant-regression' }, trigger: 'fault test: temporal restart' };

describe('fault: Temporal server restarted mid-pipeline', () => {
  let s: FaultStack;
  let control: Awaited<ReturnType<typeof controlRun>>;
  beforeAll(async () => {
    s = await startFaultStack();
    control = await controlRun(s, INPUT, 'control-temporal');
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('completes with every sample once, one dataset, one MLflow run and one model version', async () => {
    const model = 'fault-temporal-model';
    const run = await s.client.startPipeline({ ...INPUT, modelName: model }, { workflowId: 'fault-temporal-restart' });
    // Restart once generation is done and the later stages are under way.
    await waitFor('generation to finish', async () => {
      await assertStillRunning(run, 'the Temporal restart');
      return (await run.progress()).stages.generate.status === 'done' ? true : undefined;
    });
    const before = s.ts.stack.procs.running('temporal');
    await s.restart('temporal');
    expect(s.ts.stack.procs.running('temporal')).not.toBe(before);
    const restartedAt = Date.now();

    const result = await expectIntact(s, run, model, control);
    // The pipeline really was mid-way: stages ran on the restarted server.
    const timeline = await pipelineTimeline(s.client.temporal, run.workflowId);
    expect(timeline.activities.filter((a) => a.scheduledMs > restartedAt).map((a) => a.type)).toContain('trainRulesModel');
    expect(result.promoted).toBe(control.result.promoted);
    const progress = await run.progress();
    expect(Object.values(progress.stages).map((x) => x.status)).toEqual(Object.values((await s.client.pipeline('control-temporal').progress()).stages).map((x) => x.status));
  }, 300_000);
});
