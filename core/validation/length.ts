/**
 * Checks `length_ratio` and `too_different`: a correction fixes a sentence, it does not replace it.
 *   length_ratio   len(awkward) / len(corrected) (characters, whitespace normalised) outside the
 *                  configured bounds.
 *   too_different  the correction is a different sentence: its character-level edit distance
 *                  (Levenshtein / the longer length) is above `maxEditRatio` AND the two share
 *                  few words (Dice overlap of lower-cased word multisets below `minWordOverlap`).
 *                  The second condition keeps legitimate corrections that move words around
 *                  ("I very like it." → "I like it very much.": edit ratio 0.70, overlap 0.89);
 *                  the first keeps those that change most words a little ("Informations are
 *                  importants." → "Information is important.": overlap 0, edit ratio 0.18).
 * The edit distance, O(n·m), is computed only for pairs whose word overlap is already low.
 */
import type { ValidationConfig } from './config';
import { editDistance, normalizeWhitespace, wordTokens } from './text';
import type { CandidateSample, RejectionReason } from './types';

export function lengthRatio(awkward: string, corrected: string): number {
  const a = normalizeWhitespace(awkward).length;
  const c = normalizeWhitespace(corrected).length;
  return c === 0 ? Infinity : a / c;
}

export function checkLengthRatio(s: Pick<CandidateSample, 'awkward' | 'corrected'>, cfg: ValidationConfig['lengthRatio']): RejectionReason[] {
  const r = lengthRatio(s.awkward, s.corrected);
  if (r >= cfg.min && r <= cfg.max) return [];
  return [{ code: 'length_ratio', field: 'corrected', detail: `len(awkward)/len(corrected) = ${round(r)} outside [${cfg.min}, ${cfg.max}]` }];
}

/** Dice coefficient of the two texts' lower-cased word multisets (punctuation ignored); 1 when both have no words. */
export function wordOverlap(a: string, b: string): number {
  const wa = wordTokens(a).filter(isWord);
  const wb = wordTokens(b).filter(isWord);
  if (!wa.length && !wb.length) return 1;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of wb) {
    const n = counts.get(w);
    if (n) {
      common++;
      counts.set(w, n - 1);
    }
  }
  return (2 * common) / (wa.length + wb.length);
}

const isWord = (t: string) => /[\p{L}\p{N}]/u.test(t);

/** Character-level Levenshtein distance (lower-cased, whitespace normalised) / the longer length. */
export function editRatio(a: string, b: string): number {
  const x = normalizeWhitespace(a).toLowerCase();
  const y = normalizeWhitespace(b).toLowerCase();
  return editDistance(x, y) / Math.max(1, x.length, y.length);
}

export function checkTooDifferent(s: Pick<CandidateSample, 'awkward' | 'corrected'>, cfg: ValidationConfig['tooDifferent']): RejectionReason[] {
  const overlap = wordOverlap(s.awkward, s.corrected);
  if (overlap >= cfg.minWordOverlap) return [];
  const edit = editRatio(s.awkward, s.corrected);
  if (edit <= cfg.maxEditRatio) return [];
  return [
    {
      code: 'too_different',
      field: 'corrected',
      detail: `edit ratio ${round(edit)} > ${cfg.maxEditRatio} and word overlap ${round(overlap)} < ${cfg.minWordOverlap}: a different sentence, not a correction`,
    },
  ];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
