/**
 * GLEU statistics and scores on small hand-worked inputs, edge cases, input validation, and
 * properties checked with fast-check. Expected decimals marked "numpy" were produced by the
 * JFLEG scorer's logic run under Python 3.11 with numpy 2.4 / scipy (np.mean, np.std,
 * scipy.stats.norm.interval); they agree to ~1e-15 (V8's Math.log/exp may differ by one ulp).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GLEU_STATS,
  GleuInputError,
  Z_95,
  gleuCorpus,
  gleuFromStats,
  gleuIterations,
  gleuSentence,
  ngramCounts,
  pairwiseSum,
  sentenceStats,
  summarize,
  tokenize,
} from '../../core/gleu/gleu';

/** Sums sentenceStats over a one-reference corpus: what the corpus score must be built from. */
function summedStats(hyps: string[], srcs: string[], refs: string[]): number[] {
  const total = new Array<number>(GLEU_STATS).fill(0);
  hyps.forEach((h, i) => sentenceStats(h, srcs[i], refs[i]).forEach((v, s) => (total[s] += v)));
  return total;
}

describe('tokenize and n-grams', () => {
  it('splits on any run of whitespace like Python str.split()', () => {
    expect(tokenize('  He  go\tto school .\r')).toEqual(['He', 'go', 'to', 'school', '.']);
    expect(tokenize('a\u00a0b\u3000c\x1fd')).toEqual(['a', 'b', 'c', 'd']);
    expect(tokenize('a\ufeffb')).toEqual(['a\ufeffb']); // not whitespace to Python
    expect(tokenize('   ')).toEqual([]);
  });

  it('counts repeated n-grams', () => {
    expect(Object.fromEntries(ngramCounts(['the', 'the', 'the', 'cat'], 2))).toEqual({ 'the the': 2, 'the cat': 1 });
    expect(ngramCounts(['a', 'b'], 3).size).toBe(0);
  });
});

describe('sentence statistics', () => {
  it('clips counts and subtracts source n-grams the reference does not have', () => {
    // H = the the the the cat, S = the the the cat, R = the cat the
    // n=1: |H∩R| = min(4,2) + 1 = 3; S∖R is empty            → 3 / 5
    // n=2: |H∩R| = "the cat" = 1; S∖R = {"the the": 2}, H has 3 → max(0, 1 − 2) = 0 / 4
    // n=3: 0 − (min(2,1) + 1) → 0 / 3;  n=4: 0 − 1 → 0 / 2
    expect(sentenceStats('the the the the cat', 'the the the cat', 'the cat the')).toEqual([5, 3, 3, 5, 0, 4, 0, 3, 0, 2]);
  });

  it('scores a partial correction by hand', () => {
    // S = a b c d e f g h, R = a b x d e f g h, H = a b y d e f g h: precisions 7/8, 5/7, 3/6, 2/5, c = r
    const stats = sentenceStats('a b y d e f g h', 'a b c d e f g h', 'a b x d e f g h');
    expect(stats).toEqual([8, 8, 7, 8, 5, 7, 3, 6, 2, 5]);
    expect(gleuFromStats(stats)).toBeCloseTo(0.125 ** 0.25, 15); // (7·5·3·2 / 8·7·6·5)^¼
    // the uncorrected source keeps "c" (penalized) and scores 0 at n = 3
    expect(sentenceStats('a b c d e f g h', 'a b c d e f g h', 'a b x d e f g h')).toEqual([8, 8, 6, 8, 3, 7, 0, 6, 0, 5]);
  });

  it('applies the brevity penalty exp(1 − r/c) when the hypothesis is shorter', () => {
    const stats = sentenceStats('a b d e f g h', 'a b c d e f g h', 'a b x d e f g h');
    expect(stats).toEqual([7, 8, 7, 7, 5, 6, 3, 5, 2, 4]);
    expect(gleuFromStats(stats)).toBeCloseTo(0.25 ** 0.25 * Math.exp(1 - 8 / 7), 15);
    expect(gleuFromStats(stats)).toBeCloseTo(0.6129752413741056, 15); // Python 3
  });

  it('an empty hypothesis line contributes only the reference length', () => {
    expect(sentenceStats('', 'a b c', 'a b d e')).toEqual([0, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('gleuFromStats', () => {
  it('is 0 when any statistic is 0 and smoothing replaces zeros by 1', () => {
    const stats = [3, 3, 3, 3, 2, 2, 1, 1, 0, 0]; // a 3-token hypothesis has no 4-grams
    expect(gleuFromStats(stats)).toBe(0);
    expect(gleuFromStats(stats, true)).toBe(1);
    expect(gleuFromStats([0, 5, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(0);
  });
});

describe('gleuCorpus', () => {
  const srcs = ['a b c d e f g h', 'the the the cat sat', 'i has a apple', 'he go to school yesterday .'];
  const refs = [
    ['a b x d e f g h', 'the cat sat', 'i have an apple', 'he went to school yesterday .'],
    ['a b c d e f g h i', 'the cat sat down', 'i have a apple', 'yesterday he went to school .'],
  ];
  const hyps = ['a b x d e f g h', 'the the cat sat', 'i have an apple', 'he goes to school yesterday .'];

  it('matches the Python scorer on a small two-reference corpus', () => {
    const r = gleuCorpus({ sources: srcs, references: refs, hypotheses: hyps });
    // numpy: mean 0.550657718034105, std 0.1340125322443988, ci (0.2879979813580707, 0.8133174547101394)
    expect(r.gleu).toBeCloseTo(0.550657718034105, 13);
    expect(r.std).toBeCloseTo(0.1340125322443988, 13);
    expect(r.ci[0]).toBeCloseTo(0.2879979813580707, 13);
    expect(r.ci[1]).toBeCloseTo(0.8133174547101394, 13);
    // numpy, --iter 7: mean 0.6005557945637713, std 0.12822954067079007
    const seven = gleuCorpus({ sources: srcs, references: refs, hypotheses: hyps, iterations: 7 });
    expect(seven.gleu).toBeCloseTo(0.6005557945637713, 13);
    expect(seven.std).toBeCloseTo(0.12822954067079007, 13);
  });

  it('scores exactly 1, std 0, for a hypothesis identical to the single reference', () => {
    const r = gleuCorpus({ sources: srcs, references: [refs[0]], hypotheses: refs[0] });
    expect(r).toEqual({ gleu: 1, std: 0, ci: [1, 1] });
  });

  it('equals GLEU of the summed statistics with one reference, empty hypothesis lines included', () => {
    const withEmpty = ['a b x d e f g h', '', 'i have an apple', ''];
    const r = gleuCorpus({ sources: srcs, references: [refs[0]], hypotheses: withEmpty, iterations: 3 });
    const expected = gleuFromStats(summedStats(withEmpty, srcs, refs[0]));
    expect(expected).toBeGreaterThan(0);
    // every iteration draws reference 0; the mean of equal scores may be off by an ulp, as in numpy
    expect(r.gleu).toBeCloseTo(expected, 15);
    expect(r.std).toBeLessThan(1e-15);
  });

  it('is 0 when every hypothesis is empty or no 4-gram can match', () => {
    expect(gleuCorpus({ sources: srcs, references: refs, hypotheses: ['', '', '', ''] }).gleu).toBe(0);
    expect(gleuCorpus({ sources: ['a b c'], references: [['a b c']], hypotheses: ['a b c'] }).gleu).toBe(0); // den4 = 0
    expect(gleuCorpus({ sources: ['p q r s'], references: [['w x y z']], hypotheses: ['p q r s'] }).gleu).toBe(0);
  });

  it('with identical references gives the one-reference score and std 0', () => {
    const one = gleuCorpus({ sources: srcs, references: [refs[1]], hypotheses: hyps });
    const three = gleuCorpus({ sources: srcs, references: [refs[1], refs[1], refs[1]], hypotheses: hyps });
    expect(three).toEqual(one);
    expect(one.std).toBeLessThan(1e-15);
  });

  it('reports the 95% normal interval mean ∓ 1.96·std (scipy norm.ppf(0.975))', () => {
    const r = gleuCorpus({ sources: srcs, references: refs, hypotheses: hyps });
    expect(Z_95).toBeCloseTo(1.96, 2);
    expect(r.ci[0]).toBeCloseTo(r.gleu - Z_95 * r.std, 15);
    expect(r.ci[1]).toBeCloseTo(r.gleu + Z_95 * r.std, 15);
  });

  it('rejects bad input with one line naming every mismatch', () => {
    const call = (input: Parameters<typeof gleuCorpus>[0]) => () => gleuCorpus(input);
    expect(call({ sources: srcs, references: [refs[0], refs[1].slice(1)], hypotheses: hyps })).toThrow(
      'references[1] has 3 lines but sources has 4 lines',
    );
    expect(
      call({
        sources: srcs,
        references: [refs[0].slice(2)],
        hypotheses: hyps.slice(3),
        labels: { sources: 'dev.src', references: ['dev.ref0'], hypotheses: 'out.txt' },
      }),
    ).toThrow('out.txt has 1 line but dev.src has 4 lines; dev.ref0 has 2 lines but dev.src has 4 lines');
    expect(call({ sources: srcs, references: [], hypotheses: hyps })).toThrow('at least one reference set is required');
    expect(call({ sources: [], references: [[]], hypotheses: [] })).toThrow('sources is empty');
    expect(call({ sources: srcs, references: refs, hypotheses: hyps, iterations: 0 })).toThrow(GleuInputError);
    expect(call({ sources: srcs, references: refs, hypotheses: hyps, iterations: 2.5 })).toThrow('whole number');
  });
});

describe('gleuSentence (the scorer --sent mode)', () => {
  it('averages the smoothed score over each reference', () => {
    const one = gleuSentence({ source: 'a b c d e f g h', references: ['a b x d e f g h'], hypothesis: 'a b y d e f g h' });
    expect(one.gleu).toBeCloseTo(0.125 ** 0.25, 15);
    expect(one.std).toBe(0);
    // against "the cat the" the hypothesis has zero statistics; smoothing turns them into 1s
    const two = gleuSentence({ source: 'the the the cat', references: ['the cat the', 'the the the the cat'], hypothesis: 'the the the the cat' });
    const smoothed = gleuFromStats([5, 3, 3, 5, 0, 4, 0, 3, 0, 2], true);
    expect(two.gleu).toBeCloseTo((smoothed + 1) / 2, 15);
    expect(two.std).toBeCloseTo((1 - smoothed) / 2, 15);
    expect(() => gleuSentence({ source: 'a', references: [], hypothesis: 'a' })).toThrow('at least one reference');
  });
});

describe('numpy-compatible summaries', () => {
  it('sums pairwise like numpy', () => {
    // python -c 'import numpy as np; print(repr(np.sum(np.full(1000, 0.1))))' → 100.00000000000001
    expect(pairwiseSum(new Array(1000).fill(0.1))).toBe(100.00000000000001);
    let naive = 0;
    for (let i = 0; i < 1000; i++) naive += 0.1;
    expect(naive).not.toBe(100.00000000000001); // so the test above really checks the order of additions
    for (const n of [0, 1, 7, 8, 9, 127, 128, 129, 500, 1001]) {
      expect(pairwiseSum(Array.from({ length: n }, (_, i) => i))).toBe(n === 0 ? 0 : (n * (n - 1)) / 2);
    }
  });

  it('uses the population standard deviation', () => {
    expect(summarize([1, 2, 3, 4])).toMatchObject({ gleu: 2.5, std: Math.sqrt(1.25) });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const word = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'the', 'cat', '.');
const sentence = fc.array(word, { minLength: 0, maxLength: 10 }).map((ws) => ws.join(' '));

/** n sentences with R references each. */
const corpus = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), R: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, R }) =>
    fc.record({
      sources: fc.array(sentence, { minLength: n, maxLength: n }),
      hypotheses: fc.array(sentence, { minLength: n, maxLength: n }),
      references: fc.array(fc.array(sentence, { minLength: n, maxLength: n }), { minLength: R, maxLength: R }),
    }),
  );

describe('properties', () => {
  it('every iteration score and the mean lie in [0, 1], inside their interval', () => {
    fc.assert(
      fc.property(corpus, (c) => {
        const scores = gleuIterations({ ...c, iterations: 25 });
        for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
        const r = gleuCorpus({ ...c, iterations: 25 });
        expect(r.gleu).toBeGreaterThanOrEqual(0);
        expect(r.gleu).toBeLessThanOrEqual(1 + 1e-15);
        expect(r.std).toBeGreaterThanOrEqual(0);
        expect(r.ci[0]).toBeLessThanOrEqual(r.gleu);
        expect(r.ci[1]).toBeGreaterThanOrEqual(r.gleu);
      }),
      { numRuns: 200 },
    );
  });

  it('with one reference, the reference itself scores 1 and beats a source that differs from it', () => {
    // Each source is its reference with a word the references never use ("ERR") put in or swapped in,
    // so the source is penalized for keeping it; references have at least 4 tokens so 4-grams exist.
    const refSentence = fc.array(word, { minLength: 4, maxLength: 10 });
    const pair = refSentence.chain((ref) =>
      fc.record({ at: fc.nat({ max: ref.length - 1 }), replace: fc.boolean() }).map(({ at, replace }) => {
        const src: string[] = [...ref];
        src.splice(at, replace ? 1 : 0, 'ERR');
        return { ref: ref.join(' '), src: src.join(' ') };
      }),
    );
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 6 }), (pairs) => {
        const sources = pairs.map((p) => p.src);
        const references = [pairs.map((p) => p.ref)];
        const asRef = gleuCorpus({ sources, references, hypotheses: references[0], iterations: 5 });
        const asSrc = gleuCorpus({ sources, references, hypotheses: sources, iterations: 5 });
        expect(asRef.gleu).toBe(1);
        expect(asSrc.gleu).toBeLessThan(asRef.gleu);
      }),
      { numRuns: 200 },
    );
  });

  it('with one reference per sentence, the order of the sentences does not matter', () => {
    const oneRef = corpus.map((c) => ({ ...c, references: [c.references[0]] }));
    fc.assert(
      fc.property(oneRef, fc.infiniteStream(fc.nat()), (c, seeds) => {
        const order = c.sources.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = seeds.next().value % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        const pick = (xs: string[]) => order.map((i) => xs[i]);
        const shuffled = { sources: pick(c.sources), hypotheses: pick(c.hypotheses), references: [pick(c.references[0])] };
        const a = gleuCorpus({ ...c, iterations: 10 });
        const b = gleuCorpus({ ...shuffled, iterations: 10 });
        expect(b).toEqual(a);
        expect(a.std).toBeLessThan(1e-15);
        expect(a.gleu).toBeCloseTo(gleuFromStats(summedStats(c.hypotheses, c.sources, c.references[0])), 15);
      }),
      { numRuns: 200 },
    );
  });

  it('only whitespace tokens count: respacing a corpus leaves the score unchanged', () => {
    const respace = (s: string) => `  ${s.split(' ').join(' \t ')}\r`;
    fc.assert(
      fc.property(corpus, (c) => {
        const spaced = {
          sources: c.sources.map(respace),
          hypotheses: c.hypotheses.map(respace),
          references: c.references.map((ref) => ref.map(respace)),
        };
        expect(gleuCorpus({ ...spaced, iterations: 10 })).toEqual(gleuCorpus({ ...c, iterations: 10 }));
      }),
      { numRuns: 100 },
    );
  });
});
