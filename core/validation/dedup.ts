/**
 * Check `near_duplicate`: a sample whose awkward sentence embeds within `threshold` cosine
 * similarity of an earlier sample's — one already in the vector index (earlier batches, earlier
 * runs) or earlier in this batch — is a near duplicate of it.
 *
 * Rules that make re-running a batch idempotent:
 *  - a sample is never a duplicate of itself (same id);
 *  - of this batch's samples, only those earlier in the batch and accepted in this run count, so a
 *    later sample already indexed by a previous run cannot knock out an earlier one;
 *  - accepted samples are upserted under their id (the index does not grow on a re-run), and this
 *    batch's rejected samples are deleted from it (the index holds exactly the accepted ones).
 *
 * Work is linear: the batch goes through in chunks of `batchSize`; each chunk is embedded in one
 * call and queried in one request, compared by brute force only within itself (its samples are
 * not in the index yet), and its accepted samples upserted in one request before the next chunk
 * is queried. The next chunk is embedded while the index answers; index requests themselves are
 * sequential (see below). On a re-run, samples already stored with the same vector are not sent
 * again (an upsert of an existing id costs Chroma several times an insert).
 */
import type { Embedder } from '../embedding/types';
import type { Neighbour, VectorIndex, VectorMetadata } from '../embedding/vector-index';
import type { ValidationConfig } from './config';
import type { RejectionReason } from './types';

export interface DedupItem {
  id: string;
  /** The text compared (the redacted awkward sentence). */
  text: string;
  metadata?: VectorMetadata;
}

export interface DedupOptions {
  embedder: Embedder;
  index: VectorIndex;
  config: ValidationConfig['nearDuplicate'];
  /** Ids of this batch's samples in batch order (all of them, whatever their status). */
  batchOrder: Map<string, number>;
  /** Ids of this batch rejected by earlier checks, to delete from the index. */
  rejectedIds: string[];
  onChunk?: (done: number, total: number) => void;
  timings: { embed: number; index: number };
}

export interface DedupFinding {
  duplicateOf: string;
  similarity: number;
}

/** Similarity at or above which a stored vector under the sample's own id is the same vector. */
const SAME_VECTOR = 1 - 1e-5;

/** Runs the check over `items` (the samples that passed every other check), in order. */
export async function findNearDuplicates(items: DedupItem[], opts: DedupOptions): Promise<Map<string, DedupFinding>> {
  const { embedder, index, config, batchOrder, timings } = opts;
  const { threshold, batchSize } = config;
  const found = new Map<string, DedupFinding>();
  const acceptedSoFar = new Set<string>();

  const embedChunk = (start: number): Promise<number[][]> => {
    const texts = items.slice(start, start + batchSize).map((x) => x.text);
    if (!texts.length) return Promise.resolve([]);
    const t0 = performance.now();
    const p = embedder.embed(texts); // a synchronous embedder does all its work here
    timings.embed += performance.now() - t0;
    return p.then((vectors) => {
      if (vectors.length !== texts.length) throw new Error(`embedder ${embedder.name} returned ${vectors.length} vectors for ${texts.length} texts`);
      for (const v of vectors) if (v.length !== embedder.dimensions) throw new Error(`embedder ${embedder.name} returned a ${v.length}-dimensional vector, expected ${embedder.dimensions}`);
      return vectors;
    });
  };
  const timed = async <T>(what: 'embed' | 'index', f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[what] += performance.now() - t0;
    }
  };


  let next = embedChunk(0);
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    const vectors = await timed('embed', () => next);
    next = embedChunk(start + batchSize); // overlaps the index requests below
    next.catch(() => {}); // surfaced when awaited

    // Does index neighbour `n` count for the sample `id` at batch position `pos`? Not itself; not
    // one of this chunk (compared by brute force below, even when a re-run finds it stored); of
    // the rest of this batch, only earlier samples accepted in this run.
    const inChunk = new Set(chunk.map((x) => x.id));
    const counts = (n: Neighbour, id: string, pos: number) => {
      if (n.id === id || inChunk.has(n.id)) return false;
      const p = batchOrder.get(n.id);
      return p === undefined || (p < pos && acceptedSoFar.has(n.id));
    };

    let neighbours = await timed('index', () => index.nearest(vectors, config.neighbours));
    // Where every neighbour returned was skipped yet still above the threshold, a counting one
    // may rank lower: ask again for more.
    const retry = chunk
      .map((_, j) => j)
      .filter((j) => {
        const ns = neighbours[j];
        return ns.length === config.neighbours && ns[ns.length - 1].similarity >= threshold && !ns.some((n) => counts(n, chunk[j].id, batchOrder.get(chunk[j].id)!));
      });
    if (retry.length) {
      const more = await timed('index', () => index.nearest(retry.map((j) => vectors[j]), Math.min(100, config.neighbours * 10)));
      neighbours = neighbours.slice();
      retry.forEach((j, r) => (neighbours[j] = more[r]));
    }

    const accepted: number[] = [];
    const alreadyStored = new Set<number>();
    chunk.forEach((item, j) => {
      const pos = batchOrder.get(item.id)!;
      let best: DedupFinding | undefined;
      for (const n of neighbours[j]) {
        if (n.similarity < threshold) break;
        if (counts(n, item.id, pos)) {
          best = { duplicateOf: n.id, similarity: n.similarity };
          break;
        }
      }
      const consider = (id: string, vector: number[]) => {
        if (id === item.id) return;
        const sim = dotProduct(vectors[j], vector);
        if (sim >= threshold && (!best || sim > best.similarity)) best = { duplicateOf: id, similarity: sim };
      };
      for (const a of accepted) consider(chunk[a].id, vectors[a]);
      if (best) found.set(item.id, { duplicateOf: best.duplicateOf, similarity: Math.round(best.similarity * 1e4) / 1e4 });
      else {
        accepted.push(j);
        acceptedSoFar.add(item.id);
        // A re-run: the same vector is stored under this id already; no need to send it again.
        if (neighbours[j].some((n) => n.id === item.id && n.similarity >= SAME_VECTOR)) alreadyStored.add(j);
      }
    });

    // Sequential on purpose: a query racing an upsert can fail on Chroma's local server ("Error
    // creating hnsw segment reader: Nothing found on disk", chroma-core/chroma#4212).
    const toStore = accepted.filter((j) => !alreadyStored.has(j));
    if (toStore.length) {
      const meta = toStore.map((j) => chunk[j].metadata);
      await timed('index', () =>
        index.upsert(
          toStore.map((j) => chunk[j].id),
          toStore.map((j) => vectors[j]),
          meta.every((m) => m) ? (meta as VectorMetadata[]) : undefined,
        ),
      );
    }
    opts.onChunk?.(Math.min(start + batchSize, items.length), items.length);
  }
  await next;

  // This batch's rejected samples may be in the index from an earlier run (with other settings).
  const rejected = [...new Set([...opts.rejectedIds, ...found.keys()])].filter((id) => !acceptedSoFar.has(id));
  if (rejected.length) await timed('index', () => index.delete(rejected));
  return found;
}

/** Dot product, unrolled four ways (about twice as fast as the plain loop in V8). */
function dotProduct(a: number[], b: number[]): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

export function nearDuplicateReason(f: DedupFinding): RejectionReason {
  return {
    code: 'near_duplicate',
    field: 'awkward',
    duplicateOf: f.duplicateOf,
    similarity: f.similarity,
    detail: `awkward is a near duplicate of sample ${f.duplicateOf} (cosine similarity ${f.similarity})`,
  };
}
