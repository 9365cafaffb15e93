/**
 * Re-ranking of spelling suggestions.
 *
 * Harper's first spelling suggestion is often a rare word ('comming' → 'cumming',
 * 'wich' → 'wish', 'writting' → 'writhing'). We rank its suggestions by
 *   weighted edit distance (doubled letters, vowel swaps, transpositions and contraction
 *   apostrophes are cheap; an apostrophe before s is dear) + beta · word surprisal,
 * where surprisal is estimated from the cl100k BPE vocabulary of `gpt-tokenizer` (already a
 * dependency): BPE merges are learnt in frequency order, so common words are one low-rank token
 * and rare words several high-rank pieces. Σ log2(rank + 2) over the pieces of " word" is a
 * reference-free stand-in for −log frequency.
 */
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';

export interface SpellingRankOptions {
  doubled: number;
  vowel: number;
  transposition: number;
  /** Adding or removing an apostrophe before 's'. */
  apostrophe: number;
  /** Adding or removing any other apostrophe (contractions). */
  contraction: number;
  /** Weight of the word surprisal (bits) against the edit distance; 0 = distance only. */
  beta: number;
}

export const DEFAULT_SPELLING_RANK: SpellingRankOptions = { doubled: 0.5, vowel: 0.6, transposition: 0.7, apostrophe: 1.5, contraction: 0.3, beta: 0.2 };

const VOWELS = new Set('aeiouy');

/** Weighted Damerau (optimal string alignment) distance, case-insensitive. */
export function weightedDistance(x: string, y: string, o: SpellingRankOptions = DEFAULT_SPELLING_RANK): number {
  const a = x.toLowerCase();
  const b = y.toLowerCase();
  const n = a.length;
  const m = b.length;
  // an apostrophe is cheap in a contraction (dont → don't, im → i'm) but dear before s,
  // where it would make a plural a possessive (problems → problem's)
  const indel = (s: string, j: number) =>
    s[j] === "'" ? (s[j + 1] === 's' ? o.apostrophe : o.contraction) : s[j - 1] === s[j] || s[j + 1] === s[j] ? o.doubled : 1;
  const d: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = 1; i <= n; i++) d[i][0] = d[i - 1][0] + indel(a, i - 1);
  for (let j = 1; j <= m; j++) d[0][j] = d[0][j - 1] + indel(b, j - 1);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const p = a[i - 1];
      const r = b[j - 1];
      const sub =
        p === r ? 0 : p === "'" ? indel(a, i - 1) : r === "'" ? indel(b, j - 1) : VOWELS.has(p) && VOWELS.has(r) ? o.vowel : 1;
      let v = Math.min(d[i - 1][j] + indel(a, i - 1), d[i][j - 1] + indel(b, j - 1), d[i - 1][j - 1] + sub);
      if (i > 1 && j > 1 && p === b[j - 2] && a[i - 2] === r) v = Math.min(v, d[i - 2][j - 2] + o.transposition);
      d[i][j] = v;
    }
  }
  return d[n][m];
}

const surprisalCache = new Map<string, number>();

/** Approximate surprisal of a word in bits (lower = more common). */
export function surprisal(word: string): number {
  const key = word.toLowerCase();
  let v = surprisalCache.get(key);
  if (v === undefined) {
    // a contraction costs what its stem costs: BPE splits "isn't" but it is a common word
    // (not 's, which is as often a possessive)
    const stem = key.replace(/(n't|'re|'ve|'ll|'d|'m)$/, '') || key;
    v = encode(' ' + stem).reduce((s, t) => s + Math.log2(t + 2), 0);
    if (surprisalCache.size > 50_000) surprisalCache.clear();
    surprisalCache.set(key, v);
  }
  return v;
}

/** What replacing `word` by `candidate` costs: weighted edit distance + beta · surprisal. */
export function spellingCost(word: string, candidate: string, o: SpellingRankOptions = DEFAULT_SPELLING_RANK): number {
  return weightedDistance(word, candidate, o) + o.beta * surprisal(candidate);
}

/** Index of the best candidate for replacing `word` (ties keep the engine's order). */
export function bestSpelling(word: string, candidates: readonly string[], o: SpellingRankOptions = DEFAULT_SPELLING_RANK): number {
  let best = 0;
  let bestCost = Infinity;
  candidates.forEach((c, i) => {
    const cost = spellingCost(word, c, o) + i * 1e-6;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  });
  return best;
}
