/**
 * The edit scorer (issue "A model that learns"): what training costs and what it buys.
 * Training pairs come from the noise teacher over the Text Repository (the demo's offline data),
 * 85% train / 15% valid as the train stage splits them. For each size (pairs, default
 * 1000,10000,50000; SIZES=… to change):
 * - rows: the ensemble's candidate edits on the pairs' sources, labelled against the targets
 *   (core/engines/scorer-data.ts); measured cumulatively on one pass, so the 1k figure is the
 *   time of the first 1k pairs of the 10k run;
 * - fit: trainer/scorer.py (LightGBM) wall time, model file size, trees, features;
 * - JFLEG dev GLEU (evaluation only: nothing is tuned on it) of the base ensemble (prior scorer)
 *   and of the ensemble with the trained scorer, and the correction latency of both.
 *   npx tsx bench/scorer.bench.ts        (needs LANGUAGETOOL_URL or starts a LanguageTool server)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endpoints, loadConfig } from '../config';
import { PROJECT_ROOT } from '../config/paths';
import { loadJfleg } from '../adapters/jfleg';
import { LanguageToolClient } from '../adapters/languagetool';
import { EnsembleCorrector } from '../core/engines/ensemble';
import { BASE_FEATURES } from '../core/engines/features';
import { loadScorer } from '../core/engines/scorer';
import { type LabelledPair, pairRows, type ScorerRow } from '../core/engines/scorer-data';
import { gleuCorpus } from '../core/gleu/gleu';
import { NoiseTeacher } from '../core/teacher/noise';
import { detokenize, tokenize } from '../core/text/tokenize';
import { loadSeed } from '../entities/seed/data';
import { languagetoolServer } from './languagetool';
import { machine, quantile } from './machine';

const sizes = (process.env.SIZES ?? '1000,10000,50000').split(',').map(Number).sort((a, b) => a - b);
const largest = sizes[sizes.length - 1];

const { url, stop } = await languagetoolServer();
const work = mkdtempSync(path.join(os.tmpdir(), 'correctly-bench-scorer-'));
const lt = new LanguageToolClient(url);

// The pairs: the noise teacher over the Text Repository, one seed per pair.
const seed = loadSeed();
const teacher = new NoiseTeacher();
const pairs: LabelledPair[] = [];
for (let i = 0; pairs.length < largest; i++) {
  const text = seed.texts[i % seed.texts.length];
  const example = seed.examples[i % seed.examples.length];
  const r = teacher.generateSync({ text: text.text, form: text.form, example: { ...example, reason: example.reasonEn }, reasonLanguage: 'en', seed: i * 7919 + 1 });
  if (r) pairs.push({ id: `p${i}`, source: r.awkward, target: r.corrected });
}

// Rows of the largest set in one pass, with the time at each size.
const base = new EnsembleCorrector({ languagetool: lt });
await base.init();
const rows: ScorerRow[][] = [];
const rowsSeconds = new Map<number, number>();
const t0 = performance.now();
for (let i = 0; i < largest; i++) {
  rows.push(await pairRows(base, [pairs[i]]));
  if (sizes.includes(i + 1)) {
    rowsSeconds.set(i + 1, (performance.now() - t0) / 1000);
    console.error(`rows of ${i + 1} pairs: ${rowsSeconds.get(i + 1)!.toFixed(0)} s`);
  }
}

/** Corrected JFLEG dev with a corrector, its GLEU and per-sentence latency. */
const jfleg = loadJfleg();
async function onJfleg(e: EnsembleCorrector) {
  const hyps: string[] = [];
  const ms: number[] = [];
  for (const s of jfleg.src) {
    const t = performance.now();
    const out = (await e.correct(detokenize(s))).corrected;
    ms.push(performance.now() - t);
    hyps.push(tokenize(out));
  }
  return { gleu: gleuCorpus({ sources: jfleg.src, references: jfleg.refs, hypotheses: hyps }).gleu, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}
// Twice: the first pass warms LanguageTool (JIT, its result cache) like the trained runs after it
// find it; the second is the one compared.
await onJfleg(base);
const baseJfleg = await onJfleg(base);
await base.close();

const python = path.join(endpoints(loadConfig()).venvBin, 'python'); // the project venv, as the train stage uses
const results: string[] = [];
for (const n of sizes) {
  const split = Math.floor(n * 0.85);
  const files = { train: path.join(work, `train-${n}.jsonl`), valid: path.join(work, `valid-${n}.jsonl`), base: path.join(work, 'base.json'), out: path.join(work, `scorer-${n}.json`) };
  const lines = (from: number, to: number) => rows.slice(from, to).flat().map((r) => JSON.stringify(r)).join('\n');
  writeFileSync(files.train, lines(0, split));
  writeFileSync(files.valid, lines(split, n));
  writeFileSync(files.base, JSON.stringify(BASE_FEATURES));
  const f0 = performance.now();
  execFileSync(python, ['-m', 'trainer.scorer', '--train', files.train, '--valid', files.valid, '--base-features', files.base, '--out', files.out], { encoding: 'utf8', cwd: PROJECT_ROOT });
  const fitSeconds = (performance.now() - f0) / 1000;
  const model = JSON.parse(readFileSync(files.out, 'utf8'));
  const trained = new EnsembleCorrector({ languagetool: lt, scorer: loadScorer(files.out) });
  await trained.init();
  const j = await onJfleg(trained);
  await trained.close();
  const trainRows = rows.slice(0, split).flat().length;
  results.push(
    `| ${n.toLocaleString('en')} | ${trainRows.toLocaleString('en')} | ${rowsSeconds.get(n)!.toFixed(0)} s | ${fitSeconds.toFixed(1)} s | ${(statSync(files.out).size / 1024).toFixed(0)} KiB | ${model.booster.tree_info.length} / ${model.features.length} | ${model.threshold.toFixed(2)} | ${j.gleu.toFixed(4)} (${j.gleu - baseJfleg.gleu >= 0 ? '+' : ''}${(j.gleu - baseJfleg.gleu).toFixed(4)}) | ${j.p50.toFixed(1)} / ${j.p95.toFixed(1)} ms |`,
  );
}
await stop();
rmSync(work, { recursive: true, force: true });

console.log(`# Edit scorer: training cost and effect  (${machine()})\n`);
console.log(`Pairs from the noise teacher over the Text Repository (85% train, 15% valid). JFLEG dev (${jfleg.src.length} sentences) is evaluation only.\n`);
console.log(`Base ensemble (prior scorer): JFLEG dev GLEU ${baseJfleg.gleu.toFixed(4)}, latency p50/p95 ${baseJfleg.p50.toFixed(1)} / ${baseJfleg.p95.toFixed(1)} ms per sentence.\n`);
console.log('| pairs | training rows | rows (ensemble options) | fit (LightGBM) | model file | trees / features | threshold | JFLEG dev GLEU with it (Δ vs base) | latency p50 / p95 |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) console.log(r);
