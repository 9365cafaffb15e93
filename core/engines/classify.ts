/**
 * Edit typing from the text itself: a change of articles is 'article', of prepositions
 * 'preposition', of case only 'capitalization', and so on; otherwise the engine's own
 * category (`fallback`) stands.
 */
import type { EditType } from './types';

export const ARTICLES = new Set(['a', 'an', 'the']);
export const PREPOSITIONS = new Set([
  'about', 'above', 'across', 'after', 'against', 'along', 'among', 'around', 'as', 'at', 'before', 'behind', 'below',
  'beneath', 'beside', 'besides', 'between', 'beyond', 'by', 'despite', 'down', 'during', 'except', 'for', 'from', 'in',
  'inside', 'into', 'like', 'near', 'of', 'off', 'on', 'onto', 'out', 'outside', 'over', 'past', 'since', 'through',
  'throughout', 'till', 'to', 'toward', 'towards', 'under', 'until', 'up', 'upon', 'with', 'within', 'without',
]);
const AUX_TENSE = new Set(['will', 'would', 'have', 'has', 'had', 'was', 'were', 'been', 'did', 'do', 'does', 'be', 'being', 'is', 'am', 'are']);

const BE_NUMBER: Record<string, string> = { is: 'are', are: 'is', was: 'were', were: 'was' };
const DETERMINER_NUMBER: Record<string, string> = { this: 'these', these: 'this', that: 'those', those: 'that' };
/** Categories an engine gives when it knows no better: the words decide. */
const GENERIC = new Set<EditType>(['other', 'grammar', 'spelling', 'word_choice', 'style']);

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** The changed words once the shared words at both ends are removed. */
export function changedWords(before: string, after: string): { removed: string[]; added: string[] } {
  const b = words(before);
  const a = words(after);
  let i = 0;
  while (i < b.length && i < a.length && b[i] === a[i]) i++;
  let j = 0;
  while (j < b.length - i && j < a.length - i && b[b.length - 1 - j] === a[a.length - 1 - j]) j++;
  return { removed: b.slice(i, b.length - j), added: a.slice(i, a.length - j) };
}

function isPluralPair(x: string, y: string): boolean {
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  return l === s + 's' || l === s + 'es' || (s.endsWith('y') && l === s.slice(0, -1) + 'ies');
}

export function classifyEdit(before: string, after: string, fallback: EditType): EditType {
  if (before === after) return fallback;
  if (before.toLowerCase() === after.toLowerCase()) return 'capitalization';
  const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
  if (letters(before) === letters(after)) {
    return /['’]/.test(before + after) && words(before).join('') !== words(after).join('') ? fallback : 'punctuation';
  }
  const { removed, added } = changedWords(before, after);
  const all = [...removed, ...added];
  if (!all.length) return fallback;
  // the engine knows a repetition or a reordering better than the word lists do
  if (fallback === 'redundancy' || fallback === 'word_order') return fallback;
  if (all.every((w) => ARTICLES.has(w))) return 'article';
  if (all.every((w) => PREPOSITIONS.has(w))) return 'preposition';
  if (removed.length && added.length && removed.length === added.length && [...removed].sort().join(' ') === [...added].sort().join(' ')) {
    return 'word_order';
  }
  if (removed.length === 1 && added.length === 1) {
    const [r, a] = [removed[0], added[0]];
    // is ↔ are, was ↔ were: the verb agrees with its subject
    if (BE_NUMBER[r] === a) return 'agreement';
    if (DETERMINER_NUMBER[r] === a) return 'agreement';
    // interesting ↔ interested: the adjective's form
    if (r.replace(/(ing|ed)$/, '') === a.replace(/(ing|ed)$/, '') && /(ing|ed)$/.test(r) && /(ing|ed)$/.test(a) && r !== a) return 'word_form';
    if (isPluralPair(r, a)) return GENERIC.has(fallback) ? 'plural' : fallback;
  }
  if (fallback === 'other' || fallback === 'grammar') {
    if (all.some((w) => AUX_TENSE.has(w)) || all.some((w) => /ed$/.test(w))) return 'tense';
  }
  return fallback;
}
