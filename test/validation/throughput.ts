/**
 * Throughput of validateBatch on synthetic samples: cheap checks only, then with near-duplicate
 * detection against an in-memory index (small N) and a real Chroma server.
 *   npx tsx test/validation/throughput.ts [N=10000]
 */
import { endpoints } from '../../config';
import { LocalHashEmbedder } from '../../core/embedding';
import { ChromaVectorIndex } from '../../adapters/chroma';
import { InMemoryVectorIndex, type VectorIndex } from '../../core/embedding/vector-index';
import { validateBatch } from '../../core/validation';
import { startTestStack } from '../support/stack';
import { syntheticSamples } from './synthetic';

const n = Number(process.argv[2] ?? 10_000);
const samples = syntheticSamples(n);
const embedder = new LocalHashEmbedder();
const line = (label: string, r: Awaited<ReturnType<typeof validateBatch>>['report']) =>
  console.log(
    `${label.padEnd(34)} ${String(r.total).padStart(7)} samples ${String(Math.round(r.durationMs)).padStart(7)} ms  ${Math.round((r.total / r.durationMs) * 1000)
      .toString()
      .padStart(6)}/s  accepted ${r.accepted}  checks ${Math.round(r.timingsMs.checks)} embed ${Math.round(r.timingsMs.embed)} index ${Math.round(r.timingsMs.index)} ms  ${JSON.stringify(Object.fromEntries(Object.entries(r.byReason).filter(([, v]) => v)))}`,
  );

line('cheap checks only', (await validateBatch(samples, { config: { nearDuplicate: { enabled: false } } })).report);
if (n <= 20_000 && !process.env.SKIP_MEMORY) line('+ near_duplicate, in-memory index', (await validateBatch(samples, { embedder, vectorIndex: new InMemoryVectorIndex(embedder.dimensions) })).report);

/** Wraps an index to time each kind of call. */
function timed(index: VectorIndex) {
  const t: Record<string, { calls: number; ms: number }> = {};
  const wrap =
    <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      const t0 = performance.now();
      try {
        return await f(...a);
      } finally {
        t[name] ??= { calls: 0, ms: 0 };
        t[name].calls++;
        t[name].ms += performance.now() - t0;
      }
    };
  const w: VectorIndex = {
    nearest: wrap('nearest', index.nearest.bind(index)),
    upsert: wrap('upsert', index.upsert.bind(index)),
    delete: wrap('delete', index.delete.bind(index)),
    count: wrap('count', index.count.bind(index)),
  };
  return { index: w, report: () => Object.entries(t).map(([k, v]) => `${k}: ${v.calls} calls ${Math.round(v.ms)} ms`).join(', ') };
}

const ts = await startTestStack(['chroma']);
try {
  const index = await ChromaVectorIndex.open({ url: endpoints(ts.config).chromaUrl, collection: 'throughput', embedder });
  for (const label of ['+ near_duplicate, Chroma (empty)', '+ near_duplicate, Chroma (re-run)']) {
    const t = timed(index);
    line(label, (await validateBatch(samples, { embedder, vectorIndex: t.index })).report);
    console.log(`  ${t.report()}`);
  }
  console.log(`collection size ${await index.count()}`);
} finally {
  await ts.stop();
}
