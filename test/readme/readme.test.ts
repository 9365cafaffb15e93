/**
 * The operator's day on a private stack: every `bin/correctly …` command line README.md shows (in
 * its code blocks and inline code) is run, and any non-zero exit fails. The README's own
 * `bin/correctly stack up` starts the stack (free ports, a temp state dir); on that fresh stack, a
 * plain signal from the Temporal CLI binary makes the controller run a pipeline, whose MLflow run
 * and Web UI details are checked; refused updates and signals come back through the CLI.
 *
 * How README lines run:
 * - in the order the README shows them, except that lines ending with `stack down` run last;
 * - long-running ones (`worker …`, `serve`) until they say they are ready, then SIGTERM: they must
 *   drain and exit 0;
 * - those that need a GPU or an LLM API key (`--trainer lora`, `--teacher`/`--baseline openai|ollama`)
 *   with `--dry-run` added: their input is checked and shown, nothing starts (this machine has
 *   neither; docs/gpu.md covers them).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectlyClient } from '../../client';
import type { ControllerState } from '../../contracts/controller';
import { type Config, endpoints, loadConfig } from '../../config';
import { PROJECT_ROOT } from '../../config/paths';
import { Stack, temporalBinary } from '../../ops/stack/index';
import { codeBlocks, newcomerEnv, runShared } from '../support/clone';
import { isolatedEnv } from '../support/stack';
import { waitFor } from '../support/wait';

const exec = promisify(execFile);
const README = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** Every `bin/correctly …` line of the README, in order: code-block lines (comments cut) and inline code. */
export function readmeCommandLines(markdown: string): string[] {
  const lines: string[] = [];
  const blocks = codeBlocks(markdown);
  // Positions, so code-block and inline lines keep the README's order.
  const found: { at: number; line: string }[] = [];
  for (const b of blocks) {
    if (!['bash', 'sh', ''].includes(b.lang)) continue;
    const at = markdown.indexOf(b.code);
    for (const l of b.code.split('\n')) {
      const line = l.replace(/\s+#\s.*$/, '').trim();
      if (line.startsWith('bin/correctly')) found.push({ at, line });
    }
  }
  for (const m of markdown.matchAll(/(?<!`)`(bin\/correctly[^`]*)`(?!`)/g)) found.push({ at: m.index!, line: m[1].trim() });
  for (const f of found.sort((a, b) => a.at - b.at)) if (!lines.includes(f.line)) lines.push(f.line);
  return lines;
}

const NEEDS_GPU_OR_LLM = /--trainer lora|--(teacher|baseline) (openai|ollama)/;
const LONG_RUNNING = /^bin\/correctly (worker|serve)\b/;
const STOPS_STACK = /stack down(\s+[\w ]*)?$/;

describe('README: every bin/correctly line on a private stack', () => {
  let env: NodeJS.ProcessEnv;
  let config: Config;
  let client: CorrectlyClient | undefined;
  let finishedPipeline = '';
  const lines = readmeCommandLines(README);
  const first = lines.find((l) => l === 'bin/correctly stack up');
  const ordered = [...lines.filter((l) => l !== first && !STOPS_STACK.test(l)), ...lines.filter((l) => STOPS_STACK.test(l))];

  const sh = async (line: string) => {
    try {
      return await exec('bash', ['-c', line], { cwd: PROJECT_ROOT, env, maxBuffer: 64 << 20 });
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`\`${line}\` exited ${err.code}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
  };
  const cli = (args: string[]) => exec(path.join(PROJECT_ROOT, 'bin/correctly'), args, { cwd: PROJECT_ROOT, env }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
  const temporal = (args: string[]) => exec(temporalBinary(config), [...args, '--address', config.temporalAddress, '--namespace', config.temporalNamespace], { env });

  beforeAll(async () => {
    // The README's own LanguageTool (`stack up languagetool` is one of its lines); the run's
    // evaluation cache, so its pipelines do not score the base systems again.
    env = newcomerEnv({ ...(await isolatedEnv()), WORKER_METRICS_PORT: '0', API_RATE_LIMIT: '100000', ...runShared(['CORRECTLY_EVAL_CACHE_DIR']) });
    config = loadConfig(env);
  });
  afterAll(async () => {
    await client?.close().catch(() => {});
    // Whatever a failed run left behind: the stack of this state dir only.
    await new Stack(config).down().catch(() => {});
    rmSync(config.stateDir, { recursive: true, force: true });
  });

  it('shows the lines this test runs, with `bin/correctly stack up` among them', () => {
    expect(first).toBeDefined();
    expect(lines.length).toBeGreaterThan(10);
    console.log(`README lines:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  });

  it('`bin/correctly stack up` starts a fresh stack, seeds the database and starts the controller', async () => {
    const { stdout } = await sh(first!);
    expect(stdout).toMatch(/database migrated and seeded: \d+ texts/);
    expect(stdout).toContain(`controller controller-${config.mlflowModelName} running`);
    client = await CorrectlyClient.connect(config);
  }, 400_000);

  it('a plain signal through the Temporal CLI makes the controller run a pipeline, whose MLflow run and Web UI tell one story', async () => {
    // A smaller pipeline than the default, to keep the suite short (the controller was started by `stack up`; this only updates it).
    await client!.controller().setPolicy({ pipeline: { samples: 300, jflegLimit: 100 } });
    await temporal(['workflow', 'signal', '--workflow-id', `controller-${config.mlflowModelName}`, '--name', 'retrainRequested', '--input', '{"reason": "plain signal from the Temporal CLI"}']);
    const ctl = client!.controller();
    const s = await waitFor<ControllerState>('the pipeline to finish', async () => {
      const st = await ctl.state();
      return st.pipelinesStarted === 1 && !st.active ? st : undefined;
    }, { timeoutMs: 600_000, intervalMs: 1000 });
    const history = await ctl.history();
    expect(history.map((e) => e.kind)).toEqual(['policy', 'trigger', 'started', 'finished']);
    expect(history[1].detail).toBe('manual: plain signal from the Temporal CLI');
    // The first candidate is promoted when it reaches Harper's GLEU: usually, not always (the gate decides).
    expect(history[3]).toMatchObject({ kind: 'finished', candidateVersion: '1', promoted: expect.any(Boolean) });
    expect(s.champion?.version ?? null).toBe(history[3].promoted ? '1' : null);
    const pipelineId = (finishedPipeline = history[2].pipelineId!);
    const run = client!.pipeline(pipelineId);
    const d = await run.handle.describe();
    expect(d.status.name).toBe('COMPLETED');
    // Started by the controller, it carries its input summary like any other.
    expect(await d.staticSummary()).toMatch(/^Retrain correctly-corrector: 300 samples, noise teacher, rules trainer, reasons in ko \(controller: manual \(plain signal from the Temporal CLI\)\)$/);
    expect(await d.staticDetails()).toMatch(/300 samples in batches of 200, seed 42/);
    // Current details: short lines, counts as "x of y", a link to the MLflow run.
    const meta = (await run.handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    const details = meta.currentDetails!.split('\n');
    expect(Math.max(...details.map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(details.find((l) => l.includes('validate'))).toMatch(/validate: \d+ of \d+ accepted/);
    expect(details.some((l) => (history[3].promoted ? /^✔ deploy: serving v1/ : /^– deploy: nothing promoted/).test(l))).toBe(true);
    const result = await run.result();
    const link = details.find((l) => l.startsWith('[MLflow run'));
    expect(link).toContain(`/runs/${result.mlflowRunId}`);
    // The MLflow run: Temporal ids and link, the DVC dataset as input, spanning the pipeline with stage timings.
    const r = (await (await fetch(`${endpoints(config).mlflowUrl}/api/2.0/mlflow/runs/get?run_id=${result.mlflowRunId}`)).json()) as {
      run: { info: { start_time: string; end_time: string; status: string }; data: { tags: { key: string; value: string }[]; metrics: { key: string; value: number }[] }; inputs: { dataset_inputs: { dataset: { name: string; digest: string; source_type: string; source: string } }[] } };
    };
    const tag = (k: string) => r.run.data.tags.find((t) => t.key === k)?.value;
    expect(tag('temporal.workflow_id')).toBe(pipelineId);
    expect(tag('temporal.run_id')).toBe(d.runId);
    expect(tag('temporal.web_ui')).toBe(client!.webUiUrl(pipelineId, d.runId));
    const input = r.run.inputs.dataset_inputs[0].dataset;
    expect(input.source_type).toBe('dvc');
    expect(JSON.parse(input.source).md5).toBe(result.datasetVersion.md5);
    expect(Number(r.run.info.start_time)).toBeLessThanOrEqual(d.startTime.getTime() + 1000);
    expect(Number(r.run.info.end_time)).toBeGreaterThanOrEqual(d.closeTime!.getTime() - 60_000);
    expect(r.run.data.metrics.map((m) => m.key)).toEqual(expect.arrayContaining(['stage_generate_seconds', 'stage_evaluate_seconds', 'stage_promote_seconds', 'pipeline_seconds']));
    expect(tag('correctly.stage.validate')).toBe('done');
  }, 700_000);

  it('refusals reach the sender: invalid updates through the CLI say why; invalid or misspelt signals show in `controller status`', async () => {
    const policy = await cli(['controller', 'policy', '--max-per-day', '1000']);
    expect(policy.code).toBe(1);
    expect(policy.stderr.trim()).toMatch(/^error: invalid policy: maxPipelinesPerDay: .*100$/);
    expect(policy.stderr.trim().split('\n')).toHaveLength(1);
    const retrain = await cli(['controller', 'retrain', ' ']);
    expect(retrain.stderr.trim()).toBe('error: invalid retrain request: reason: reason must not be empty');
    const id = `controller-${config.mlflowModelName}`;
    for (const [name, input] of [['retrainRequested', '{"bogus":1}'], ['driftDetected', 'null'], ['newDataAvailable', '"retrain please"'], ['retrainRequested', '{"reason":""}'], ['retrainRequest', '{"reason":"typo"}']]) {
      await temporal(['workflow', 'signal', '--workflow-id', id, '--name', name, '--input', input]);
    }
    await waitFor('five refused signals', async () => (await client!.controller().state()).refused.length >= 5);
    const status = await cli(['controller', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('refused    5 signal(s) it could not use:');
    expect(status.stdout).toMatch(/retrainRequested: .*Unrecognized key: "bogus".*\(payload \{"bogus":1\}\)/);
    expect(status.stdout).toMatch(/driftDetected: .*expected object, received null/);
    expect(status.stdout).toMatch(/retrainRequest: unknown signal/);
    // Approving a finished pipeline: one line that says so, no stack trace.
    const approve = await cli(['pipeline', 'approve', finishedPipeline, '--reviewer', 'kim']);
    expect(approve.code).toBe(1);
    expect(approve.stderr.trim().split('\n')).toHaveLength(1);
    expect(approve.stderr).toMatch(/^error: .*(completed|not found)/i);
  }, 120_000);

  for (const line of ordered) {
    it(`runs: ${line}`, async () => {
      if (LONG_RUNNING.test(line)) return runUntilReady(line, env);
      const run = NEEDS_GPU_OR_LLM.test(line) ? `${line} --dry-run` : line;
      const { stdout } = await sh(run);
      if (run !== line) expect(stdout).toMatch(/^would start: /);
    }, 600_000);
  }
});

/** Starts a long-running command, waits for it to say it is ready, stops it with SIGTERM: it must exit 0. */
async function runUntilReady(line: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child: ChildProcess = spawn('bash', ['-c', `exec ${line}`], { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    await waitFor(`\`${line}\` to be ready`, () => {
      if (child.exitCode !== null) throw new Error(`\`${line}\` exited ${child.exitCode} before it was ready:\n${out}`);
      return /polling|listening/.test(out);
    }, { timeoutMs: 180_000, isFatal: () => true });
  } catch (e) {
    process.kill(-child.pid!, 'SIGKILL');
    throw e;
  }
  process.kill(-child.pid!, 'SIGTERM');
  const [code, signal] = await exited;
  expect({ code, signal, out: code === 0 ? '' : out }).toEqual({ code: 0, signal: null, out: '' });
}
