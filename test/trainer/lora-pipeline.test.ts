/**
 * The retraining pipeline with `backends.trainer: 'lora'`: the GPU queue fine-tunes the tiny
 * Gemma 3 (CPU here), the candidate is registered with its merged weights, and evaluation runs the
 * model itself through trainer/generate.py (the same LlmCorrector as GPT-4o-mini) against Harper.
 * A random tiny model writes mostly invalid JSON: the report must say so (invalid output rate) and
 * the gate must refuse it — an honest result, not a forced pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunCorrector } from '../../adapters/mlflow-models';
import { endpoints } from '../../config';
import { MlflowClient } from '../../adapters/mlflow';
import { TransformersBackend } from '../../adapters/providers/transformers';
import { downloadArtifactDir } from '../../adapters/providers/files';
import type { PipelineResult } from '../../contracts/pipeline';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { buildTinyModel, ensureTrainerVenv, fixtureDataset, SMOKE_ARGS } from './python';

describe('retraining pipeline with the LoRA trainer (tiny Gemma 3 on CPU)', () => {
  let h: PipelineHarness;
  let python: string;
  let result: PipelineResult;
  beforeAll(async () => {
    python = await ensureTrainerVenv();
    const base = await buildTinyModel(python, fixtureDataset());
    h = await startPipelineHarness({
      CORRECTLY_TRAINER_PYTHON: python,
      CORRECTLY_LORA_BASE: base,
      // a random tiny model never ends its turn: bound its replies so evaluation stays short on CPU
      CORRECTLY_LORA_MAX_NEW_TOKENS: '24',
      CORRECTLY_LORA_ARGS: ['--max-steps', '6', '--eval-steps', '3', '--save-steps', '3', '--device', 'cpu', ...SMOKE_ARGS].join(' '),
    });
    await h.startWorker('cpu');
    await h.startWorker('gpu');
    const run = await h.client.startPipeline(
      { samples: 60, batchSize: 30, seed: 11, reasonLanguage: 'en', backends: { trainer: 'lora' }, gate: { jflegLimit: 8 }, trigger: 'lora test' },
      { workflowId: 'lora-pipeline-1' },
    );
    result = await run.result();
  }, 900_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('trains on the GPU queue, registers the merged model, and evaluates the model itself', async () => {
    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    const run = await mlflow.getRun(result.mlflowRunId);
    expect(run.data.tags.find((t) => t.key === 'trainer')?.value).toBe('lora');
    expect(result.candidateVersion).toBe('1');
    expect(result.metrics.candidate.engine).toBe('lora');
    expect(result.metrics.candidate.modelVersion).toBe('1');
    for (const set of [result.metrics.candidate.jfleg, result.metrics.candidate.heldout]) {
      expect(set.gleu).toBeGreaterThanOrEqual(0);
      expect(set.gleu).toBeLessThanOrEqual(1);
      expect(set.invalidOutputRate).toBeGreaterThanOrEqual(0);
      expect(set.invalidOutputRate).toBeLessThanOrEqual(1);
    }
    expect(result.metrics.candidate.jfleg.sentences).toBe(8);
    expect(result.metrics.comparison.reference).toBe('base');
  });

  it('the gate promotes only on a significant improvement, and says why with the intervals', () => {
    const comparisons = result.metrics.comparisons ?? [];
    expect(comparisons.length).toBeGreaterThan(0);
    const significant = comparisons.some((c) => c.ci[0] > 0) && !comparisons.some((c) => c.ci[1] < 0);
    // a tiny random model significantly better than the base ensemble would be a surprise, but then the gate must pass it
    expect(result.promoted).toBe(significant && result.metrics.candidate.heldout.noChangeRate >= 0.8);
    if (!significant) expect(result.why.join(' ')).toMatch(/(no significant improvement|significant regression).*95% CI \[/);
  });

  it('the local generation server answers deterministically and the corrector reports invalid output honestly', async () => {
    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    const corrector = await loadRunCorrector(mlflow, result.mlflowRunId, result.candidateVersion, endpoints(h.config).modelsDir, h.config);
    try {
      const outcome = async () => {
        try {
          return (await corrector.correct('She go to school yesterday.', { reasonLanguage: 'en' })).corrected;
        } catch (e) {
          return `${(e as Error).name}`;
        }
      };
      const first = await outcome();
      expect(await outcome()).toBe(first);
    } finally {
      await corrector.close?.();
    }

    const run = await mlflow.getRun(result.mlflowRunId);
    const dir = `${endpoints(h.config).modelsDir}/direct-check`;
    await downloadArtifactDir(mlflow, run, 'model', dir);
    const backend = new TransformersBackend({ modelDir: dir, python, device: 'cpu' });
    try {
      const req = { messages: [{ role: 'user' as const, content: 'Sentence: I am agree with you.' }], maxOutputTokens: 12, signal: AbortSignal.timeout(120_000) };
      const a = await backend.send(req);
      const b = await backend.send(req);
      expect(a.text).toBe(b.text);
      expect(a.promptTokens).toBeGreaterThan(5);
      expect(a.completionTokens).toBeGreaterThan(0);
      expect(a.completionTokens).toBeLessThanOrEqual(12);
    } finally {
      await backend.close();
    }
  });
});
