/**
 * Stage 5b (only when the pipeline names a baseline): the candidate against GPT-4o-mini (or any
 * OpenAI-compatible / Ollama model) on JFLEG dev, quality and efficiency side by side.
 *
 * - Baseline outputs are cached per (model, eval-set digest): a re-run or a retry pays nothing.
 * - Explanations of the candidate, the baseline and Harper are judged (per-edit rubric) by the
 *   same provider on the first `judgeLimit` sentences, cached per (judge, corrections).
 * - The report (Markdown + Vega-Lite SVG + HTML) goes to MLflow under `comparison/`, with metrics.
 * GLEU of candidate, champion and Harper come from the evaluation report the previous activity
 * wrote (its path is in the input), so nothing is computed twice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type CorrectorFactory, loadRunCorrector } from '../adapters/mlflow-models';
import { withFreshEngineThread } from '../adapters/engine-pool/pool';
import type { Corrector, ReasonLanguage } from '../core/engines/types';
import { evalSetDigest, jflegEvalSet } from '../core/eval/evaluate';
import { loadJfleg } from '../adapters/jfleg';
import { createLlm, createLlmJudge, providerEnabled, type ProviderName } from '../adapters/providers/index';
import { judgeCorrectionsCached, processPeakMemoryMb, RecordingCorrector, runBaselineCached, type SystemRow, writeReport } from '../adapters/providers/compare';
import { MalformedOutputError } from '../core/engines/provider-errors';
import type { EvaluationResult, SystemEval } from '../contracts/pipeline';
import type { ActivityDeps } from './deps';

export interface CompareInput {
  pipelineId: string;
  modelName: string;
  runId: string;
  candidateVersion: string;
  baseline: ProviderName;
  /** evaluation.json written by evaluateCandidate. */
  evaluationReport: string;
  jflegLimit: number;
  reasonLanguage: ReasonLanguage;
  /** Sentences whose explanations are judged per system (default 50). */
  judgeLimit?: number;
}

export interface CompareOutput {
  reportPath: string;
  baseline: { model: string; gleu: number; costPer1000: number | null; cached: boolean };
  explanationScores: Record<string, number>;
}

export function compareActivities(deps: ActivityDeps) {
  return {
    async compareWithBaseline(input: CompareInput): Promise<CompareOutput> {
      if (!providerEnabled(input.baseline, deps.config)) {
        const need = input.baseline === 'openai' ? 'OPENAI_API_KEY' : 'OLLAMA_HOST';
        throw ApplicationFailure.nonRetryable(`baseline "${input.baseline}" is not configured on this worker: set ${need}`, 'InvalidInput');
      }
      const ctx = Context.current();
      // Offline correctors and scoring run in worker threads, off this event loop.
      const scoring = deps.engines().functions<typeof import('../core/eval/evaluate')>(new URL('../core/eval/evaluate.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const cacheDir = path.join(deps.paths.stateDir, 'cache', 'eval');
      const evaluation = JSON.parse(readFileSync(input.evaluationReport, 'utf8')) as EvaluationResult;
      const j = loadJfleg(input.jflegLimit);
      const jfleg = jflegEvalSet(j.src, j.refs);
      const judgeLimit = Math.min(input.judgeLimit ?? 50, jfleg.inputs.length);
      const heartbeat = (phase: string) => (done: number, total: number) => ctx.heartbeat({ phase, done, total });

      const llm = createLlm(input.baseline, deps.config);
      const baseline = await runBaselineCached(cacheDir, llm, jfleg, input.reasonLanguage, heartbeat(`baseline ${llm.name}`));
      const baselineMetrics = await scoring.scoreSystem(jfleg, baseline.outputs);

      // Explanations: the baseline's are recorded; the others are produced on the judged subset.
      const judge = createLlmJudge(input.baseline, deps.config);
      const refs = jfleg.references.map((r) => r.slice(0, judgeLimit));
      const judgeOf = async (name: string, corrections: Parameters<typeof judgeCorrectionsCached>[2]) =>
        judgeCorrectionsCached(cacheDir, judge, corrections, { reasonLanguage: input.reasonLanguage, references: refs, limit: judgeLimit, onProgress: heartbeat(`judge ${name}`) });
      const explain = async (corrector: Corrector) => {
        const rec = new RecordingCorrector(corrector);
        const out = [];
        for (const text of jfleg.inputs.slice(0, judgeLimit)) {
          try {
            out.push(await rec.correct(text, { reasonLanguage: input.reasonLanguage }));
          } catch (e) {
            if (!(e instanceof MalformedOutputError)) throw e;
            out.push({ input: text, corrected: text, edits: [], reason: '', engine: corrector.name, modelVersion: null });
          }
        }
        await rec.close();
        return out;
      };
      const scores: Record<string, number> = {};
      scores.baseline = (await judgeOf('baseline', baseline.corrections)).explanationScore;
      // each in a fresh engine thread: the same corrections every run, so the judge's cache answers a re-run
      const explained = (corrector: (create: CorrectorFactory) => Promise<Corrector>) => withFreshEngineThread(deps.config, async (create) => explain(await corrector(create)));
      scores.candidate = (await judgeOf('candidate', await explained((create) => loadRunCorrector(deps.mlflow, input.runId, input.candidateVersion, deps.paths.modelsDir, deps.config, create)))).explanationScore;
      scores.harper = (await judgeOf('harper', await explained((create) => create('harper', {})))).explanationScore;

      const row = (name: string, role: SystemRow['role'], s: SystemEval, explanationScore: number | null): SystemRow => ({
        name,
        role,
        gleu: s.jfleg.gleu,
        gleuCi: s.jfleg.gleuCi,
        explanationScore,
        latencyMsP50: s.jfleg.latencyMsP50,
        latencyMsP95: s.jfleg.latencyMsP95,
        tokensPerSecond: null,
        peakMemoryMb: role === 'harper' ? processPeakMemoryMb() : null,
        costPer1000: 0,
      });
      const systems: SystemRow[] = [
        row(`candidate v${input.candidateVersion}`, 'candidate', evaluation.candidate, scores.candidate),
        ...(evaluation.champion ? [row(`champion v${evaluation.champion.modelVersion}`, 'champion', evaluation.champion, null)] : []),
        {
          name: llm.backend.model,
          role: 'baseline',
          gleu: baselineMetrics.gleu,
          gleuCi: baselineMetrics.gleuCi,
          explanationScore: scores.baseline,
          latencyMsP50: baselineMetrics.latencyMsP50,
          latencyMsP95: baselineMetrics.latencyMsP95,
          tokensPerSecond: baseline.usage.tokensPerSecond || null,
          peakMemoryMb: null,
          costPer1000: Number.isNaN(baseline.costPer1000) ? null : baseline.costPer1000,
        },
        row('Harper alone', 'harper', evaluation.harper, scores.harper),
      ];
      const dir = path.join(deps.paths.stateDir, 'reports', input.pipelineId.replace(/[^A-Za-z0-9._-]+/g, '_'), 'comparison');
      const files = await writeReport(dir, {
        title: `${input.modelName} v${input.candidateVersion} vs ${llm.backend.model}`,
        evalSet: { name: 'JFLEG dev', digest: evalSetDigest(jfleg), sentences: jfleg.inputs.length },
        systems,
        notes: [
          `Explanations judged by ${judge.name} on the first ${judgeLimit} sentences (per-edit rubric: covered, correct, hallucinated edit, wrong error type).`,
          `Baseline outputs ${baseline.cached ? 'from the cache (not paid again)' : 'computed in this run'}; ${baseline.usage.calls} calls, ${baseline.usage.promptTokens} prompt + ${baseline.usage.completionTokens} completion tokens.`,
          'Cost on our own hardware is 0 here (GPU hours are not counted).',
        ],
      });
      const run = await deps.mlflow.getRun(input.runId);
      for (const [key, file] of Object.entries(files)) await deps.mlflow.uploadArtifact(run, `comparison/report.${key === 'markdown' ? 'md' : key}`, readFileSync(file, 'utf8'));
      await deps.mlflow.logBatch(input.runId, {
        metrics: {
          baseline_jfleg_gleu: baselineMetrics.gleu,
          baseline_latency_p50_ms: baselineMetrics.latencyMsP50,
          ...(Number.isNaN(baseline.costPer1000) ? {} : { baseline_cost_per_1000_usd: baseline.costPer1000 }),
          ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [`${k}_explanation_score`, v])),
        },
        tags: { baseline_model: llm.backend.model },
      });
      return {
        reportPath: files.markdown,
        baseline: { model: llm.backend.model, gleu: baselineMetrics.gleu, costPer1000: Number.isNaN(baseline.costPer1000) ? null : baseline.costPer1000, cached: baseline.cached },
        explanationScores: scores,
      };
    },
  };
}
