import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, dot, LocalHashEmbedder } from '../../core/embedding';
import { InMemoryVectorIndex } from '../../core/embedding/vector-index';

const e = new LocalHashEmbedder();
const sim = (a: string, b: string) => dot(e.embedOne(a), e.embedOne(b));

describe('LocalHashEmbedder', () => {
  it('is deterministic, 384-dimensional and L2-normalised', async () => {
    const [a, b] = await e.embed(['He go to school yesterday.', 'He go to school yesterday.']);
    expect(a).toHaveLength(384);
    expect(e.dimensions).toBe(384);
    expect(a).toEqual(b);
    expect(Math.hypot(...a)).toBeCloseTo(1, 10);
    expect(e.name).toBe('local-hash-v1:d384:c3-5:w2:b2');
    // Same vector from a fresh instance: nothing random, nothing learned.
    expect((await new LocalHashEmbedder().embed(['He go to school yesterday.']))[0]).toEqual(a);
  });

  it('puts a one-word change above 0.95 and unrelated sentences far below', () => {
    expect(sim('She have been living in this city since five years ago.', 'She have been living in this town since five years ago.')).toBeGreaterThanOrEqual(0.95);
    expect(sim('I am agree with your opinion.', 'i am agree with your opinion')).toBeGreaterThanOrEqual(0.95);
    expect(sim('She have been living in this city since five years ago.', 'Yesterday I go to the market and buy many apple for my mother.')).toBeLessThan(0.8);
    expect(sim('I like cats very much.', 'The meeting was postponed because of the rain.')).toBeLessThan(0.8);
  });

  it('bias 0 gives raw feature similarity; the bias maps s to (s + b)/(1 + b)', () => {
    // The calibrated embedder hashes features into 383 buckets and keeps the last one for the constant.
    const raw = new LocalHashEmbedder({ bias: 0, dimensions: 383 });
    const a = 'He go to school every days.';
    const b = 'She go to work every morning.';
    const s0 = dot(raw.embedOne(a), raw.embedOne(b));
    expect(sim(a, b)).toBeCloseTo((s0 + 2) / 3, 10);
    expect(cosineSimilarity(raw.embedOne(a), raw.embedOne(a))).toBeCloseTo(1, 10);
  });

  it('handles empty and non-Latin text', () => {
    const v = e.embedOne('');
    expect(Math.hypot(...v)).toBeCloseTo(1);
    expect(Math.hypot(...e.embedOne('과거 시제입니다'))).toBeCloseTo(1);
  });

  it('similarity is symmetric and at most 1 (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        const s = sim(a, b);
        expect(s).toBeCloseTo(sim(b, a), 12);
        expect(s).toBeLessThanOrEqual(1 + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('InMemoryVectorIndex', () => {
  it('finds nearest neighbours, upserts by id and deletes', async () => {
    const idx = new InMemoryVectorIndex(3);
    await idx.upsert(['a', 'b', 'c'], [[1, 0, 0], [0, 1, 0], [0.8, 0.6, 0]]);
    expect(await idx.count()).toBe(3);
    const [n] = await idx.nearest([[1, 0, 0]], 2);
    expect(n.map((x) => x.id)).toEqual(['a', 'c']);
    expect(n[1].similarity).toBeCloseTo(0.8, 6);
    await idx.upsert(['a'], [[0, 0, 1]]);
    expect(await idx.count()).toBe(3);
    expect((await idx.nearest([[0, 0, 1]], 1))[0][0].id).toBe('a');
    await idx.delete(['a', 'zzz']);
    expect(await idx.count()).toBe(2);
    expect((await idx.nearest([[1, 0, 0]], 5))[0].map((x) => x.id)).toEqual(['c', 'b']);
    await expect(idx.upsert(['x'], [[1, 0]])).rejects.toThrow(/dimensions/);
  });
});
