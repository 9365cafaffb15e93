/**
 * Precision first: a wrong edit costs a learner more than a missed one. These checks veto
 * candidate edits that a grammar checker proposes but a teacher would not make:
 *  - nothing inside a placeholder ([EMAIL], [PHONE]…), a URL, an email address, a domain or file
 *    name, a token with digits (B204, 9:30, 2019) or an abbreviation (etc., e.g., Mr.) is changed;
 *  - spelling fixes leave alone acronyms (KAIST, KTX), mixed-case words (GitHub, iPhone),
 *    capitalised words in mid-sentence (proper nouns: Minsu, Yonsei) and capitalised words that
 *    read as romanised Korean anywhere (Jiwoo, Seoyeon at the start of a sentence), and lower-case
 *    romanised Korean words the spelling list does not know (tteokbokki);
 *  - a spelling fix never splits one word into two unless both halves are common words
 *    ("alot" → "a lot", but not "informations" → "in formations" or "advices" → "adv ices");
 * Each veto names its reason, so the ensemble can report why an edit was not made.
 */
import { zipf } from '../text/frequency';
import type { Candidate } from './candidates';
import { weightedDistance } from './spelling';

/** Capitalised words an ordinary word may become: "english" → "English", "monday" → "Monday". */
const PROPER_WORDS = /^(I|English|Korean|Japanese|Chinese|French|German|Spanish|American|British|Christmas|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

export type VetoReason = 'protected_span' | 'acronym' | 'mixed_case' | 'proper_noun' | 'korean_word' | 'unsafe_split';

/** Spans no edit may change: placeholders, URLs, emails, domains, tokens with digits. */
export function protectedSpans(text: string): { start: number; end: number; kind: string }[] {
  const spans: { start: number; end: number; kind: string }[] = [];
  const add = (re: RegExp, kind: string) => {
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length, kind });
  };
  add(/\[[A-Z][A-Z_]*\]/g, 'placeholder');
  add(/\b(?:https?:\/\/|www\.)[^\s<>"]+/gi, 'url');
  add(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, 'email');
  add(/\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|ai|co|kr|jp|cn|uk|de|fr|me|app|dev|info|biz|txt|pdf|docx?|xlsx?|pptx?|png|jpe?g|gif|csv|json|html?|zip|mp[34])\b/gi, 'domain');
  add(/[\p{L}\p{N}]*\p{N}[\p{L}\p{N}:.,/-]*/gu, 'number');
  // spell checkers do not all know them: "etc." → "enc."
  add(/\b(?:etc|e\.g|i\.e|vs|a\.m|p\.m|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|St)\./g, 'abbreviation');
  return spans;
}

/** Revised Romanization syllables (plus common name spellings: oo, ee, sh, l), one or more. */
const ROMANISED_KOREAN = /^(?:(?:kk|tt|pp|ss|jj|ch|sh|g|n|d|r|m|b|s|j|k|t|p|h|l)?(?:yae|yeo|wae|yoo|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|a|e|o|u|i)(?:ng|k|n|t|l|m|p|g|b)?)+$/i;
/** Spellings only romanised Korean has (eo, eu, a doubled initial), for lower-case words. */
const KOREAN_MARKERS = /eo|eu|(?:^|[aeiou])(?:kk|tt|pp|jj)/i;

/** Whether a word reads as romanised Korean (a name, a place, a dish). */
export function looksRomanisedKorean(word: string): boolean {
  return word.length >= 4 && ROMANISED_KOREAN.test(word);
}

const WORD = /[\p{L}\p{N}'’]+/gu;

/** Titles and abbreviations whose period ends no sentence: "Mr. Bacchan" is a name, not a sentence's first word. */
const NO_SENTENCE_END = /\b(?:Mr|Mrs|Ms|Dr|Prof|Jr|Sr|St|vs|e\.g|i\.e)\.$/;

/** Whether offset `at` starts a sentence (the text's start, or after . ! ? that is not an abbreviation's). */
function isSentenceStart(text: string, at: number): boolean {
  const before = text.slice(0, at).replace(/["'“‘(\[\s]+$/u, '');
  return before === '' || (/[.!?]$/.test(before) && !NO_SENTENCE_END.test(before));
}

/** The whole word around [start, end) (candidates may cover part of a word or several). */
function wordsIn(text: string, start: number, end: number): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  for (const m of text.matchAll(WORD)) {
    const s = m.index;
    const e = s + m[0].length;
    if (e > start && s < end) out.push({ word: m[0], start: s });
    else if (start === end && s <= start && start <= e && s < start && start < e) out.push({ word: m[0], start: s });
  }
  return out;
}

function isSpellingFix(c: Candidate): boolean {
  return c.type === 'spelling' || /^(MORFOLOGIK|HUNSPELL)/.test(c.rule) || c.rule === 'SpellCheck' || c.rule === 'SplitWords';
}

export interface PrecisionOptions {
  /** Zipf frequency both halves of a split word must reach (default 4: ~10 per million words). */
  splitMinZipf?: number;
}

/** Why `c` must not be applied to `text`, or null when it may be. */
export function veto(text: string, c: Candidate, spans: ReturnType<typeof protectedSpans>, opts: PrecisionOptions = {}): VetoReason | null {
  for (const s of spans) {
    const inside = c.start === c.end ? c.start > s.start && c.start < s.end : c.start < s.end && c.end > s.start;
    if (inside) return 'protected_span';
  }
  if (!isSpellingFix(c)) return null;
  for (const { word, start } of wordsIn(text, c.start, c.end)) {
    const letters = word.replace(/['’]/g, '');
    if (/^\p{Lu}{2,}s?$/u.test(letters)) return 'acronym';
    if (/^\p{L}+\p{Lu}/u.test(letters) && /\p{Ll}/u.test(letters)) return 'mixed_case';
    const capitalised = /^\p{Lu}/u.test(letters);
    // a capital that is only a changed case ("english" → "English") is not a name
    if (capitalised && c.after.toLowerCase() !== c.before.toLowerCase()) {
      if (!isSentenceStart(text, start)) return 'proper_noun';
      if (looksRomanisedKorean(letters)) return 'korean_word';
    }
    if (!capitalised) {
      // an ordinary word does not become a name or an acronym ("kimbap" → "IMAP", "Kimball")
      if (/\p{Lu}/u.test(c.after) && c.after.toLowerCase() !== c.before.toLowerCase() && !PROPER_WORDS.test(c.after.trim())) return 'proper_noun';
      // an unknown word that reads as romanised Korean, with no common English word one edit
      // away, is Korean (tteokbokki, kimbap), not a misspelling (begining → beginning)
      if (zipf(letters) === 0 && looksRomanisedKorean(letters) && (KOREAN_MARKERS.test(letters) || !(c.after.trim().split(/\s+/).every((w) => zipf(w) >= 3) && weightedDistance(letters, c.after.trim()) <= 1))) return 'korean_word';
    }
  }
  const before = c.before.trim();
  const after = c.after.trim();
  if (before && !/\s/.test(before) && /\s/.test(after)) {
    const minZipf = opts.splitMinZipf ?? 4;
    if (!after.split(/\s+/).every((w) => zipf(w) >= minZipf)) return 'unsafe_split';
  }
  return null;
}
