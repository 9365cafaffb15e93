/**
 * The near-duplicate check against a real Chroma server (a private one per test file).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { endpoints } from '../../config';
import { LocalHashEmbedder } from '../../core/embedding';
import { ChromaVectorIndex, chromaClient, collectionNameFor } from '../../adapters/chroma';
import { type SampleResult, validateBatch } from '../../core/validation';
import { startTestStack, type TestStack } from '../support/stack';
import { sample, variedSamples } from './fixtures';

const embedder = new LocalHashEmbedder();

const strip = (results: SampleResult[]) => results.map((r) => ({ id: r.id, status: r.status, codes: r.reasons.map((x) => [x.code, x.duplicateOf]) }));

describe('near_duplicate with Chroma', () => {
  let ts: TestStack;
  let url: string;
  beforeAll(async () => {
    ts = await startTestStack(['chroma']);
    url = endpoints(ts.config).chromaUrl;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const open = (collection: string) => ChromaVectorIndex.open({ url, collection, embedder });

  it('creates a cosine HNSW collection with no embedding function, recording the embedder', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const index = await open('correctly_probe');
      expect(index.collection.configuration.hnsw?.space).toBe('cosine');
      expect(index.collection.metadata).toMatchObject({ embedder: embedder.name, dimensions: 384 });
      // The collection as the server stores it: no embedding function (so the client never needs
      // @chroma-core/default-embed, which is not installed), and the client did not warn about it.
      const raw = await chromaClient(url).getCollection({ name: 'correctly_probe' });
      const config = raw.configuration as unknown as Record<string, unknown>;
      expect(config.embedding_function ?? config.embeddingFunction ?? null).toBeNull();
      expect(JSON.stringify(config)).not.toMatch(/default|onnx|minilm/i);
      expect(raw.embeddingFunction).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    // Opening it with another embedder is refused.
    await expect(ChromaVectorIndex.open({ url, collection: 'correctly_probe', embedder: new LocalHashEmbedder({ dimensions: 256 }) })).rejects.toThrow(/holds vectors of embedder/);
  });

  it('flags a paraphrase with one word changed, not an unrelated sentence', async () => {
    const index = await open(collectionNameFor('flags-test'));
    const first = await validateBatch(
      [
        sample({ id: 'orig', awkward: 'She have been living in this city since five years ago.', corrected: 'She has been living in this city for five years.', errorTypes: ['tense', 'preposition'] }),
      ],
      { embedder, vectorIndex: index },
    );
    expect(first.report.accepted).toBe(1);
    const { results, report } = await validateBatch(
      [
        sample({ id: 'para', awkward: 'She have been living in this town since five years ago.', corrected: 'She has been living in this town for five years.', errorTypes: ['tense', 'preposition'] }),
        sample({ id: 'other', awkward: 'Yesterday I go to the market and buy many apple for my mother.', corrected: 'Yesterday I went to the market and bought many apples for my mother.', errorTypes: ['tense', 'plural'] }),
      ],
      { embedder, vectorIndex: index },
    );
    expect(results[0].reasons).toEqual([expect.objectContaining({ code: 'near_duplicate', duplicateOf: 'orig' })]);
    expect(results[0].reasons[0].similarity).toBeGreaterThanOrEqual(0.95);
    expect(results[1].status).toBe('accepted');
    expect(report.byReason.near_duplicate).toBe(1);
    expect(await index.count()).toBe(2);
  });

  it('re-running the same batch: same results, nobody a duplicate of itself, the collection does not grow', async () => {
    const index = await open(collectionNameFor('rerun-test'));
    const base = variedSamples(300, 'r');
    // Exact and near copies under new ids, spread over several 256-sample chunks.
    const batch = [...base, ...base.slice(0, 40).map((s) => ({ ...s, id: `${s.id}_copy`, awkward: s.awkward.replace(/\.$/, '!') }))];
    const first = await validateBatch(batch, { embedder, vectorIndex: index });
    const count = await index.count();
    expect(count).toBe(first.report.accepted);
    // A copy of an accepted sample is its near duplicate (a copy of a rejected one may not be:
    // near-duplication is not transitive).
    const acceptedIds = new Set(first.results.filter((r) => r.status === 'accepted').map((r) => r.id));
    const copiesOfAccepted = first.results.slice(300).filter((r) => acceptedIds.has(r.id.replace(/_copy$/, '')));
    expect(copiesOfAccepted.length).toBeGreaterThan(10);
    for (const r of copiesOfAccepted) expect(r.reasons).toEqual([expect.objectContaining({ code: 'near_duplicate', duplicateOf: r.id.replace(/_copy$/, '') })]);

    const second = await validateBatch(batch, { embedder, vectorIndex: index });
    expect(strip(second.results)).toEqual(strip(first.results));
    for (const r of second.results) for (const x of r.reasons) expect(x.duplicateOf).not.toBe(r.id);
    expect(await index.count()).toBe(count);
    expect(second.report).toMatchObject({ total: first.report.total, accepted: first.report.accepted, byReason: first.report.byReason });
  });

  it('keeps only accepted samples: a sample rejected on a re-run leaves the collection', async () => {
    const index = await open(collectionNameFor('shrink-test'));
    const s = sample({ id: 'will_change' });
    await validateBatch([s], { embedder, vectorIndex: index });
    expect(await index.count()).toBe(1);
    await validateBatch([{ ...s, corrected: s.awkward }], { embedder, vectorIndex: index });
    expect(await index.count()).toBe(0);
  });

  it('collection names are valid for any lineage', () => {
    expect(collectionNameFor('correctly-corrector')).toBe('correctly_correctly-corrector');
    expect(collectionNameFor('a b/c..d!')).toBe('correctly_a_b_c.d');
  });
});
