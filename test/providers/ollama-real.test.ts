/**
 * A real Ollama server (built from its Go module by build-ollama.sh, pinned) serving the tiny
 * Gemma 3 fine-tuned by the trainer: deployToOllama uploads the merged safetensors, creates the
 * model with the Gemma template and parameters, checks it answers a schema-valid correction, then
 * points the alias at it. A model that cannot answer is not served.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctionSchema } from '../../core/engines/types';
import { LlmCorrector } from '../../adapters/providers/corrector';
import { Llm } from '../../adapters/providers/llm';
import { OllamaBackend } from '../../adapters/providers/ollama';
import { DeployError, deployToOllama } from '../../adapters/providers/ollama-deploy';
import { PROJECT_ROOT } from '../../config/paths';
import { createLocalCorrector } from '../../adapters/providers/transformers';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeps } from '../../activities/deps';
import { uploadDirectory } from '../../activities/finetune';
import { registryActivities } from '../../activities/registry';
import { startTestStack } from '../support/stack';
import { freePort } from '../../ops/stack/process';
import { buildTinyModel, ensureTrainerVenv, FIXTURE_DATA, runToEnd } from '../trainer/python';

const exec = promisify(execFile);

describe('deploy to a real Ollama server (tiny fine-tuned Gemma 3)', () => {
  let ollama: ChildProcess;
  let host: string;
  const tmp: string[] = [];
  let merged: string;
  let base: string;
  let serverLog = '';

  beforeAll(async () => {
    // Built from source once (minutes), then cached: the script says which.
    const build = await exec('bash', [path.join(PROJECT_ROOT, 'test/providers/build-ollama.sh')], { cwd: PROJECT_ROOT, maxBuffer: 16 << 20 });
    console.log(build.stdout.split('\n').filter((l) => l.startsWith('[ollama build]')).join('\n'));
    const python = await ensureTrainerVenv();
    // train only (no valid split): the model overfits the fixture and reproduces its corrections
    const data = mkdtempSync(path.join(os.tmpdir(), 'correctly-ollama-data-'));
    tmp.push(data);
    await exec('cp', [path.join(FIXTURE_DATA, 'train.jsonl'), data]);
    base = await buildTinyModel(python, data);
    const out = mkdtempSync(path.join(os.tmpdir(), 'correctly-ollama-lora-'));
    tmp.push(base, out);
    await runToEnd(python, 'trainer.train', ['--data', data, '--out', out, '--base', base, '--max-steps', '60', '--lr', '3e-2', '--batch-size', '8', '--grad-accum', '1', '--lora-r', '16', '--lora-dropout', '0', '--warmup-ratio', '0', '--logging-steps', '20', '--save-steps', '100', '--eval-steps', '100', '--seed', '1']);
    merged = path.join(out, 'merged');

    const models = mkdtempSync(path.join(os.tmpdir(), 'correctly-ollama-models-'));
    tmp.push(models);
    mkdirSync(models, { recursive: true });
    const port = await freePort();
    host = `http://127.0.0.1:${port}`;
    ollama = spawn(path.join(PROJECT_ROOT, '.tools/bin/ollama'), ['serve'], {
      env: { ...process.env, OLLAMA_HOST: `127.0.0.1:${port}`, OLLAMA_MODELS: models, OLLAMA_NO_CLOUD: '1', HOME: models },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    ollama.stdout!.on('data', (d) => (serverLog += d));
    ollama.stderr!.on('data', (d) => (serverLog = (serverLog + d).slice(-20_000)));
    const end = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${host}/api/version`).then((r) => r.ok, () => false);
      if (ok) break;
      if (ollama.exitCode !== null || Date.now() > end) throw new Error(`ollama serve did not start: ${serverLog.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 30 * 60_000);

  afterAll(async () => {
    if (ollama && ollama.exitCode === null) {
      ollama.kill('SIGTERM');
      await once(ollama, 'exit').catch(() => {});
    }
    for (const d of tmp) rmSync(d, { recursive: true, force: true });
  });

  it('creates the model from the merged weights, checks a schema-valid correction, then serves it under the alias', async () => {
    const steps: string[] = [];
    const r = await deployToOllama({ host, name: 'correctly-tiny', version: '1', mergedDir: merged, onProgress: (m) => steps.push(m) });
    expect(r).toMatchObject({ model: 'correctly-tiny:v1', alias: 'correctly-tiny:champion' });
    expect(r.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    expect(r.uploaded).toBe(r.files.length);
    expect(correctionSchema.parse(r.check)).toMatchObject({
      input: 'She go to school every day.',
      corrected: 'She goes to school every day.',
      edits: [expect.objectContaining({ before: 'go', after: 'goes' })],
      reason: "주어가 3인칭 단수이므로 'go'를 'goes'로 고쳤습니다.",
      engine: 'ollama',
      modelVersion: '1',
    });
    expect(steps).toEqual(expect.arrayContaining(['creating correctly-tiny:v1', 'checking correctly-tiny:v1', 'correctly-tiny:champion → correctly-tiny:v1']));

    const client = new Ollama({ host });
    const names = (await client.list()).models.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['correctly-tiny:v1', 'correctly-tiny:champion']));
    const show = await client.show({ model: 'correctly-tiny:champion' });
    expect(show.template).toContain('<start_of_turn>');
    expect(show.parameters).toContain('<end_of_turn>');

    // the alias serves the same model, streamed too; blobs already there are not uploaded again
    const llm = new Llm(new OllamaBackend({ host, model: 'correctly-tiny:champion' }), { stream: true, maxOutputTokens: 256 });
    const c = await new LlmCorrector(llm).correct('He is good in math.');
    expect(c.corrected).toBe('He is good at math.');
    expect(llm.ledger.totals().completionTokens).toBeGreaterThan(5);
    const again = await deployToOllama({ host, name: 'correctly-tiny', version: '1', mergedDir: merged, alias: null });
    expect(again.uploaded).toBe(0);
  });

  it('does not serve a model that cannot answer a valid correction', async () => {
    // the random, untrained base: its output never closes the JSON within the token budget
    const err = await deployToOllama({ host, name: 'correctly-tiny', version: '2', mergedDir: base, checkTimeoutMs: 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toMatch(/correctly-tiny:v2 was created but did not answer a valid correction, so it is not served/);
    // the alias still points at v1
    const c = await new LlmCorrector(new Llm(new OllamaBackend({ host, model: 'correctly-tiny:champion' }))).correct('She go to school every day.');
    expect(c.corrected).toBe('She goes to school every day.');
  });

  it('runs the same fine-tune locally through trainer/generate.py with the same answer (no Ollama needed)', async () => {
    const corrector = createLocalCorrector({ modelDir: merged, python: await ensureTrainerVenv(), device: 'cpu', modelVersion: '1' });
    try {
      const c = await corrector.correct('She go to school every day.');
      expect(c).toMatchObject({ corrected: 'She goes to school every day.', engine: 'lora', modelVersion: '1', edits: [expect.objectContaining({ before: 'go', after: 'goes' })] });
      expect(corrector.llm.ledger.totals()).toMatchObject({ calls: 1, costUsd: 0 });
    } finally {
      await corrector.close();
    }
  });

  it('the deploy stage creates a LoRA champion in Ollama from its MLflow artifacts before switching serving', async () => {
    const ts = await startTestStack(['mlflow'], { OLLAMA_HOST: host });
    try {
      const deps = createDeps(ts.config);
      const mlflow = deps.mlflow;
      const exp = await mlflow.experimentId('deploy-test');
      const run = await mlflow.findOrCreateRun(exp, 'deploy-test/train', 'deploy test', { trainer: 'lora' });
      await uploadDirectory(mlflow, run, merged, 'model');
      await mlflow.ensureRegisteredModel('correctly-deploy');
      const mv = await mlflow.findOrCreateModelVersion('correctly-deploy', run.info.run_id, `${run.info.artifact_uri}/model`);
      const out = (await new MockActivityEnvironment().run(registryActivities(deps).deployChampion, { modelName: 'correctly-deploy', version: mv.version })) as { served: boolean; detail: string };
      // no serving API in this test: Ollama is deployed and serving is told to pick it up on start
      expect(out.served).toBe(false);
      expect(out.detail).toMatch(/^Ollama correctly-deploy:v1 → correctly-deploy:champion \(check answered in \d+ ms\); no serving API/);
      expect((await mlflow.getModelVersion('correctly-deploy', mv.version)).tags).toEqual(expect.arrayContaining([{ key: 'ollama_model', value: 'correctly-deploy:v1' }]));
      const names = (await new Ollama({ host }).list()).models.map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['correctly-deploy:v1', 'correctly-deploy:champion']));
      await deps.close();
    } finally {
      await ts.stop();
    }
  });
});
