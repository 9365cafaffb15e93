/**
 * The whole retraining pipeline on the real stack: Temporal dev server, PGlite, MLflow, Chroma, DVC,
 * and a real worker process whose log is kept: CPU-bound activity work (correction, scoring,
 * training) runs in its engine pool, so no workflow task waits behind it (no TMPRL1104 warning).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowClient } from '../../adapters/mlflow';
import { endpoints } from '../../config';
import { DvcRepo } from '../../adapters/dvc';
import { openDatabase } from '../../entities/data-source';
import { experimentName } from '../../activities/train';
import type { PipelineResult } from '../../contracts/pipeline';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';

// Named after the workflow id, which replay needs.
const HISTORY_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/histories/e2e-pipeline-1.json');

describe('retraining pipeline end to end', () => {
  let h: PipelineHarness;
  let result: PipelineResult;
  let workflowId: string;
  let worker: ChildProcess;
  /** The worker's stdout and stderr (the Temporal core writes its warnings to stderr). */
  let workerLog = '';
  beforeAll(async () => {
    h = await startPipelineHarness();
    worker = await h.spawnWorker('cpu');
    worker.stdout!.on('data', (d) => (workerLog += d));
    worker.stderr!.on('data', (d) => (workerLog += d));
    const run = await h.client.startPipeline({ samples: 400, seed: 7, reasonLanguage: 'ko', gate: { jflegLimit: 100, promoteWhen: 'no-significant-regression' }, trigger: 'e2e test' }, { workflowId: 'e2e-pipeline-1' });
    workflowId = run.workflowId;
    result = await run.result();
    if (process.env.RECORD_HISTORIES === '1') {
      const history = await run.handle.fetchHistory();
      mkdirSync(path.dirname(HISTORY_FIXTURE), { recursive: true });
      writeFileSync(HISTORY_FIXTURE, historyToJSON(history));
    }
  }, 600_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('runs every stage and promotes the first candidate', async () => {
    const progress = await h.client.pipeline(workflowId).progress();
    expect(progress.state).toBe('succeeded');
    expect(Object.values(progress.stages).map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done']);
    expect(result.promoted).toBe(true);
    expect(result.candidateVersion).toBe('1');
    expect(result.datasetVersion.counts.train).toBeGreaterThan(100);
    // The first candidate is compared with the base ensemble on JFLEG dev and the held-out split;
    // this run promotes one without a significant regression (the machinery, not the model, is under test).
    expect(result.metrics.comparison.reference).toBe('base');
    expect(result.metrics.comparisons?.map((c) => c.set)).toEqual(['jfleg', 'heldout']);
    for (const c of result.metrics.comparisons ?? []) expect(c.ci[1]).toBeGreaterThanOrEqual(0);
    expect(result.metrics.base!.jfleg.gleu).toBeGreaterThan(result.metrics.harper.jfleg.gleu);
  });

  it('the DVC remote holds the dataset, whose md5 is on the row, the MLflow run and the workflow', async () => {
    const e = endpoints(h.config);
    const dvc = new DvcRepo(e.dvcRepo, e.dvcRemote, path.join(e.venvBin, 'dvc'));
    const rel = path.relative(e.dvcRepo, result.datasetVersion.path);
    expect(dvc.readDvcFile(rel).md5).toBe(result.datasetVersion.md5);
    expect(await dvc.inRemote(rel)).toBe(true);
    expect(existsSync(path.join(e.dvcRemote, 'files', 'md5'))).toBe(true);

    const ds = await openDatabase(e.databaseUrl, { poolSize: 1 });
    const rows: { md5: string }[] = await ds.query('select md5 from dataset_version where pipeline_id = $1', [workflowId]);
    await ds.destroy();
    expect(rows).toEqual([{ md5: result.datasetVersion.md5 }]);

    const mlflow = new MlflowClient(e.mlflowUrl);
    const run = await mlflow.getRun(result.mlflowRunId);
    expect(run.data.params.find((p) => p.key === 'dataset_md5')?.value).toBe(result.datasetVersion.md5);
    expect(run.data.params.find((p) => p.key === 'git_commit')?.value).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(run.data.metrics.find((m) => m.key === 'candidate_jfleg_gleu')?.value).toBeCloseTo(result.metrics.candidate.jfleg.gleu, 6);
  });

  it('MLflow has exactly one run and one model version, with the champion alias', async () => {
    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    const exp = await mlflow.experimentId(experimentName(h.config.mlflowModelName));
    const runs = await mlflow.searchRuns([exp], `tags.pipeline_id = '${workflowId}'`);
    expect(runs.map((r) => r.info.run_id)).toEqual([result.mlflowRunId]);
    const versions = await mlflow.searchModelVersions(`name = '${h.config.mlflowModelName}'`);
    expect(versions.map((v) => v.version)).toEqual(['1']);
    expect((await mlflow.getByAlias(h.config.mlflowModelName, 'champion'))?.version).toBe('1');
    expect(await mlflow.getByAlias(h.config.mlflowModelName, 'challenger')).toBeNull();
  });

  it('sets the search attributes the Web UI shows', async () => {
    const d = await h.client.pipeline(workflowId).handle.describe();
    const sa = d.searchAttributes as Record<string, unknown[]>;
    expect(sa.Stage).toEqual(['finished']);
    expect(sa.DatasetVersion).toEqual([result.datasetVersion.md5]);
    expect(sa.CandidateVersion).toEqual(['1']);
    expect(sa.Promoted).toEqual([true]);
    expect(sa.ModelName).toEqual([h.config.mlflowModelName]);
    // A static summary for the list view.
    expect(await d.staticSummary()).toMatch(/^Retrain correctly-corrector: 400 samples/);
  });

  it('a second run on the same data is not significantly better than the champion: not promoted, champion kept', async () => {
    const run = await h.client.startPipeline({ samples: 400, seed: 7, trigger: 'e2e test, default gate', gate: { jflegLimit: 100 } }, { workflowId: 'e2e-pipeline-2' });
    const second = await run.result();
    expect(second.promoted).toBe(false);
    expect(second.metrics.comparison.reference).toBe('champion');
    expect(second.why.join(' ')).toMatch(/^no significant improvement: JFLEG dev: Δ [+−]\d\.\d{4}, 95% CI \[[+−]\d\.\d{4}, [+−]\d\.\d{4}\] vs champion v1/);
    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    expect((await mlflow.getByAlias(h.config.mlflowModelName, 'champion'))?.version).toBe('1');
    const v2 = await mlflow.getModelVersion(h.config.mlflowModelName, second.candidateVersion);
    expect(v2.tags.find((t) => t.key === 'gate')?.value).toBe('rejected');
  });

  // Last: it stops the worker, after every pipeline of this file ran on it.
  it('the worker never warned that a workflow task took over 5 seconds (TMPRL1104)', async () => {
    if (worker.exitCode === null && worker.signalCode === null) {
      const exited = once(worker, 'exit');
      worker.kill('SIGTERM');
      await exited;
    }
    // the log was captured to the end: the worker's own last line is in it
    expect(workerLog).toContain('correctly cpu worker stopped');
    expect(workerLog).not.toMatch(/TMPRL1104|Workflow task duration exceeded/);
  });
});
