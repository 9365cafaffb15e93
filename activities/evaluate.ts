/**
 * Stage 5: candidate vs champion vs Harper on the same frozen eval sets (the pipeline's held-out
 * split and JFLEG dev), with a paired bootstrap against the reference the gate uses. The report
 * goes to MLflow (metrics + artifacts) and the evaluation table.
 *
 * Correction and scoring (GLEU, the 1000-resample bootstrap) run in worker threads: this
 * activity's event loop is the one that completes the worker's workflow tasks (it only waits,
 * heartbeats and does I/O). Each system corrects in a fresh engine thread of its own, sentences in
 * order, the systems side by side: Harper's answers depend on what its linter linted before (its
 * internal caches: "He last choosed to learn truth." comes out as "He lasts chosen…" or "He lasts
 * chose…" depending on the sentences before it), so in the worker's shared, long-lived threads the
 * scores would change from run to run, and a candidate that changes nothing would not tie with Harper.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { type CorrectorFactory, loadRunCorrector, runTrainer } from '../adapters/mlflow-models';
import { withFreshEngineThread } from '../adapters/engine-pool/pool';
import { type EvalSet, evalSetDigest, heldoutEvalSet, jflegEvalSet, runSystemCached, runSystem, type SystemOutputs } from '../core/eval/evaluate';
import { loadJfleg } from '../adapters/jfleg';
import { stableId } from '../core/ids';
import { tokenize } from '../core/text/tokenize';
import { EvaluationSchema } from '../entities';
import type { EvaluationResult, SystemEval } from '../contracts/pipeline';
import type { ActivityDeps } from './deps';
import { readSplit } from './train';

export interface EvaluateInput {
  pipelineId: string;
  modelName: string;
  candidateVersion: string;
  runId: string;
  datasetPath: string;
  jflegLimit: number;
  seed: number;
}

const HARPER_VERSION = 'harper.js@2.10.0';

export function evaluateActivities(deps: ActivityDeps) {
  return {
    async evaluateCandidate(input: EvaluateInput): Promise<EvaluationResult> {
      const { mlflow } = deps;
      const ctx = Context.current();
      const pool = deps.engines();
      const scoring = pool.functions<typeof import('../core/eval/evaluate')>(new URL('../core/eval/evaluate.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const cacheDir = path.join(deps.paths.stateDir, 'cache', 'eval');
      const heldout = heldoutEvalSet(`heldout-${input.pipelineId}`, readSplit(input.datasetPath, 'test'));
      const j = loadJfleg(input.jflegLimit);
      const jfleg = jflegEvalSet(j.src, j.refs);
      const sets = { heldout, jfleg };

      const progress = (system: string, set: string) => (done: number, total: number) => ctx.heartbeat({ phase: `${system} ${set}`, done, total });

      /** A system's outputs on both sets, corrected in its own fresh engine thread (see the top), then scored. */
      async function evaluate(engine: string, version: string | null, outputs: (set: EvalSet, create: CorrectorFactory, onProgress: (done: number, total: number) => void) => Promise<SystemOutputs>): Promise<{ eval: SystemEval; jflegOutputs: string[] }> {
        const label = `${engine}${version ? ` v${version}` : ''}`;
        const [h, jo] = await withFreshEngineThread(deps.config, async (create) => [
          await outputs(heldout, create, progress(label, heldout.name)),
          await outputs(jfleg, create, progress(label, jfleg.name)),
        ]);
        const [hs, js] = await Promise.all([scoring.scoreSystem(heldout, h), scoring.scoreSystem(jfleg, jo)]);
        return { eval: { engine, modelVersion: version, heldout: hs, jfleg: js }, jflegOutputs: jo.outputs };
      }

      // Champion (if any, and not the candidate itself) and Harper: cached per system and eval set.
      const championMv = await mlflow.getByAlias(input.modelName, 'champion');
      const championRunId = championMv?.run_id && championMv.version !== input.candidateVersion ? championMv.run_id : null;
      const [candidateRun, championRun] = await Promise.all([mlflow.getRun(input.runId), championRunId ? mlflow.getRun(championRunId) : null]);

      const [candidate, champion, harper] = await Promise.all([
        // Candidate: always computed fresh from its run's model (rules file or LoRA weights).
        evaluate(runTrainer(candidateRun), input.candidateVersion, async (set, create, onProgress) => {
          const corrector = await loadRunCorrector(mlflow, input.runId, input.candidateVersion, deps.paths.modelsDir, deps.config, create);
          try {
            return await runSystem(corrector, set, 'en', onProgress, ctx.cancellationSignal);
          } finally {
            await corrector.close?.();
          }
        }),
        championMv && championRunId && championRun
          ? evaluate(runTrainer(championRun), championMv.version, (set, create, onProgress) =>
              runSystemCached(cacheDir, `${input.modelName}-v${championMv.version}`, () => loadRunCorrector(mlflow, championRunId, championMv.version, deps.paths.modelsDir, deps.config, create), set, 'en', onProgress, ctx.cancellationSignal),
            )
          : null,
        evaluate('harper', null, (set, create, onProgress) => runSystemCached(cacheDir, HARPER_VERSION, () => create('harper', {}), set, 'en', onProgress, ctx.cancellationSignal)),
      ]);

      const reference = champion ?? harper;
      const bootstrap = pool.functions<typeof import('../core/eval/bootstrap')>(new URL('../core/eval/bootstrap.ts', import.meta.url), { signal: ctx.cancellationSignal });
      const boot = await bootstrap.pairedBootstrap({
        sources: jfleg.sources,
        references: jfleg.references,
        a: candidate.jflegOutputs.map((o) => tokenize(o)),
        b: reference.jflegOutputs.map((o) => tokenize(o)),
        samples: 1000,
        seed: input.seed,
      });

      const result: Omit<EvaluationResult, 'reportPath'> = {
        candidate: candidate.eval,
        champion: champion?.eval ?? null,
        harper: harper.eval,
        comparison: { reference: champion ? 'champion' : 'harper', delta: boot.delta, ci: boot.ci, pBetter: boot.pBetter },
      };

      // Report: JSON + Markdown, locally and as MLflow artifacts; metrics on the candidate's run.
      const dir = path.join(deps.paths.stateDir, 'reports', input.pipelineId.replace(/[^A-Za-z0-9._-]+/g, '_'));
      mkdirSync(dir, { recursive: true });
      const reportPath = path.join(dir, 'evaluation.json');
      const markdown = renderReport(input, result, { heldout: evalSetDigest(heldout), jfleg: evalSetDigest(jfleg) });
      writeFileSync(reportPath, JSON.stringify(result, null, 2));
      writeFileSync(path.join(dir, 'evaluation.md'), markdown);
      const run = await mlflow.getRun(input.runId);
      await mlflow.uploadArtifact(run, 'evaluation/report.json', JSON.stringify(result, null, 2));
      await mlflow.uploadArtifact(run, 'evaluation/report.md', markdown);
      const m: Record<string, number> = {};
      for (const [name, s] of Object.entries({ candidate: result.candidate, champion: result.champion, harper: result.harper })) {
        if (!s) continue;
        for (const [setName, metrics] of Object.entries({ heldout: s.heldout, jfleg: s.jfleg })) {
          m[`${name}_${setName}_gleu`] = metrics.gleu;
          m[`${name}_${setName}_no_change_rate`] = metrics.noChangeRate;
          m[`${name}_${setName}_latency_p50_ms`] = metrics.latencyMsP50;
        }
      }
      m.delta_gleu_vs_reference = boot.delta;
      m.delta_ci_low = boot.ci[0];
      m.delta_ci_high = boot.ci[1];
      m.p_better = boot.pBetter;
      await mlflow.logBatch(input.runId, { metrics: m, tags: { eval_reference: result.comparison.reference, jfleg_digest: evalSetDigest(jfleg) } });

      const repo = (await deps.db()).getRepository(EvaluationSchema);
      for (const [engine, s] of [['candidate', result.candidate], ['champion', result.champion], ['harper', result.harper]] as const) {
        if (!s) continue;
        for (const [setName, set] of Object.entries(sets)) {
          await repo.upsert(
            {
              id: stableId('eval', input.pipelineId, engine, setName),
              pipelineId: input.pipelineId,
              modelVersion: s.modelVersion,
              engine: engine === 'harper' ? 'harper' : `${engine}:${s.engine}`,
              evalSet: set.name.slice(0, 64),
              evalSetDigest: evalSetDigest(set),
              metrics: { ...(setName === 'jfleg' ? s.jfleg : s.heldout) } as unknown as Record<string, number>,
              report: engine === 'candidate' ? { comparison: result.comparison } : {},
            },
            ['id'],
          );
        }
      }
      return { ...result, reportPath };
    },
  };
}

function renderReport(input: EvaluateInput, r: Omit<EvaluationResult, 'reportPath'>, digests: Record<string, string>): string {
  const row = (name: string, s: SystemEval | null) =>
    s ? `| ${name} | ${s.modelVersion ?? '-'} | ${s.jfleg.gleu.toFixed(4)} ± ${(1.96 * s.jfleg.gleuStd).toFixed(4)} | ${s.heldout.gleu.toFixed(4)} | ${(s.heldout.noChangeRate * 100).toFixed(1)}% | ${(s.jfleg.overCorrectionRate * 100).toFixed(1)}% | ${s.jfleg.latencyMsP50.toFixed(2)} / ${s.jfleg.latencyMsP95.toFixed(2)} |` : null;
  return [
    `# Evaluation of ${input.modelName} v${input.candidateVersion}`,
    '',
    `Pipeline \`${input.pipelineId}\`, MLflow run \`${input.runId}\`. Eval sets: JFLEG dev (${digests.jfleg}${input.jflegLimit ? `, first ${input.jflegLimit}` : ''}), held-out split (${digests.heldout}).`,
    '',
    '| system | version | JFLEG dev GLEU | held-out GLEU | no-change on correct | over-correction | latency p50 / p95 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('candidate', r.candidate),
    row('champion', r.champion),
    row('Harper alone', r.harper),
    '',
    `Paired bootstrap (1000 resamples) of JFLEG dev GLEU, candidate − ${r.comparison.reference}: Δ = ${r.comparison.delta.toFixed(4)}, 95% CI [${r.comparison.ci[0].toFixed(4)}, ${r.comparison.ci[1].toFixed(4)}], P(candidate better) = ${r.comparison.pBetter.toFixed(3)}.`,
    '',
    'Explanation quality is not judged in this run (no judge configured): metrics only.',
  ].filter((l) => l !== null).join('\n');
}
