/**
 * The README's `dvc repro` section, run as written in a fresh clone (test/support/clone.ts) with its
 * own stack on free ports: stack up, dvc repro, metrics show, commit, a params change, repro,
 * metrics diff, dvc push to the default remote, stack down. Then: going back to the committed
 * parameters restores the committed results, and the Temporal pipeline with the same parameters, on
 * a fresh stack, makes the same dataset and the same scores.
 * Two changes to the block, both stated: `make setup` is left out (the clone gets the installed
 * node_modules, .venv and .tools instead), and its example ports become free ones. Like every test
 * file, the clone uses the run's LanguageTool server and evaluation cache (LANGUAGETOOL_URL: the
 * block's `stack up … languagetool` then starts no JVM of its own; the base systems' outputs are
 * computed once per run, not again in the clone).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../ops/stack/process';
import { PROJECT_ROOT } from '../../config/paths';
import { type Clone, codeBlocks, freshClone, newcomerEnv, runShared } from '../support/clone';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';

const exec = promisify(execFile);

interface Metrics {
  candidate: { jfleg_gleu: number; heldout_gleu: number; heldout_no_change_rate: number };
  harper: { jfleg_gleu: number; heldout_gleu: number };
  /** The base ensemble: the first candidate's reference. */
  base: { jfleg_gleu: number; heldout_gleu: number };
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
function lockedMd5(lock: string, out: string): string {
  const m = lock.match(new RegExp(`- path: ${out.replace(/[/.]/g, '\\$&')}\\n\\s+hash: md5\\n\\s+md5: (\\S+)`));
  if (!m) throw new Error(`no md5 for ${out} in dvc.lock:\n${lock}`);
  return m[1];
}

/** The README's DVC block, with `make setup` left out and the example ports replaced by free ones. */
async function readmeDvcBlock(): Promise<string> {
  const block = codeBlocks(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')).find((b) => b.heading.startsWith('Without Temporal') && b.code.includes('dvc repro'));
  if (!block) throw new Error('README.md has no dvc repro block under "Without Temporal"');
  const lines = block.code.split('\n').filter((l) => l.trim() !== 'make setup');
  const out: string[] = [];
  for (const line of lines) {
    if (!/^export .*PORT=/.test(line)) {
      out.push(line);
      continue;
    }
    let replaced = line;
    for (const m of line.matchAll(/(\w+_PORT)=(\d+)/g)) replaced = replaced.replace(m[0], `${m[1]}=${await freePort()}`);
    out.push(replaced);
  }
  return out.join('\n');
}

describe('the README\'s dvc repro section, in a fresh clone', () => {
  let clone: Clone;
  let block: string;
  let output = '';
  const inClone = async (cmd: string, args: string[]) => {
    try {
      const { stdout, stderr } = await exec(cmd, args, { cwd: clone.dir, env: newcomerEnv(runShared()), maxBuffer: 64 << 20 });
      return stdout + stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
  };
  const dvc = (...args: string[]) => inClone(path.join(clone.dir, '.venv/bin/dvc'), args);
  const file = (f: string) => readFileSync(path.join(clone.dir, f), 'utf8');
  const committed = async (f: string) => (await inClone('git', ['show', `HEAD:${f}`])).trim();

  beforeAll(async () => {
    clone = freshClone('correctly-dvc-clone-');
    block = await readmeDvcBlock();
  });
  afterAll(async () => {
    // The block stops its stack; if it failed half-way, stop whatever it started.
    if (clone && existsSync(path.join(clone.dir, '.state'))) await inClone(path.join(clone.dir, 'bin/correctly'), ['stack', 'down']).catch(() => {});
    clone?.remove();
  });

  it('runs as written: repro, metrics show, commit, a params change, repro, metrics diff, push', async () => {
    output = await inClone('bash', ['-euo', 'pipefail', '-c', block]);
    for (const s of ['generate', 'validate', 'train', 'evaluate']) expect(output).toContain(`Running stage '${s}'`);
    // metrics show, then metrics diff with the seed change (old and new values of the candidate's scores).
    expect(output).toMatch(/candidate\.heldout_gleu/);
    expect(output).toMatch(/metrics\.json\s+candidate\.heldout_gleu\s+[\d.]+\s+[\d.]+/);
    // dvc push filled the default remote of .dvc/config.
    expect(readdirSync(path.join(clone.dir, '.state/dvc-remote/files/md5')).length).toBeGreaterThan(0);
    expect(JSON.parse(await dvc('status', '--cloud', '--json'))).toEqual({});
    // The committed results are the seed-42 run's; the workspace holds seed 43's.
    const v42 = JSON.parse(await committed('validation.json')) as Validation;
    const v43 = JSON.parse(file('validation.json')) as Validation;
    expect(v43.pipelineId).not.toBe(v42.pipelineId);
    expect(v42.accepted).toBeGreaterThan(200);
    const { train, valid, test } = v42.dataset;
    expect(train + valid + test).toBe(v42.accepted);
    expect(lockedMd5(await committed('dvc.lock'), 'data/dataset')).toBe(v42.dataset.md5);
    const m42 = JSON.parse(await committed('metrics.json')) as Metrics;
    // Real scores: Harper and the base ensemble on JFLEG dev as measured elsewhere, the candidate near them.
    expect(m42.harper.jfleg_gleu).toBeGreaterThan(0.4);
    expect(Math.abs(m42.candidate.jfleg_gleu - m42.base.jfleg_gleu)).toBeLessThan(0.05);
    expect(m42.delta_gleu).toBeCloseTo(m42.candidate.jfleg_gleu - m42.base.jfleg_gleu, 6);
  }, 1_200_000);

  it('back at the committed parameters, dvc repro restores the committed results from its run cache (no stack needed)', async () => {
    await inClone('git', ['checkout', 'params.yaml']);
    const out = await dvc('repro');
    expect(out).not.toContain('Running stage');
    expect(await inClone('git', ['status', '--porcelain', 'dvc.lock', 'metrics.json', 'validation.json'])).toBe('');
    expect(await dvc('status')).toMatch(/up to date/);
    const plots = JSON.parse(await dvc('plots', 'show', '--json', '--split')) as { data: Record<string, unknown> };
    expect(Object.keys(plots.data)).toEqual(expect.arrayContaining(['plots/gleu.csv', 'plots/rejections.csv']));
  }, 300_000);

  describe('the Temporal pipeline with the same parameters, on a fresh stack', () => {
    let h: PipelineHarness;
    beforeAll(async () => {
      h = await startPipelineHarness();
      await h.startWorker('cpu');
    }, 300_000);
    afterAll(async () => {
      await h?.stop();
    });

    it('makes the same dataset (md5) and the same scores', async () => {
      const v = JSON.parse(await committed('validation.json')) as Validation;
      const m = JSON.parse(await committed('metrics.json')) as Metrics;
      const params = await committed('params.yaml');
      const num = (key: string) => Number(new RegExp(`^\\s*${key}: (\\S+)$`, 'm').exec(params)![1]);
      // Same pipeline id as the DVC run: sample ids, near-duplicate order and the split derive from it.
      const run = await h.client.startPipeline(
        { samples: num('samples'), batchSize: num('batch-size'), seed: num('seed'), reasonLanguage: 'ko', modelName: 'correctly-dvc', gate: { jflegLimit: num('jfleg-limit') }, trigger: 'dvc parity test' },
        { workflowId: v.pipelineId },
      );
      const result = await run.result();
      expect(result.datasetVersion.md5).toBe(v.dataset.md5);
      const { md5: _md5, ...counts } = v.dataset;
      expect(result.datasetVersion.counts).toEqual(counts); // splits and sources
      expect(result.metrics.candidate.jfleg.gleu).toBe(m.candidate.jfleg_gleu);
      expect(result.metrics.candidate.heldout.gleu).toBe(m.candidate.heldout_gleu);
      expect(result.metrics.harper.jfleg.gleu).toBe(m.harper.jfleg_gleu);
      expect(result.metrics.comparison.delta).toBe(m.delta_gleu);
      expect(result.promoted).toBe(m.gate_passed === 1);
    }, 600_000);
  });
});
