/**
 * Common English misspellings with their one correction, from cspell's list
 * (`@cspell/dict-en-common-misspellings`, CC BY-SA 4.0, ~89,000 entries collected from
 * Wikipedia's lists of common misspellings and editors' corrections): "teached" → "taught",
 * "alot" → "a lot", "familys" → "families". A spell checker ranks suggestions by distance and
 * finds "reached" for "teached"; this list knows which word writers meant.
 *
 * Kept: entries whose misspelling is rare as a word (SUBTLEX-US, built from subtitles, knows some
 * misspellings: "teached" Zipf 2.2) and whose correction is far more common (≥ 2 Zipf, 100×); when
 * the list gives several corrections, the most common one if it is ≥ 1.5 Zipf above the others
 * ("alot" → "a lot", not "allot"), none otherwise ("choosed": chose or chosen). A correction that
 * adds an ending the misspelling lacks ("sacrifise" → "sacrifices") guesses at grammar: left out.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipf } from './frequency';

let table: Map<string, string> | null = null;

/** A misspelling more common than this (≈ 3 per million words) may be a word in its own right. */
const MAX_WRONG_ZIPF = 3;

/** How common a correction is: its rarest word ("a lot" → "lot"). */
function phraseZipf(phrase: string): number {
  return Math.min(...phrase.split(/\s+/).map((w) => zipf(w)));
}

function corrections(): Map<string, string> {
  if (!table) {
    // the package exports only its cspell config; the word list lies beside it
    const dir = path.dirname(createRequire(import.meta.url).resolve('@cspell/dict-en-common-misspellings'));
    const dict = JSON.parse(readFileSync(path.join(dir, 'dict/dict-en.json'), 'utf8')) as { dictionaryDefinitions: { suggestWords: string[] }[] };
    table = new Map();
    for (const line of dict.dictionaryDefinitions[0].suggestWords) {
      const [wrong, list] = line.split('->');
      if (!list || !/^[a-z]+$/.test(wrong) || zipf(wrong) >= MAX_WRONG_ZIPF) continue;
      const ranked = list.split(',').map((w) => w.trim()).filter(Boolean).map((w) => ({ w, z: phraseZipf(w) })).sort((a, b) => b.z - a.z);
      const [best, next] = ranked;
      if (!best || best.z - zipf(wrong) < 2 || (next && best.z - next.z < 1.5)) continue;
      if (/s$/.test(best.w) && !/s$/.test(wrong)) continue;
      table.set(wrong, best.w);
    }
  }
  return table;
}

/** The correction of a common misspelling (lower case), or undefined. */
export function commonMisspelling(word: string): string | undefined {
  return corrections().get(word.toLowerCase());
}
