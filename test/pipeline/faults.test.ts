/**
 * Durability: a worker process killed in the middle of training, and a batch the validators
 * reject entirely.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../config';
import { MlflowClient } from '../../adapters/mlflow';
import { experimentName } from '../../activities/train';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';

describe('pipeline faults', () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    h = await startPipelineHarness();
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('a worker killed during training: a new worker resumes, one MLflow run, one model version', async () => {
    const first = await h.spawnWorker('cpu');
    const run = await h.client.startPipeline({ samples: 300, seed: 11, gate: { jflegLimit: 100, promoteWhen: 'no-significant-regression' }, trigger: 'fault test' }, { workflowId: 'fault-kill-train' });
    // Kill the worker the moment the train activity is running.
    for (;;) {
      const p = await run.progress().catch(() => null);
      if (p?.stages.train.status === 'running') break;
      if (p && ['failed', 'succeeded'].includes(p.state)) throw new Error(`pipeline ended before training: ${p.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill('SIGKILL');
    await h.spawnWorker('cpu');
    const result = await run.result();
    expect(result.candidateVersion).toBe('1');

    // The train activity ran more than once: the kill interrupted it.
    const history = await run.handle.fetchHistory();
    const trainStarts = history.events!.filter((e) => e.activityTaskStartedEventAttributes && history.events!.find((s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes!.scheduledEventId?.toString())?.activityTaskScheduledEventAttributes?.activityType?.name === 'trainRulesModel');
    expect(trainStarts.at(-1)!.activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2);

    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    const exp = await mlflow.experimentId(experimentName(h.config.mlflowModelName));
    expect((await mlflow.searchRuns([exp], `tags.pipeline_id = 'fault-kill-train'`)).length).toBe(1);
    expect((await mlflow.searchModelVersions(`name = '${h.config.mlflowModelName}'`)).map((v) => v.version)).toEqual(['1']);
  }, 600_000);

  it('every sample rejected: the workflow fails naming the top rejection reasons', async () => {
    await h.startWorker('cpu');
    const run = await h.client.startPipeline({ samples: 40, seed: 3, validation: { maxSentenceTokens: 3 } }, { workflowId: 'fault-all-rejected' });
    const err = await run.result().catch((e) => e);
    expect(err?.cause?.message).toMatch(/^All (\d+) generated samples were rejected; top reasons: too_many_tokens \(\1\)/);
    const progress = await run.progress();
    expect(progress.state).toBe('failed');
    expect(progress.stages.validate.status).toBe('done');
    expect(progress.stages.version.status).toBe('pending');
  }, 300_000);
});
