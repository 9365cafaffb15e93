/**
 * A CPU worker SIGKILLed while generating and again while validating (one pipeline, two kills,
 * a fresh worker each time): each interrupted activity is retried after its heartbeat timeout and
 * fills only the gaps, so the samples are exactly those of an undisturbed run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInput } from '../../contracts/pipeline';
import { pipelineTimeline } from '../support/history';
import { controlRun, expectIntact, type FaultStack, killWorkerDuring, startFaultStack } from './support';

// Two big batches, so a generate activity is mid-way for a while. The stages after validation are
// not under test here: the smallest held-out split and no scorer keep them short.
const INPUT: PipelineInput = {
  samples: 2000,
  batchSize: 1000,
  seed: 13,
  splits: { valid: 0.05, test: 0.05 },
  validation: { maxRejectRate: 1 },
  train: { scorerPairs: 0 },
  gate: { jflegLimit: 30, promoteWhen: 'no-significant-regression' },
  trigger: 'fault test: worker killed (data stages)',
};

describe('fault: worker killed during generate and validate', () => {
  let s: FaultStack;
  let control: Awaited<ReturnType<typeof controlRun>>;
  beforeAll(async () => {
    s = await startFaultStack();
    control = await controlRun(s, INPUT, 'control-kill-data');
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('each stage resumes on a new worker; nothing lost or duplicated; one run, one version', async () => {
    const model = 'fault-kill-data-model';
    const run = await s.client.startPipeline({ ...INPUT, modelName: model }, { workflowId: 'fault-kill-data' });
    const rows = async () => Number((await s.query<{ n: string }>('select count(*) as n from generated_sample where pipeline_id = $1', [run.workflowId]))[0].n);
    // Mid-batch: some samples written, not all.
    await killWorkerDuring(s, run, 'generateBatch', async () => {
      const n = await rows();
      return n > 0 && n < control.samples.length;
    }, 2);
    await killWorkerDuring(s, run, 'validateSamples');

    await expectIntact(s, run, model, control);
    const activities = (await pipelineTimeline(s.client.temporal, run.workflowId)).activities;
    expect(Math.max(...activities.filter((a) => a.type === 'generateBatch').map((a) => a.attempt))).toBeGreaterThanOrEqual(2);
    expect(activities.find((a) => a.type === 'validateSamples')!.attempt).toBeGreaterThanOrEqual(2);
  }, 400_000);
});
