/** Small text helpers shared by the checks. */

/** Collapses every whitespace run to one space and trims. */
export function normalizeWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Why `s` is not clean text, or null. Catches what invalid UTF-8 and binary junk turn into in a JS
 * string: lone surrogates (not encodable as UTF-8), U+FFFD (a decoder already replaced invalid
 * bytes), C0/C1 control characters (tab and, where `allowNewlines`, line breaks excepted),
 * noncharacters and bidirectional overrides (text that displays differently from what it is).
 */
export function textProblem(s: string, allowNewlines: boolean): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `invalid UTF-16/UTF-8: lone surrogate at ${i}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `invalid UTF-16/UTF-8: lone surrogate at ${i}`;
    if (c === 0xfffd) return `contains U+FFFD (text was decoded from invalid UTF-8) at ${i}`;
    if (c === 0x09) continue;
    if (c === 0x0a || c === 0x0d) {
      if (allowNewlines) continue;
      return `must be a single line (line break at ${i})`;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `control character U+${hex(c)} at ${i}`;
    if (c === 0xfffe || c === 0xffff || (c >= 0xfdd0 && c <= 0xfdef)) return `noncharacter U+${hex(c)} at ${i}`;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return `bidirectional control U+${hex(c)} at ${i}`;
  }
  return null;
}

function hex(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

const HANGUL = /\p{Script=Hangul}/u;
const LETTER_G = /\p{L}/gu;
const HANGUL_G = /\p{Script=Hangul}/gu;

export function containsHangul(s: string): boolean {
  return HANGUL.test(s);
}

/** Share of letters that are Hangul (0 when there are no letters). */
export function hangulShare(s: string): number {
  const letters = s.match(LETTER_G)?.length ?? 0;
  if (!letters) return 0;
  return (s.match(HANGUL_G)?.length ?? 0) / letters;
}

/** Lower-cased words and punctuation marks, for word-level edit distance. */
export function wordTokens(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

let row: Int32Array = new Int32Array(256);

/** Levenshtein distance of two sequences (strings or token arrays), O(|a|·|b|) time, O(|b|) memory. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  if (a.length < b.length) [a, b] = [b, a];
  const n = b.length;
  if (n === 0) return a.length;
  if (row.length < n + 1) row = new Int32Array(Math.max(n + 1, row.length * 2));
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= n; j++) {
      const up = row[j];
      const cost = ai === b[j - 1] ? 0 : 1;
      const best = Math.min(up + 1, row[j - 1] + 1, diag + cost);
      diag = up;
      row[j] = best;
    }
  }
  return row[n];
}
