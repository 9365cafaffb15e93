/**
 * Properties of the GLEU scorer (core/gleu): bounds, and the invariances that follow from its
 * definition (whitespace tokenisation, summed integer statistics, per-sentence reference draws).
 * Equalities are exact: the statistics are integer sums, so no tolerance is needed.
 */
import { describe, expect, it } from 'vitest';
import { gleuCorpus, gleuSentence, sentenceStats } from '../../core/gleu/gleu';
import { fc, spaces } from './settings';

const token = fc.constantFrom('the', 'a', 'cat', 'sat', 'on', 'mat', 'he', 'go', 'goes', 'went', 'to', 'school', '.', ',', "n't", 'do');
const tokens = (min = 0, max = 12) => fc.array(token, { minLength: min, maxLength: max });
const line = (min = 0, max = 12) => tokens(min, max).map((t) => t.join(' '));

/** A corpus of N sentences: sources, R reference sets and hypotheses, all tokenised. */
const corpus = (refs: { min: number; max: number }) =>
  fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.record({
      sources: fc.array(line(), { minLength: n, maxLength: n }),
      references: fc.integer(refs).chain((r) => fc.array(fc.array(line(), { minLength: n, maxLength: n }), { minLength: r, maxLength: r })),
      hypotheses: fc.array(line(), { minLength: n, maxLength: n }),
    }),
  );

const ITER = { iterations: 20 };

describe('GLEU properties', () => {
  it('corpus GLEU is in [0, 1], its std is non-negative and its interval contains it', () => {
    fc.assert(
      fc.property(corpus({ min: 1, max: 4 }), (c) => {
        const r = gleuCorpus({ ...c, ...ITER });
        expect(r.gleu).toBeGreaterThanOrEqual(0);
        expect(r.gleu).toBeLessThanOrEqual(1);
        expect(r.std).toBeGreaterThanOrEqual(0);
        expect(r.ci[0]).toBeLessThanOrEqual(r.gleu);
        expect(r.ci[1]).toBeGreaterThanOrEqual(r.gleu);
      }),
    );
  });

  it('sentence GLEU (smoothed) is in [0, 1]', () => {
    fc.assert(
      fc.property(line(), fc.array(line(), { minLength: 1, maxLength: 4 }), line(), (source, references, hypothesis) => {
        const r = gleuSentence({ source, references, hypothesis });
        expect(r.gleu).toBeGreaterThanOrEqual(0);
        expect(r.gleu).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('n-gram matches never exceed the hypothesis n-grams (numerator ≤ denominator)', () => {
    fc.assert(
      fc.property(line(), line(), line(), (h, s, r) => {
        const st = sentenceStats(h, s, r);
        for (let n = 1; n <= 4; n++) {
          expect(st[2 * n]).toBeGreaterThanOrEqual(0);
          expect(st[2 * n]).toBeLessThanOrEqual(st[2 * n + 1]);
        }
      }),
    );
  });

  it('a hypothesis equal to its single reference scores exactly 1 (when some sentence has 4 tokens)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line(), line(4, 12)), { minLength: 1, maxLength: 6 }), ([...pairs]) => {
        const refs = pairs.map(([, r]) => r);
        const r = gleuCorpus({ sources: pairs.map(([s]) => s), references: [refs], hypotheses: refs, ...ITER });
        expect(r.gleu).toBe(1);
        expect(r.std).toBe(0);
      }),
    );
  });

  it('is invariant to how tokens are separated (any whitespace run, leading or trailing)', () => {
    fc.assert(
      fc.property(corpus({ min: 1, max: 3 }), spaces, spaces, (c, gap, edge) => {
        const respace = (l: string) => edge + l.split(' ').join(gap) + edge;
        const spaced = { sources: c.sources.map(respace), references: c.references.map((ref) => ref.map(respace)), hypotheses: c.hypotheses.map(respace) };
        expect(gleuCorpus({ ...spaced, ...ITER })).toEqual(gleuCorpus({ ...c, ...ITER }));
      }),
    );
  });

  it('with one reference set: invariant to sentence order and to repeating the corpus, and std is 0', () => {
    fc.assert(
      fc.property(corpus({ min: 1, max: 1 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (c, k, rot) => {
        const base = gleuCorpus({ ...c, ...ITER });
        expect(base.std).toBe(0);
        const n = c.sources.length;
        const order = Array.from({ length: n }, (_, i) => (i + rot) % n).reverse();
        const permute = (xs: string[]) => order.map((i) => xs[i]);
        expect(gleuCorpus({ sources: permute(c.sources), references: [permute(c.references[0])], hypotheses: permute(c.hypotheses), ...ITER }).gleu).toBe(base.gleu);
        const repeat = (xs: string[]) => Array.from({ length: k }, () => xs).flat();
        expect(gleuCorpus({ sources: repeat(c.sources), references: [repeat(c.references[0])], hypotheses: repeat(c.hypotheses), ...ITER }).gleu).toBe(base.gleu);
      }),
    );
  });

  it('repeating a reference set changes nothing (the draw picks the same text either way)', () => {
    fc.assert(
      fc.property(corpus({ min: 1, max: 1 }), fc.integer({ min: 2, max: 4 }), (c, copies) => {
        const once = gleuCorpus({ ...c, ...ITER });
        const repeated = gleuCorpus({ ...c, references: Array.from({ length: copies }, () => c.references[0]), ...ITER });
        expect(repeated).toEqual(once);
      }),
    );
  });

  it('mismatched line counts are refused with a message naming both counts', () => {
    fc.assert(
      fc.property(corpus({ min: 1, max: 2 }), line(), (c, extra) => {
        expect(() => gleuCorpus({ ...c, hypotheses: [...c.hypotheses, extra] })).toThrow(
          new RegExp(`hypotheses has ${c.hypotheses.length + 1} lines? but sources has ${c.sources.length} lines?`),
        );
      }),
    );
  });
});
