/**
 * Times corpus GLEU (500 iterations) on 10,000 sentences: the JFLEG dev set repeated.
 * Run: npx tsx bench/gleu.bench.ts [sentences] [JFLEG dir]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gleuCorpus } from '../core/gleu/gleu';

const size = Number(process.argv[2] ?? 10_000);
const dir =
  process.argv[3] ?? process.env.JFLEG_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/jfleg');
const read = (file: string) => {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};
const repeat = (xs: string[]) => Array.from({ length: size }, (_, i) => xs[i % xs.length]);

const sources = repeat(read('dev.src'));
const references = [0, 1, 2, 3].map((k) => repeat(read(`dev.ref${k}`)));

for (const [name, hypotheses, refs] of [
  ['hyp = source, refs 0-3', sources, references],
  ['hyp = ref0, refs 1-3', references[0], references.slice(1)],
] as const) {
  const started = performance.now();
  const r = gleuCorpus({ sources, references: [...refs], hypotheses });
  const ms = performance.now() - started;
  console.log(`${size} sentences, 500 iterations, ${name}: ${ms.toFixed(0)} ms  (gleu ${r.gleu.toFixed(6)}, std ${r.std.toFixed(6)})`);
}
