/**
 * The vector-index port: nearest-neighbour search over stored, id-keyed embeddings.
 * Implementations: `ChromaVectorIndex` (a Chroma collection, what the pipeline uses) and
 * `InMemoryVectorIndex` (exact brute force, for tests and small offline runs).
 */
import { dot } from './types';

export interface Neighbour {
  id: string;
  /** Cosine similarity to the query (1 = same direction). */
  similarity: number;
}

export type VectorMetadata = Record<string, string | number | boolean>;

/**
 * Requirements: upserts are idempotent by id, and read-your-writes: a `nearest` issued after an
 * `upsert` has resolved sees its vectors (callers do not overlap the two).
 */
export interface VectorIndex {
  /** For each query embedding, up to `k` stored neighbours, most similar first. */
  nearest(embeddings: number[][], k: number): Promise<Neighbour[][]>;
  /** Inserts or replaces vectors by id (idempotent). */
  upsert(ids: string[], embeddings: number[][], metadatas?: VectorMetadata[]): Promise<void>;
  /** Removes vectors by id; unknown ids are ignored. */
  delete(ids: string[]): Promise<void>;
  /** Number of stored vectors. */
  count(): Promise<number>;
}

/**
 * Exact nearest neighbours by brute force over a Float32Array matrix: O(n) per query, so meant for
 * tests and small sets (a few thousand vectors), not for the pipeline's datasets.
 */
export class InMemoryVectorIndex implements VectorIndex {
  private data: Float32Array;
  private ids: string[] = [];
  private rowOf = new Map<string, number>();
  readonly metadata = new Map<string, VectorMetadata>();

  constructor(readonly dimensions: number) {
    this.data = new Float32Array(dimensions * 64);
  }

  async nearest(embeddings: number[][], k: number): Promise<Neighbour[][]> {
    const d = this.dimensions;
    return embeddings.map((q) => {
      this.checkDims(q);
      const best: Neighbour[] = [];
      for (let r = 0; r < this.ids.length; r++) {
        const row = this.data.subarray(r * d, r * d + d);
        const sim = dot(q, row);
        if (best.length < k || sim > best[best.length - 1].similarity) {
          best.push({ id: this.ids[r], similarity: sim });
          best.sort((a, b) => b.similarity - a.similarity);
          if (best.length > k) best.pop();
        }
      }
      return best;
    });
  }

  async upsert(ids: string[], embeddings: number[][], metadatas?: VectorMetadata[]): Promise<void> {
    if (ids.length !== embeddings.length) throw new Error('upsert: ids and embeddings differ in length');
    const d = this.dimensions;
    ids.forEach((id, i) => {
      this.checkDims(embeddings[i]);
      let r = this.rowOf.get(id);
      if (r === undefined) {
        r = this.ids.length;
        if ((r + 1) * d > this.data.length) {
          const grown = new Float32Array(this.data.length * 2);
          grown.set(this.data);
          this.data = grown;
        }
        this.ids.push(id);
        this.rowOf.set(id, r);
      }
      this.data.set(embeddings[i], r * d);
      if (metadatas?.[i]) this.metadata.set(id, metadatas[i]);
    });
  }

  async delete(ids: string[]): Promise<void> {
    const d = this.dimensions;
    for (const id of ids) {
      const r = this.rowOf.get(id);
      if (r === undefined) continue;
      // Move the last row into the hole.
      const last = this.ids.length - 1;
      if (r !== last) {
        this.data.copyWithin(r * d, last * d, last * d + d);
        this.ids[r] = this.ids[last];
        this.rowOf.set(this.ids[r], r);
      }
      this.ids.pop();
      this.rowOf.delete(id);
      this.metadata.delete(id);
    }
  }

  async count(): Promise<number> {
    return this.ids.length;
  }

  private checkDims(v: number[]) {
    if (v.length !== this.dimensions) throw new Error(`vector has ${v.length} dimensions, index has ${this.dimensions}`);
  }
}
