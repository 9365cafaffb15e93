/**
 * Validation throughput (samples/s) as the batch grows, on synthetic candidate triples
 * (test/validation/synthetic.ts: ~3% PII, ~2% duplicates, ~1% unchanged, ~1% profanity):
 *   - checks 1–7 only (schema, PII, unchanged, length, too-different, profanity, tokens);
 *   - all checks on: 1–7 plus near-duplicates through a real Chroma server (fresh collection per
 *     size, the local hash embedder), as the validate stage runs them.
 * Database writes of the activity are not included. Prints a Markdown table.
 *   npx tsx bench/validation.bench.ts [sizes=1000,10000,100000]
 */
import { endpoints } from '../config';
import { LocalHashEmbedder } from '../core/embedding';
import { ChromaVectorIndex } from '../adapters/chroma';
import { validateBatch } from '../core/validation';
import { startTestStack } from '../test/support/stack';
import { syntheticSamples } from '../test/validation/synthetic';
import { machine } from './machine';

const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const embedder = new LocalHashEmbedder();
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`# Validation throughput  (${machine()})\n`);
console.log('| samples | checks 1–7: time | samples/s | all checks (Chroma): time | samples/s | of which embed / index | accepted |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const ts = await startTestStack(['chroma']);
try {
  for (const n of sizes) {
    const samples = syntheticSamples(n, n);
    const cheap = (await validateBatch(samples, { config: { nearDuplicate: { enabled: false } } })).report;
    const index = await ChromaVectorIndex.open({ url: endpoints(ts.config).chromaUrl, collection: `bench-${n}`, embedder });
    const all = (await validateBatch(samples, { embedder, vectorIndex: index })).report;
    console.log(
      `| ${n.toLocaleString('en')} | ${s(cheap.durationMs)} | ${rate(n, cheap.durationMs)} | ${s(all.durationMs)} | ${rate(n, all.durationMs)} | ${s(all.timingsMs.embed)} / ${s(all.timingsMs.index)} | ${all.accepted.toLocaleString('en')} (${((all.accepted / n) * 100).toFixed(1)}%) |`,
    );
  }
} finally {
  await ts.stop();
}
