/**
 * GLEU benchmark: parity with the JFLEG reference scorer (keisks/jfleg eval/gleu.py under
 * Python 3; figures in test/gleu/parity.test.ts) on JFLEG dev, then time of corpus GLEU
 * (500 iterations, 4 references) as the corpus grows: the dev set repeated to each size.
 * Prints Markdown tables for docs/benchmarks.md.
 *   npx tsx bench/gleu.bench.ts [sizes=754,1000,10000,50000] [JFLEG dir]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gleuCorpus } from '../core/gleu/gleu';
import { machine, median } from './machine';
import { JFLEG_DIR } from '../config/paths';

const sizes = (process.argv[2] ?? '754,1000,10000,50000').split(',').map(Number);
const dir = process.argv[3] ?? JFLEG_DIR;
const read = (file: string) => {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};
const src = read('dev.src');
const refs = [0, 1, 2, 3].map((k) => read(`dev.ref${k}`));

// What the reference scorer prints (full precision) for the two standard JFLEG dev cases.
const REFERENCE = [
  { name: 'hyp = dev.src, refs 0–3', hyp: src, refs, gleu: 0.3819651093965722, std: 0.009596614540806209 },
  { name: 'hyp = dev.ref0, refs 1–3', hyp: refs[0], refs: refs.slice(1), gleu: 0.5575927490403988, std: 0.0068895608986218 },
];

console.log(`# GLEU  (${machine()})\n`);
console.log('| case | reference GLEU | ours | \\|Δ\\| | reference std | ours | \\|Δ\\| |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const c of REFERENCE) {
  const r = gleuCorpus({ sources: src, references: c.refs, hypotheses: c.hyp });
  const d = (a: number, b: number) => Math.abs(a - b).toExponential(1);
  console.log(`| ${c.name} | ${c.gleu} | ${r.gleu} | ${d(r.gleu, c.gleu)} | ${c.std} | ${r.std} | ${d(r.std, c.std)} |`);
}

console.log('\n| sentences | time (median of 3) | sentences/s | GLEU (hyp = src) |');
console.log('| --- | --- | --- | --- |');
for (const size of sizes) {
  const repeat = (xs: string[]) => Array.from({ length: size }, (_, i) => xs[i % xs.length]);
  const sources = repeat(src);
  const references = refs.map(repeat);
  let gleu = 0;
  const ms = median(
    [0, 1, 2].map(() => {
      const t0 = performance.now();
      gleu = gleuCorpus({ sources, references, hypotheses: sources }).gleu;
      return performance.now() - t0;
    }),
  );
  console.log(`| ${size.toLocaleString('en')} | ${(ms / 1000).toFixed(3)} s | ${Math.round((size / ms) * 1000).toLocaleString('en')} | ${gleu.toFixed(6)} |`);
}
