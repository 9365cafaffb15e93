/**
 * Stage 5: the candidate against the champion (or, before the first one, the base ensemble), with
 * the base ensemble and Harper alone beside them, on the same frozen eval sets: JFLEG dev, the
 * pipeline's held-out split, and the held-out slice of learners' feedback when there is enough of
 * it. On every set, a paired bootstrap of the GLEU difference against the reference (what the gate
 * decides on), and the candidate's edit precision/recall per error category on the held-out sets.
 * The report goes to MLflow (metrics + artifacts) and the evaluation table.
 *
 * Correction and scoring (GLEU, the 1000-resample bootstrap) run in worker threads: this
 * activity's event loop is the one that completes the worker's workflow tasks (it only waits,
 * heartbeats and does I/O). Each system corrects in a fresh engine thread of its own, sentences in
 * order, the systems side by side: Harper's answers depend on what its linter linted before (the
 * order of some suggestions: "He last choosed to learn truth." comes out as "He lasts chosen…" or
 * "He lasts chose…" depending on the sentences before it), so in the worker's shared, long-lived
 * threads the scores would change from run to run, and a candidate that changes nothing would not
 * tie with Harper. Harper's lints of a text are read from the answer store (adapters/answer-store)
 * when an earlier system or pipeline linted it: every system then sees the same lints for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { endpoints } from '../config';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { type CorrectorFactory, loadRunCorrector, rulesModelDigest, runTrainer } from '../adapters/mlflow-models';
import { withFreshEngineThread } from '../adapters/engine-pool/pool';
import { type EvalSet, evalSetDigest, heldoutEvalSet, jflegEvalSet, runSystemCached, runSystem, type SystemOutputs } from '../core/eval/evaluate';
import { loadJfleg } from '../adapters/jfleg';
import { HARPER_VERSION } from '../core/engines/harper';
import { stableId } from '../core/ids';
import { tokenize } from '../core/text/tokenize';
import { EvaluationSchema } from '../entities';
import type { CategoryMetrics, EvalMetrics, EvaluationResult, SetComparison, SystemEval } from '../contracts/pipeline';
import type { ActivityDeps } from './deps';
import { currentGitCommit, readSplit } from './train';

export interface EvaluateInput {
  pipelineId: string;
  modelName: string;
  candidateVersion: string;
  runId: string;
  datasetPath: string;
  jflegLimit: number;
  seed: number;
}

/** Fewer held-out feedback pairs than this make no eval set of their own (too few to tell anything). */
export const MIN_FEEDBACK_EVAL = 5;

type SetKey = 'jfleg' | 'heldout' | 'feedback';
/** Builds a system's corrector in the engine thread it is handed. */
type MakeCorrector = (create: CorrectorFactory) => ReturnType<CorrectorFactory>;
/** A system's outputs on one eval set, from that thread's corrector factory. */
type SystemRunner = (set: EvalSet, create: CorrectorFactory, onProgress: (done: number, total: number) => void) => Promise<SystemOutputs>;
const SET_LABELS: Record<SetKey, string> = { jfleg: 'JFLEG dev', heldout: 'held-out split', feedback: 'held-out feedback' };

export function evaluateActivities(deps: ActivityDeps) {
  return {
    async evaluateCandidate(input: EvaluateInput): Promise<EvaluationResult> {
      const { mlflow } = deps;
      const ctx = Context.current();
      const pool = deps.engines();
      const scoring = pool.functions<typeof import('../core/eval/evaluate')>(new URL('../core/eval/evaluate.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const bootstrap = pool.functions<typeof import('../core/eval/bootstrap')>(new URL('../core/eval/bootstrap.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const categories = pool.functions<typeof import('../core/eval/categories')>(new URL('../core/eval/categories.ts', import.meta.url), { signal: ctx.cancellationSignal });
      // The base systems' outputs depend only on the code: kept where every stack may share them.
      // A champion's depend on its run: kept with this stack's state.
      const codeCache = deps.paths.evalCacheDir;
      const runCache = path.join(deps.paths.stateDir, 'cache', 'eval');
      const test = readSplit(input.datasetPath, 'test');
      const j = loadJfleg(input.jflegLimit);
      const feedbackPairs = test.filter((s) => s.source === 'feedback');
      const sets: Partial<Record<SetKey, EvalSet>> = {
        jfleg: jflegEvalSet(j.src, j.refs),
        heldout: heldoutEvalSet(`heldout-${input.pipelineId}`, test),
        ...(feedbackPairs.length >= MIN_FEEDBACK_EVAL ? { feedback: heldoutEvalSet(`feedback-${input.pipelineId}`, feedbackPairs) } : {}),
      };
      const setKeys = Object.keys(sets) as SetKey[];

      const progress = (system: string, set: string) => (done: number, total: number) => ctx.heartbeat({ phase: `${system} ${set}`, done, total });

      /** A system's outputs on every set, corrected in its own fresh engine thread (see the top), then scored. */
      async function evaluate(engine: string, version: string | null, outputs: SystemRunner): Promise<{ eval: SystemEval; outputs: Partial<Record<SetKey, string[]>> }> {
        const label = `${engine}${version ? ` v${version}` : ''}`;
        const outs = await withFreshEngineThread(deps.config, async (create) => {
          // Scores must not depend on load: a system that does not answer fails the attempt (retried).
          // Harper's lints come from the answer store: every system reads the same ones for a text.
          const strict: CorrectorFactory = (name, opts) => create(name, { ...opts, strict: true, answerStoreDir: deps.paths.answerStoreDir });
          const o: Partial<Record<SetKey, SystemOutputs>> = {};
          for (const k of setKeys) o[k] = await outputs(sets[k]!, strict, progress(label, sets[k]!.name));
          return o;
        });
        const scores: Partial<Record<SetKey, EvalMetrics>> = {};
        await Promise.all(setKeys.map(async (k) => (scores[k] = await scoring.scoreSystem(sets[k]!, outs[k]!))));
        return {
          eval: { engine, modelVersion: version, heldout: scores.heldout!, jfleg: scores.jfleg!, ...(scores.feedback ? { feedback: scores.feedback } : {}) },
          outputs: Object.fromEntries(setKeys.map((k) => [k, outs[k]!.outputs])),
        };
      }

      // Every system's outputs are cached per eval set: a rules model's by what it learned (two runs
      // that learned the same patterns and scorer correct alike; a champion was a candidate once),
      // the base ensemble's per commit, Harper's per version; only a LoRA candidate runs fresh.
      const championMv = await mlflow.getByAlias(input.modelName, 'champion');
      const championRunId = championMv?.run_id && championMv.version !== input.candidateVersion ? championMv.run_id : null;
      const [candidateRun, championRun] = await Promise.all([mlflow.getRun(input.runId), championRunId ? mlflow.getRun(championRunId) : null]);
      const cached = (cacheDir: string, key: string, make: MakeCorrector): SystemRunner => (set, create, onProgress) =>
        runSystemCached(cacheDir, key, () => make(create), set, 'en', onProgress, ctx.cancellationSignal);
      const commit = currentGitCommit().slice(0, 12);
      const modelOutputs = async (run: typeof candidateRun, version: string, fallback: (make: MakeCorrector) => SystemRunner): Promise<SystemRunner> => {
        const make: MakeCorrector = (create) => loadRunCorrector(mlflow, run.info.run_id, version, deps.paths.modelsDir, deps.config, create);
        const digest = await rulesModelDigest(mlflow, run, deps.paths.modelsDir);
        return digest ? cached(codeCache, `rules-model-${digest.slice(0, 16)}-${commit}`, make) : fallback(make);
      };
      const fresh = (make: MakeCorrector): SystemRunner => async (set, create, onProgress) => {
        const corrector = await make(create);
        try {
          return await runSystem(corrector, set, 'en', onProgress, ctx.cancellationSignal);
        } finally {
          await corrector.close?.();
        }
      };

      const [candidate, champion, base, harper] = await Promise.all([
        evaluate(runTrainer(candidateRun), input.candidateVersion, await modelOutputs(candidateRun, input.candidateVersion, fresh)),
        championMv && championRunId && championRun
          ? evaluate(runTrainer(championRun), championMv.version, await modelOutputs(championRun, championMv.version, (make) => cached(runCache, `${input.modelName}-v${championMv.version}-${championRunId}`, make)))
          : null,
        // The base ensemble's outputs change with the code: cached per commit.
        evaluate('ensemble', null, cached(codeCache, `base-ensemble-${commit}`, (create) => create('ensemble', { languagetoolUrl: endpoints(deps.config).languagetoolUrl }))),
        evaluate('harper', null, cached(codeCache, HARPER_VERSION, (create) => create('harper', {}))),
      ]);

      const reference = champion ?? base;
      const referenceName = champion ? `champion v${championMv!.version}` : 'the base ensemble';
      const tok = (xs: string[]) => xs.map((o) => tokenize(o));
      const comparisons: SetComparison[] = await Promise.all(
        setKeys.map(async (k) => {
          const set = sets[k]!;
          const boot = await bootstrap.pairedBootstrap({ sources: set.sources, references: set.references, a: tok(candidate.outputs[k]!), b: tok(reference.outputs[k]!), samples: 1000, seed: input.seed });
          const cg = (candidate.eval[k] as EvalMetrics).gleu;
          const rg = (reference.eval[k] as EvalMetrics).gleu;
          return { set: k, label: SET_LABELS[k], sentences: set.sources.length, reference: referenceName, candidateGleu: cg, referenceGleu: rg, delta: boot.delta, ci: boot.ci, pBetter: boot.pBetter };
        }),
      );
      const jflegComparison = comparisons.find((c) => c.set === 'jfleg')!;
      const perCategory: Record<string, Record<string, CategoryMetrics>> = {};
      for (const k of setKeys.filter((x) => x !== 'jfleg')) perCategory[k] = await categories.categoryScores(sets[k]!.sources, sets[k]!.references, tok(candidate.outputs[k]!));

      const result: Omit<EvaluationResult, 'reportPath'> = {
        candidate: candidate.eval,
        champion: champion?.eval ?? null,
        harper: harper.eval,
        base: base.eval,
        comparison: { reference: champion ? 'champion' : 'base', delta: jflegComparison.delta, ci: jflegComparison.ci, pBetter: jflegComparison.pBetter },
        comparisons,
        categories: perCategory,
      };

      // Report: JSON + Markdown, locally and as MLflow artifacts; metrics on the candidate's run.
      const dir = path.join(deps.paths.stateDir, 'reports', input.pipelineId.replace(/[^A-Za-z0-9._-]+/g, '_'));
      mkdirSync(dir, { recursive: true });
      const reportPath = path.join(dir, 'evaluation.json');
      const digests = Object.fromEntries(setKeys.map((k) => [k, evalSetDigest(sets[k]!)]));
      const markdown = renderReport(input, result, digests);
      writeFileSync(reportPath, JSON.stringify(result, null, 2));
      writeFileSync(path.join(dir, 'evaluation.md'), markdown);
      const run = await mlflow.getRun(input.runId);
      await mlflow.uploadArtifact(run, 'evaluation/report.json', JSON.stringify(result, null, 2));
      await mlflow.uploadArtifact(run, 'evaluation/report.md', markdown);
      const m: Record<string, number> = {};
      for (const [name, s] of Object.entries({ candidate: result.candidate, champion: result.champion, base: result.base, harper: result.harper })) {
        if (!s) continue;
        for (const k of setKeys) {
          const metrics = s[k];
          if (!metrics) continue;
          m[`${name}_${k}_gleu`] = metrics.gleu;
          m[`${name}_${k}_no_change_rate`] = metrics.noChangeRate;
          m[`${name}_${k}_latency_p50_ms`] = metrics.latencyMsP50;
        }
      }
      for (const c of comparisons) {
        m[`delta_${c.set}`] = c.delta;
        m[`delta_${c.set}_ci_low`] = c.ci[0];
        m[`delta_${c.set}_ci_high`] = c.ci[1];
      }
      for (const [k, cats] of Object.entries(perCategory)) {
        for (const [type, c] of Object.entries(cats)) {
          m[`${k}_${type}_precision`] = c.precision;
          m[`${k}_${type}_recall`] = c.recall;
        }
      }
      m.delta_gleu_vs_reference = jflegComparison.delta;
      m.delta_ci_low = jflegComparison.ci[0];
      m.delta_ci_high = jflegComparison.ci[1];
      m.p_better = jflegComparison.pBetter;
      await mlflow.logBatch(input.runId, { metrics: m, tags: { eval_reference: referenceName, jfleg_digest: digests.jfleg } });

      const repo = (await deps.db()).getRepository(EvaluationSchema);
      for (const [engine, s] of [['candidate', result.candidate], ['champion', result.champion], ['base', result.base], ['harper', result.harper]] as const) {
        if (!s) continue;
        for (const k of setKeys) {
          await repo.upsert(
            {
              id: stableId('eval', input.pipelineId, engine, k),
              pipelineId: input.pipelineId,
              modelVersion: s.modelVersion,
              engine: engine === 'harper' || engine === 'base' ? engine : `${engine}:${s.engine}`,
              evalSet: sets[k]!.name.slice(0, 64),
              evalSetDigest: digests[k],
              metrics: { ...s[k] } as unknown as Record<string, number>,
              report: engine === 'candidate' ? { comparison: comparisons.find((c) => c.set === k), categories: perCategory[k] ?? {} } : {},
            },
            ['id'],
          );
        }
      }
      return { ...result, reportPath };
    },
  };
}

const f4 = (x: number) => x.toFixed(4);

function renderReport(input: EvaluateInput, r: Omit<EvaluationResult, 'reportPath'>, digests: Record<string, string>): string {
  const cell = (m: EvalMetrics | undefined) => (m ? f4(m.gleu) : '–');
  const row = (name: string, s: SystemEval | null | undefined) =>
    s ? `| ${name} | ${s.modelVersion ?? '-'} | ${f4(s.jfleg.gleu)} ± ${f4(1.96 * s.jfleg.gleuStd)} | ${cell(s.heldout)} | ${cell(s.feedback)} | ${(s.heldout.noChangeRate * 100).toFixed(1)}% | ${(s.jfleg.overCorrectionRate * 100).toFixed(1)}% | ${s.jfleg.latencyMsP50.toFixed(2)} / ${s.jfleg.latencyMsP95.toFixed(2)} |` : null;
  const categoryRows = Object.entries(r.categories ?? {}).flatMap(([set, cats]) =>
    Object.entries(cats).map(([type, c]) => `| ${SET_LABELS[set as SetKey] ?? set} | ${type} | ${c.correct} of ${c.proposed} | ${(c.precision * 100).toFixed(0)}% | ${c.correct} of ${c.gold} | ${(c.recall * 100).toFixed(0)}% |`),
  );
  return [
    `# Evaluation of ${input.modelName} v${input.candidateVersion}`,
    '',
    `Pipeline \`${input.pipelineId}\`, MLflow run \`${input.runId}\`. Eval sets: ${Object.entries(digests).map(([k, d]) => `${SET_LABELS[k as SetKey]} (${d}${k === 'jfleg' && input.jflegLimit ? `, first ${input.jflegLimit}` : ''})`).join(', ')}.`,
    '',
    '| system | version | JFLEG dev GLEU | held-out GLEU | feedback GLEU | no-change on correct | over-correction | latency p50 / p95 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('candidate', r.candidate),
    row('champion', r.champion),
    row('base ensemble', r.base),
    row('Harper alone', r.harper),
    '',
    'Paired bootstrap (1000 resamples) of corpus GLEU, candidate − reference:',
    '',
    ...(r.comparisons ?? []).map((c) => `- ${c.label} (${c.sentences} sentences) vs ${c.reference}: Δ ${f4(c.delta)}, 95% CI [${f4(c.ci[0])}, ${f4(c.ci[1])}], P(candidate better) ${c.pBetter.toFixed(3)}`),
    '',
    ...(categoryRows.length ? ['What the candidate gets right per error category (its edits vs the references\' edits):', '', '| set | category | right edits | precision | references\' edits found | recall |', '| --- | --- | --- | --- | --- | --- |', ...categoryRows, ''] : []),
    'Explanation quality is not judged in this run (no judge configured): metrics only.',
  ].filter((l) => l !== null).join('\n');
}
