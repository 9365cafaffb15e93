/**
 * Operator control of a running pipeline: the approval gate (update with validator) and cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { waitFor } from '../support/wait';


describe('pipeline control', () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    h = await startPipelineHarness();
    await h.startWorker('cpu');
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('waits for approval; the update validator refuses bad decisions; approval promotes', async () => {
    const run = await h.client.startPipeline({ samples: 200, seed: 5, approval: { required: true }, gate: { jflegLimit: 100, promoteWhen: 'no-significant-regression' } }, { workflowId: 'control-approval' });
    // Before the gate, there is nothing to approve.
    await expect(run.approve({ approved: true, reviewer: 'kim' })).rejects.toThrow(/nothing to approve: the pipeline is running/);
    await waitFor('awaiting approval', async () => ((await run.progress()).state === 'awaiting_approval' ? true : undefined));
    await expect(run.approve({ approved: true, reviewer: '  ' })).rejects.toThrow(/reviewer is required/);
    expect(await run.approve({ approved: true, reviewer: 'kim', comment: 'looks good' })).toBe('approved by kim');
    const result = await run.result();
    expect(result.promoted).toBe(true);
    expect(result.why).toContain('approved by kim');
  }, 400_000);

  it('cancel stops a running pipeline with the operator\'s reason', async () => {
    const run = await h.client.startPipeline({ samples: 2000, batchSize: 100, seed: 6 }, { workflowId: 'control-cancel' });
    await waitFor('generation to start', async () => ((await run.progress()).stages.generate.status === 'running' ? true : undefined));
    await run.cancel('wrong seed');
    const err = await run.result().catch((e) => e);
    expect(err?.cause?.message).toBe('Pipeline cancelled: wrong seed');
    const p = await run.progress();
    expect(p.state).toBe('cancelled');
    expect(p.stages.generate.status).toBe('cancelled');
    expect(p.stages.train.status).toBe('pending');
  }, 300_000);
});
