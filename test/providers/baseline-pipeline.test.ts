/**
 * The pipeline with `backends.baseline: 'openai'`: after the evaluation, the candidate is compared
 * with the baseline model through the real OpenAI SDK. The model here is a local server speaking
 * the OpenAI wire protocol (tests only) that corrects with Harper and grades explanations by rule,
 * so the figures can be checked: the baseline's GLEU must equal Harper's, its cost follow the price
 * table, and a second pipeline on the same eval set must not pay for the baseline again.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, loadConfig } from '../../config';
import { createCorrector } from '../../core/engines/index';
import { registerOfflineEngines } from '../../adapters/offline-engines';
import type { Corrector } from '../../core/engines/types';
import { MlflowClient } from '../../adapters/mlflow';
import type { PipelineResult } from '../../contracts/pipeline';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { FakeLlmServer, type RecordedRequest, type Scripted } from './fake-llm-server';

function userText(req: RecordedRequest): string {
  return (req.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'user').at(-1)!.content;
}

describe('pipeline with an OpenAI baseline (local OpenAI-protocol server)', () => {
  const server = new FakeLlmServer();
  let harper: Corrector;
  let h: PipelineHarness;
  let first: PipelineResult;
  let second: PipelineResult;
  let correctionCallsAfterFirst = 0;
  const isJudge = (r: RecordedRequest) => r.body.response_format?.json_schema?.name === 'explanation_judgement';

  beforeAll(async () => {
    registerOfflineEngines(loadConfig());
    harper = await createCorrector('harper');
    server.responder = async (req): Promise<Scripted> => {
      const text = userText(req);
      if (isJudge(req)) {
        const n = (text.match(/^\d+\. '/gm) ?? []).length;
        const explained = !/\): \(empty\)$/.test(text);
        const edits = Array.from({ length: n }, (_, i) => ({ index: i + 1, covered: explained, correct: true, wrongErrorType: false }));
        return { kind: 'reply', content: JSON.stringify({ edits, hallucinated: [], claimsNoChange: !explained && n > 0 }), promptTokens: 300, completionTokens: 40 };
      }
      const sentence = text.replace(/^Sentence: /, '');
      const c = await harper.correct(sentence, { reasonLanguage: 'en' });
      return { kind: 'reply', content: JSON.stringify({ corrected: c.corrected, reason: c.reason }), promptTokens: 120, completionTokens: 25 };
    };
    const url = await server.start();
    h = await startPipelineHarness({ OPENAI_API_KEY: 'sk-local-test', OPENAI_BASE_URL: `${url}/v1`, OPENAI_MODEL: 'gpt-4o-mini' });
    await h.startWorker('cpu');
    const input = { samples: 200, seed: 5, reasonLanguage: 'en' as const, backends: { baseline: 'openai' as const }, gate: { jflegLimit: 30 }, trigger: 'baseline test' };
    first = await (await h.client.startPipeline(input, { workflowId: 'baseline-pipeline-1' })).result();
    correctionCallsAfterFirst = server.requests.filter((r) => !isJudge(r)).length;
    second = await (await h.client.startPipeline({ ...input, seed: 6 }, { workflowId: 'baseline-pipeline-2' })).result();
  }, 900_000);
  afterAll(async () => {
    await h?.stop();
    await server.stop();
    await harper?.close?.();
  });

  it('logs the baseline to MLflow with GLEU, cost and judged explanations', async () => {
    const mlflow = new MlflowClient(endpoints(h.config).mlflowUrl);
    const run = await mlflow.getRun(first.mlflowRunId);
    const metric = (k: string) => run.data.metrics.find((m) => m.key === k)?.value;
    // The stand-in corrects with Harper, so the baseline scores exactly what Harper scores.
    expect(metric('baseline_jfleg_gleu')).toBeCloseTo(first.metrics.harper.jfleg.gleu, 6);
    // 30 sentences + the already-correct ones, 120 prompt + 25 completion tokens each at gpt-4o-mini prices
    expect(metric('baseline_cost_per_1000_usd')).toBeCloseTo(((120 * 0.15 + 25 * 0.6) / 1e6) * 1000, 9);
    for (const k of ['baseline_explanation_score', 'candidate_explanation_score', 'harper_explanation_score']) {
      expect(metric(k)).toBeGreaterThanOrEqual(0);
      expect(metric(k)).toBeLessThanOrEqual(1);
    }
    expect(run.data.tags.find((t) => t.key === 'baseline_model')?.value).toBe('gpt-4o-mini');
    const report = (await mlflow.downloadArtifact(run, 'comparison/report.md')).toString('utf8');
    expect(report).toContain('gpt-4o-mini');
    expect(report).toContain('Harper alone');
    expect((await mlflow.downloadArtifact(run, 'comparison/report.svg')).toString('utf8')).toMatch(/^<svg/);
  });

  it('every request went through the OpenAI SDK with the key and the JSON schema', () => {
    expect(server.requests.length).toBeGreaterThan(30);
    for (const r of server.requests) {
      expect(r.path).toBe('/v1/chat/completions');
      expect(r.headers.authorization).toBe('Bearer sk-local-test');
      expect(r.body.response_format?.type).toBe('json_schema');
    }
  });

  it('the second pipeline reuses the cached baseline outputs (JFLEG dev is the same set)', () => {
    const later = server.requests.filter((r) => !isJudge(r)).length;
    // only the second run's own candidate needs judging; no baseline correction is paid twice
    expect(later).toBe(correctionCallsAfterFirst);
    expect(second.metrics.candidate.jfleg.sentences).toBe(30);
    expect(readFileSync(first.metrics.reportPath, 'utf8')).toContain('"candidate"');
  });
});
