/**
 * ChromaVectorIndex: a `VectorIndex` on one Chroma collection (Chroma server 1.x, chromadb 3 JS
 * client), in cosine space.
 *
 * Embeddings are always computed by our `Embedder` and passed explicitly. The collection is
 * created with `embeddingFunction: null`, so the client never tries to load
 * `@chroma-core/default-embed` (not installed) and Chroma stores no embedding function for it.
 * The collection's metadata records the embedder's name and dimensions; opening it with a
 * different embedder fails instead of mixing incomparable vectors.
 *
 * Requests are split into batches of `batchSize` vectors (default 256).
 */
import { ChromaClient, type Collection } from 'chromadb';
import type { Neighbour, VectorIndex, VectorMetadata } from '../core/embedding/vector-index';

export interface HnswSettings {
  /** Candidate list size while building the graph (Chroma default 100). */
  ef_construction?: number;
  /** Candidate list size while searching (Chroma default 100); higher = more exact, slower. */
  ef_search?: number;
  /** Graph degree (Chroma default 16). */
  max_neighbors?: number;
}

export interface ChromaVectorIndexOptions {
  /** Chroma server URL, e.g. endpoints(config).chromaUrl. */
  url: string;
  /** Collection name, e.g. collectionNameFor('correctly-corrector'). */
  collection: string;
  /** The embedder whose vectors the collection holds. */
  embedder: { name: string; dimensions: number };
  hnsw?: HnswSettings;
  batchSize?: number;
  /** Tenant and database (Chroma defaults). */
  tenant?: string;
  database?: string;
}

export class ChromaVectorIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChromaVectorIndexError';
  }
}

/**
 * A valid Chroma collection name for a dataset lineage (3–512 characters of [A-Za-z0-9._-],
 * starting and ending with a letter or digit): `correctly_<lineage>` with other characters
 * replaced by `_`.
 */
export function collectionNameFor(lineage: string): string {
  const cleaned = `correctly_${lineage}`.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.{2,}/g, '.').slice(0, 512);
  return cleaned.replace(/[^A-Za-z0-9]+$/, '') || 'correctly_samples';
}

export function chromaClient(url: string, tenant?: string, database?: string): ChromaClient {
  const u = new URL(url);
  const ssl = u.protocol === 'https:';
  return new ChromaClient({ host: u.hostname, port: Number(u.port || (ssl ? 443 : 80)), ssl, tenant, database });
}

export class ChromaVectorIndex implements VectorIndex {
  private constructor(
    readonly client: ChromaClient,
    readonly collection: Collection,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {}

  /** Opens the collection, creating it (cosine space, HNSW) if needed. */
  static async open(opts: ChromaVectorIndexOptions): Promise<ChromaVectorIndex> {
    const client = chromaClient(opts.url, opts.tenant, opts.database);
    const collection = await client.getOrCreateCollection({
      name: opts.collection,
      embeddingFunction: null,
      configuration: {
        hnsw: {
          space: 'cosine',
          ef_construction: opts.hnsw?.ef_construction ?? 100,
          ef_search: opts.hnsw?.ef_search ?? 100,
          max_neighbors: opts.hnsw?.max_neighbors ?? 16,
        },
      },
      metadata: { embedder: opts.embedder.name, dimensions: opts.embedder.dimensions, created_by: 'correctly' },
    });
    const meta = collection.metadata ?? {};
    if (meta.embedder !== opts.embedder.name || meta.dimensions !== opts.embedder.dimensions) {
      throw new ChromaVectorIndexError(
        `Chroma collection "${opts.collection}" holds vectors of embedder ${String(meta.embedder)} (${String(meta.dimensions)} dims), not ${opts.embedder.name} (${opts.embedder.dimensions} dims): use another collection name or the same embedder.`,
      );
    }
    const space = collection.configuration?.hnsw?.space ?? collection.configuration?.spann?.space;
    if (space && space !== 'cosine') throw new ChromaVectorIndexError(`Chroma collection "${opts.collection}" uses ${space} space, not cosine.`);
    return new ChromaVectorIndex(client, collection, opts.embedder.dimensions, opts.batchSize ?? 256);
  }

  /** Deletes a collection if it exists (tests, resets). */
  static async drop(url: string, name: string): Promise<void> {
    await chromaClient(url)
      .deleteCollection({ name })
      .catch((e: Error) => {
        if (!/not (be )?found|does not exist/i.test(e.message)) throw e;
      });
  }

  async nearest(embeddings: number[][], k: number): Promise<Neighbour[][]> {
    const out: Neighbour[][] = [];
    for (let i = 0; i < embeddings.length; i += this.batchSize) {
      const queryEmbeddings = embeddings.slice(i, i + this.batchSize);
      const res = await retryTransient(() => this.collection.query({ queryEmbeddings, nResults: k, include: ['distances'] }));
      res.ids.forEach((ids, q) => {
        const dist = res.distances[q] ?? [];
        // Cosine space: distance = 1 - cosine similarity.
        out.push(ids.map((id, j) => ({ id, similarity: 1 - (dist[j] ?? 1) })));
      });
    }
    return out;
  }

  async upsert(ids: string[], embeddings: number[][], metadatas?: VectorMetadata[]): Promise<void> {
    if (ids.length !== embeddings.length) throw new ChromaVectorIndexError('upsert: ids and embeddings differ in length');
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const batch = { ids: ids.slice(i, i + this.batchSize), embeddings: embeddings.slice(i, i + this.batchSize), metadatas: metadatas?.slice(i, i + this.batchSize) };
      await retryTransient(() => this.collection.upsert(batch));
    }
  }

  async delete(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const batch = ids.slice(i, i + this.batchSize);
      await retryTransient(() => this.collection.delete({ ids: batch }));
    }
  }

  async count(): Promise<number> {
    return this.collection.count();
  }
}

/**
 * Chroma's local server can fail a request that races its own background index persistence
 * ("Error creating hnsw segment reader: Nothing found on disk", chroma-core/chroma#4212); the
 * same request succeeds a moment later. Every call here is idempotent, so retry those, briefly.
 */
const TRANSIENT = /hnsw segment reader|Nothing found on disk/i;
async function retryTransient<T>(f: () => Promise<T>, delaysMs = [100, 400, 1500]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (attempt >= delaysMs.length || !TRANSIENT.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, delaysMs[attempt]));
    }
  }
}
