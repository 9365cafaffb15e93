/**
 * A CPU worker SIGKILLed while training and again while evaluating (one pipeline, two kills, a
 * fresh worker each time): the MLflow run is found by its tag on retry and the model version by
 * its run, so the registry ends with one of each. The undisturbed control run goes after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '../../contracts/pipeline';
import { pipelineTimeline } from '../support/history';
import { controlRun, expectIntact, type FaultStack, killWorkerDuring, startFaultStack } from './support';

const INPUT: PipelineInput = { samples: 300, seed: 17, gate: { jflegLimit: 100, promoteWhen: 'no-significant-regression' }, trigger: 'fault test: worker killed (model stages)' };

describe('fault: worker killed during train and evaluate', () => {
  let s: FaultStack;
  beforeAll(async () => {
    s = await startFaultStack();
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('each stage resumes on a new worker; one MLflow run, one model version, same verdict', async () => {
    const model = 'fault-kill-model-model';
    const run = await s.client.startPipeline({ ...INPUT, modelName: model }, { workflowId: 'fault-kill-model' });
    await killWorkerDuring(s, run, 'trainRulesModel');
    await killWorkerDuring(s, run, 'evaluateCandidate');
    await run.result();
    // The undisturbed run after the faulted one: evaluation keeps a model's outputs, so the
    // faulted run's evaluation (the one killed) is the one that computes them.
    const control = await controlRun(s, INPUT, 'control-kill-model');

    const result = await expectIntact(s, run, model, control);
    expect(result.promoted).toBe(control.result.promoted);
    expect(result.metrics.candidate.jfleg.gleu).toBe(control.result.metrics.candidate.jfleg.gleu);
    const activities = (await pipelineTimeline(s.client.temporal, run.workflowId)).activities;
    for (const type of ['trainRulesModel', 'evaluateCandidate']) {
      const a = activities.filter((x) => x.type === type);
      expect(a, type).toHaveLength(1);
      expect(a[0].attempt, type).toBeGreaterThanOrEqual(2);
    }
  }, 600_000); // two kills, each retried after its heartbeat timeout, and a control run: ~3 min here, more on a loaded machine
});
