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
 *   ROW_WORKERS=2 SIZES=1000,10000,50000 npx tsx bench/scorer.bench.ts   (rows in 2 processes)
 * THRESHOLDS=0.3,0.4,0.5,0.6,0.7,0.8 adds, per size, the ensemble's GLEU on the validation pairs at
 * each of those thresholds (the criterion the train stage keeps a scorer by) and JFLEG dev GLEU at
 * the threshold that criterion would choose (evaluated there only: nothing is chosen on JFLEG).
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endpoints, loadConfig } from '../config';
import { PROJECT_ROOT } from '../config/paths';
import { loadJfleg } from '../adapters/jfleg';
import { LanguageToolClient } from '../adapters/languagetool';
import { ensembleGleu } from '../activities/cpu';
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

// Rows of the largest set, with the time at each size. ROW_WORKERS=N (default 1) splits the pairs
// over N processes (pair i to process i mod N), each with its own ensemble, sharing the LanguageTool
// server: the time at a size is then when the slowest process had done its share of it.
const rowWorkers = Math.max(1, Number(process.env.ROW_WORKERS ?? 1));
const shard = process.env.SCORER_BENCH_SHARD?.split('/').map(Number);
const rows: ScorerRow[][] = [];
const rowsSeconds = new Map<number, number>();
const t0 = performance.now();
async function rowsOf(indices: number[], onDone: (done: number) => void): Promise<ScorerRow[][]> {
  const base = new EnsembleCorrector({ languagetool: lt });
  await base.init();
  const out: ScorerRow[][] = [];
  for (const i of indices) {
    out.push(await pairRows(base, [pairs[i]]));
    onDone(out.length);
  }
  await base.close();
  return out;
}
if (shard) {
  // a row process: its share of the pairs, as JSON lines, and its time at each size's share
  const [k, n] = shard;
  const mine = pairs.map((_, i) => i).filter((i) => i % n === k);
  const times: Record<number, number> = {};
  const got = await rowsOf(mine, (done) => {
    for (const size of sizes) if (done === Math.ceil((size - k) / n)) times[size] = (performance.now() - t0) / 1000;
  });
  writeFileSync(process.env.SCORER_BENCH_OUT!, JSON.stringify({ rows: got, times }));
  await stop();
  process.exit(0);
} else if (rowWorkers > 1) {
  const outs = Array.from({ length: rowWorkers }, (_, k) => path.join(work, `rows-${k}.json`));
  await Promise.all(
    outs.map(
      (out, k) =>
        new Promise<void>((resolve, reject) =>
          execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env: { ...process.env, LANGUAGETOOL_URL: url, SCORER_BENCH_SHARD: `${k}/${rowWorkers}`, SCORER_BENCH_OUT: out }, maxBuffer: 1 << 26 }, (e) => (e ? reject(e) : resolve())),
        ),
    ),
  );
  const parts = outs.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { rows: ScorerRow[][]; times: Record<number, number> });
  for (let i = 0; i < largest; i++) rows.push(parts[i % rowWorkers].rows[Math.floor(i / rowWorkers)]);
  for (const size of sizes) rowsSeconds.set(size, Math.max(...parts.map((p) => p.times[size] ?? 0)));
  console.error(`rows of ${largest} pairs in ${rowWorkers} processes: ${rowsSeconds.get(largest)!.toFixed(0)} s`);
} else {
  const all = await rowsOf(
    pairs.map((_, i) => i),
    (done) => {
      if (!sizes.includes(done)) return;
      rowsSeconds.set(done, (performance.now() - t0) / 1000);
      console.error(`rows of ${done} pairs: ${rowsSeconds.get(done)!.toFixed(0)} s`);
    },
  );
  for (const r of all) rows.push(r); // not push(...all): 50,000 arguments
}
const base = new EnsembleCorrector({ languagetool: lt });
await base.init();

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
const thresholdRows: string[] = [];
const thresholds = process.env.THRESHOLDS?.split(',').map(Number);

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
  if (thresholds) {
    const valid = pairs.slice(split, n);
    // the train stage's own measure (activities/cpu.ts), with the prior and at each threshold
    const priorValid = await ensembleGleu(valid, { languagetoolUrl: url, patterns: null, scorer: null });
    const byThreshold: { t: number; g: number; file: string }[] = [];
    for (const t of thresholds) {
      const scorer = JSON.stringify({ ...model, threshold: t });
      const file = path.join(work, `scorer-${n}-t${t}.json`);
      writeFileSync(file, scorer);
      byThreshold.push({ t, g: await ensembleGleu(valid, { languagetoolUrl: url, patterns: null, scorer }), file });
    }
    const best = byThreshold.reduce((a, b) => (b.g > a.g ? b : a));
    const e = new EnsembleCorrector({ languagetool: lt, scorer: loadScorer(best.file) });
    await e.init();
    const atBest = await onJfleg(e);
    await e.close();
    thresholdRows.push(
      `| ${n.toLocaleString('en')} | ${model.threshold.toFixed(2)} | ${priorValid.toFixed(4)} | ${byThreshold.map((b) => `${b.t}: ${b.g.toFixed(4)}`).join(', ')} | ${best.t} | ${atBest.gleu.toFixed(4)} (${atBest.gleu - baseJfleg.gleu >= 0 ? '+' : ''}${(atBest.gleu - baseJfleg.gleu).toFixed(4)}) |`,
    );
  }
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
if (thresholdRows.length) {
  console.log('\nThreshold chosen by the validation GLEU of the ensemble instead of F0.5:\n');
  console.log('| pairs | F0.5 threshold | prior: validation GLEU | validation GLEU by threshold | chosen | JFLEG dev GLEU there (Δ vs base) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of thresholdRows) console.log(r);
}
