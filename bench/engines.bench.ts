/**
 * The correction engines on JFLEG dev (754 sentences, 4 references) and on the learner-sentence
 * suite: GLEU (as the JFLEG scorer computes it) with its 95% interval, milliseconds per sentence
 * (p50 / p99, one sentence at a time, LanguageTool's cache cold), and the suite's verdicts.
 *   harper                Harper alone
 *   languagetool          LanguageTool alone, first suggestions, ≤ 3 passes
 *   languagetool→harper   the naive chain: LanguageTool's output corrected by Harper
 *   ensemble              the default offline engine
 * Needs a LanguageTool server: LANGUAGETOOL_URL, or one is started (stack part) for the run.
 * Prints Markdown for docs/benchmarks.md.   npx tsx bench/engines.bench.ts [jfleg limit]
 */
import { loadConfig } from '../config';
import { createCorrector } from '../core/engines';
import { registerOfflineEngines } from '../adapters/offline-engines';
import type { Corrector } from '../core/engines/types';
import { loadJfleg } from '../adapters/jfleg';
import { LEARNER_HOLDOUT_PATH, loadLearnerSuite, runLearnerSuite } from '../core/eval/learner';
import { gleuCorpus } from '../core/gleu/gleu';
import { detokenize, tokenize } from '../core/text/tokenize';
import { languagetoolServer } from './languagetool';
import { machine, quantile } from './machine';

const limit = Number(process.argv[2] ?? 0);

/** A corrector whose output `second` corrects again (the naive chain). */
function chain(first: Corrector, second: Corrector): Corrector {
  return {
    name: `${first.name}→${second.name}`,
    async correct(text, opts) {
      return second.correct((await first.correct(text, opts)).corrected, opts);
    },
    async close() {
      await first.close?.();
      await second.close?.();
    },
  };
}

const lt = await languagetoolServer();
try {
  const j = loadJfleg(limit);
  registerOfflineEngines(loadConfig());
  const make = (name: string) => createCorrector(name, { languagetoolUrl: lt.url });
  const systems: [string, () => Promise<Corrector>][] = [
    ['harper', () => make('harper')],
    ['languagetool', () => make('languagetool')],
    ['languagetool→harper', async () => chain(await make('languagetool'), await make('harper'))],
    ['ensemble', () => make('ensemble')],
  ];
  console.log(`# Correction engines  (${machine()})\n`);
  console.log(`JFLEG dev${limit ? ` (first ${limit})` : ''}: ${j.src.length} sentences; learner suite: core/eval/learner-suite.json; second set: core/eval/learner-holdout.json.\n`);
  console.log('| engine | JFLEG dev GLEU | 95% CI | p50 ms | p99 ms | suite fixed | partial | missed | wrong | controls changed | second set fixed / wrong / controls changed |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, create] of systems) {
    const corrector = await create();
    try {
      const hyps: string[] = [];
      const ms: number[] = [];
      for (const s of j.src) {
        const t0 = performance.now();
        hyps.push(tokenize((await corrector.correct(detokenize(s))).corrected));
        ms.push(performance.now() - t0);
      }
      const g = gleuCorpus({ sources: j.src, references: j.refs, hypotheses: hyps });
      const suite = await runLearnerSuite(async (t) => (await corrector.correct(t)).corrected);
      const second = await runLearnerSuite(async (t) => (await corrector.correct(t)).corrected, loadLearnerSuite(LEARNER_HOLDOUT_PATH));
      console.log(
        `| ${name} | ${g.gleu.toFixed(4)} | ${g.ci[0].toFixed(4)}–${g.ci[1].toFixed(4)} | ${quantile(ms, 0.5).toFixed(1)} | ${quantile(ms, 0.99).toFixed(1)} | ${suite.fixed} / ${suite.errors} | ${suite.partial} | ${suite.missed} | ${suite.wrong} | ${suite.controlsChanged} / ${suite.controls} | ${second.fixed} / ${second.errors}, ${second.wrong - second.controlsChanged}, ${second.controlsChanged} / ${second.controls} |`,
      );
    } finally {
      await corrector.close?.();
    }
  }
} finally {
  await lt.stop();
}
