/**
 * The DVC pipeline (dvc.yaml, params.yaml) with the real DVC CLI in a fresh git + DVC workspace with
 * a local remote, over a real database, MLflow and Chroma; then the Temporal pipeline with the same
 * parameters on a fresh stack, which must produce the same dataset and the same scores.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../core/config';
import { seedDatabase } from '../../core/db/seed';
import { PROJECT_ROOT } from '../../core/stack/index';
import { openDatabase } from '../../entities/data-source';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { startTestStack, type TestStack } from '../support/stack';

const exec = promisify(execFile);
const DVC = path.join(PROJECT_ROOT, '.venv/bin/dvc');

/** The params.yaml values the test runs with (smaller than the committed ones, for speed). */
const SAMPLES = 200;
const JFLEG_LIMIT = 120;

interface Metrics {
  candidate: { jfleg_gleu: number; heldout_gleu: number; heldout_no_change_rate: number };
  harper: { jfleg_gleu: number; heldout_gleu: number };
  delta_gleu: number;
  gate_passed: number;
}
interface Validation {
  pipelineId: string;
  total: number;
  accepted: number;
  rejected: number;
  dataset: { md5: string; train: number; valid: number; test: number };
}

/** The md5 dvc.lock records for an output of a stage. */
function lockedMd5(ws: string, out: string): string {
  const lock = readFileSync(path.join(ws, 'dvc.lock'), 'utf8');
  const m = lock.match(new RegExp(`- path: ${out.replace(/[/.]/g, '\\$&')}\\n\\s+hash: md5\\n\\s+md5: (\\S+)`));
  if (!m) throw new Error(`no md5 for ${out} in dvc.lock:\n${lock}`);
  return m[1];
}

describe('dvc repro of dvc.yaml without Temporal', () => {
  let stack: TestStack;
  let ws: string;
  let env: NodeJS.ProcessEnv;
  let first: { metrics: Metrics; validation: Validation; datasetMd5: string };
  let stackStopped: Promise<void> | undefined;
  const stopStack = () => (stackStopped ??= stack?.stop());

  const run = async (cmd: string, args: string[]) => {
    try {
      const { stdout, stderr } = await exec(cmd, args, { cwd: ws, env, maxBuffer: 32 << 20 });
      return stdout + stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
  };
  const dvc = (...args: string[]) => run(DVC, args);
  const git = (...args: string[]) => run('git', args);
  const json = <T>(file: string) => JSON.parse(readFileSync(path.join(ws, file), 'utf8')) as T;
  const setParam = (from: string, to: string) => {
    const file = path.join(ws, 'params.yaml');
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`params.yaml has no "${from}"`);
    writeFileSync(file, text.replace(from, to));
  };

  beforeAll(async () => {
    stack = await startTestStack(['database', 'mlflow', 'chroma']);
    const ds = await openDatabase(endpoints(stack.config).databaseUrl, { poolSize: 1 });
    await seedDatabase(ds);
    await ds.destroy();
    const c = stack.config;
    env = {
      ...process.env,
      CORRECTLY_STATE_DIR: stack.stateDir,
      PGLITE_PORT: String(c.pglitePort),
      MLFLOW_PORT: String(c.mlflowPort),
      CHROMA_PORT: String(c.chromaPort),
      DATABASE_URL: '',
      MLFLOW_TRACKING_URI: '',
      CHROMA_URL: '',
      CORRECTLY_CONFIG: '',
      // Relative defaults resolve from the working directory, which is the workspace here.
      CORRECTLY_VENV: path.join(PROJECT_ROOT, '.venv'),
      DVC_NO_ANALYTICS: '1',
      GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    // An experiment workspace: the committed dvc.yaml and params.yaml, the CLI through bin/.
    ws = mkdtempSync(path.join(os.tmpdir(), 'correctly-dvc-ws-'));
    copyFileSync(path.join(PROJECT_ROOT, 'dvc.yaml'), path.join(ws, 'dvc.yaml'));
    copyFileSync(path.join(PROJECT_ROOT, 'params.yaml'), path.join(ws, 'params.yaml'));
    symlinkSync(path.join(PROJECT_ROOT, 'bin'), path.join(ws, 'bin'));
    await git('init', '-q');
    await dvc('init', '-q');
    await dvc('config', 'core.analytics', 'false');
    await dvc('remote', 'add', '-d', 'local', path.join(ws, '..', `${path.basename(ws)}-remote`));
    setParam('samples: 400', `samples: ${SAMPLES}`);
    setParam('jfleg-limit: 0', `jfleg-limit: ${JFLEG_LIMIT}`);
  }, 300_000);
  afterAll(async () => {
    await stopStack();
    if (ws) for (const d of [ws, `${ws}-remote`]) rmSync(d, { recursive: true, force: true });
  });

  it('dvc repro runs generate → validate → train → evaluate and records every output in dvc.lock', async () => {
    const out = await dvc('repro');
    for (const s of ['generate', 'validate', 'train', 'evaluate']) expect(out).toContain(`Running stage '${s}'`);
    const validation = json<Validation>('validation.json');
    const metrics = json<Metrics>('metrics.json');
    expect(validation.total).toBe(readFileSync(path.join(ws, 'data/generated/samples.jsonl'), 'utf8').trim().split('\n').length);
    expect(validation.accepted).toBeGreaterThan(SAMPLES / 2);
    const { train, valid, test } = validation.dataset;
    expect(train + valid + test).toBe(validation.accepted);
    // The workspace dataset is byte-identical to the one registered (dvc add + push) by the activity.
    const datasetMd5 = lockedMd5(ws, 'data/dataset');
    expect(datasetMd5).toBe(validation.dataset.md5);
    expect(readFileSync(path.join(ws, 'data/dataset/train.jsonl'), 'utf8').trim().split('\n')).toHaveLength(train);
    expect(JSON.parse(readFileSync(path.join(ws, 'data/model/rules.json'), 'utf8')).format).toBeTruthy();
    // Real scores: Harper on JFLEG dev's first sentences, the candidate over Harper (rules never remove its edits' effect).
    expect(metrics.harper.jfleg_gleu).toBeGreaterThan(0.3);
    expect(metrics.harper.jfleg_gleu).toBeLessThan(0.7);
    expect(metrics.candidate.heldout_gleu).toBeGreaterThan(0);
    expect(metrics.delta_gleu).toBeCloseTo(metrics.candidate.jfleg_gleu - metrics.harper.jfleg_gleu, 6);
    first = { metrics, validation, datasetMd5 };
  });

  it('a second dvc repro changes nothing, and dvc push fills the local remote', async () => {
    const out = await dvc('repro');
    expect(out).not.toContain('Running stage');
    expect(await dvc('status')).toMatch(/up to date/);
    await dvc('push');
    const cloud = JSON.parse(await dvc('status', '--cloud', '--json'));
    expect(cloud).toEqual({});
    const plots = JSON.parse(await dvc('plots', 'show', '--json', '--split')) as { data: Record<string, unknown> };
    expect(Object.keys(plots.data)).toEqual(expect.arrayContaining(['plots/gleu.csv', 'plots/rejections.csv']));
  });

  it('after a params.yaml change, dvc repro re-runs the pipeline and dvc metrics diff shows the change', async () => {
    await git('add', '-A');
    await git('commit', '-q', '-m', 'seed 42');
    setParam('seed: 42', 'seed: 43');
    expect(JSON.parse(await dvc('params', 'diff', '--json'))).toEqual({ 'params.yaml': { seed: { old: 42, new: 43, diff: 1 } } });
    const out = await dvc('repro');
    expect(out).toContain("Running stage 'generate'");
    const second = json<Validation>('validation.json');
    expect(second.pipelineId).not.toBe(first.validation.pipelineId);
    expect(lockedMd5(ws, 'data/dataset')).not.toBe(first.datasetMd5);
    const diff = JSON.parse(await dvc('metrics', 'diff', '--json')) as Record<string, Record<string, { old: number; new: number; diff: number }>>;
    expect(diff['metrics.json']['candidate.heldout_gleu'].old).toBeCloseTo(first.metrics.candidate.heldout_gleu, 10);
    expect(diff['metrics.json']['candidate.heldout_gleu'].new).toBeCloseTo(json<Metrics>('metrics.json').candidate.heldout_gleu, 10);
    expect(diff['validation.json']['accepted']).toEqual({ old: first.validation.accepted, new: second.accepted, diff: second.accepted - first.validation.accepted });
  });

  it('returning to the committed params gives the committed results again', async () => {
    setParam('seed: 43', 'seed: 42');
    await dvc('repro');
    expect(lockedMd5(ws, 'data/dataset')).toBe(first.datasetMd5);
    expect(json<Metrics>('metrics.json')).toEqual(first.metrics);
    expect(await git('status', '--porcelain', 'dvc.lock', 'metrics.json', 'validation.json')).toBe('');
  });

  describe('the Temporal pipeline with the same parameters, on a fresh stack', () => {
    let h: PipelineHarness;
    beforeAll(async () => {
      await stopStack(); // one stack at a time on a small machine
      h = await startPipelineHarness();
      await h.startWorker('cpu');
    }, 300_000);
    afterAll(async () => {
      await h?.stop();
    });

    it('makes the same dataset (md5) and the same scores', async () => {
      // Same pipeline id as the DVC run: sample ids, near-duplicate order and the split derive from it.
      const run = await h.client.startPipeline(
        { samples: SAMPLES, batchSize: 200, seed: 42, reasonLanguage: 'ko', modelName: 'correctly-dvc', gate: { jflegLimit: JFLEG_LIMIT }, trigger: 'dvc parity test' },
        { workflowId: first.validation.pipelineId },
      );
      const result = await run.result();
      expect(result.datasetVersion.md5).toBe(first.datasetMd5);
      expect(result.datasetVersion.counts).toEqual({ train: first.validation.dataset.train, valid: first.validation.dataset.valid, test: first.validation.dataset.test });
      expect(result.metrics.candidate.jfleg.gleu).toBe(first.metrics.candidate.jfleg_gleu);
      expect(result.metrics.candidate.heldout.gleu).toBe(first.metrics.candidate.heldout_gleu);
      expect(result.metrics.harper.jfleg.gleu).toBe(first.metrics.harper.jfleg_gleu);
      expect(result.metrics.comparison.delta).toBe(first.metrics.delta_gleu);
      expect(result.promoted).toBe(first.metrics.gate_passed === 1);
    }, 600_000);
  });
});
