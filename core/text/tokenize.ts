/**
 * Conversion between plain text and JFLEG-style (Penn Treebank-like) tokenized text.
 *
 *   detokenize("I do n't like it .")  → "I don't like it."
 *   tokenize("I don't like it.")      → "I do n't like it ."
 *
 * The conventions follow what the JFLEG files actually contain (not full PTB):
 *  - clitics are split off: n't ('do n't', 'ca n't', 'wo n't'), 's, 're, 've, 'll, 'd, 'm;
 *    'cannot', 'gonna', 'wanna' are left whole;
 *  - punctuation , ; : ! ? % ) ] } " ... and a possessive ' are split off the END of a
 *    whitespace-delimited word, ( [ { " $ `` off its START; punctuation inside a word stays
 *    ('this,but', 'he/she', 'heat(energy)', '4:they', 'well-paid');
 *  - a period is split off only at the end of the text ("car. they" keeps "car."), once, even
 *    after an abbreviation ("etc." at the end → "etc ." as JFLEG writes it);
 *  - every digit is its own token ("2006" → "2 0 0 6", "20th" → "2 0th"), as in JFLEG, so
 *    detokenize joins adjacent digits again (two numbers side by side, "5 7", become "57");
 *  - quotes are straight '"'; a standalone '"' alternates between opening and closing;
 *  - HTML entities left in the data ('&raspsquo;') are single tokens.
 *
 * tokenize(detokenize(x)) reproduces x for the JFLEG dev sources except for a handful of
 * lines whose spacing no tokenizer would produce (test/engines/tokenize.test.ts measures it).
 */

const CLITICS = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"];
const CLITIC_RE = /^(.+?)(n't|'s|'re|'ve|'ll|'d|'m)$/i;
/** Tokens that attach to the previous token when detokenizing. */
const ATTACH_LEFT = new Set([',', '.', ';', ':', '!', '?', '%', ')', ']', '}', "''", '...', '..']);
/** Tokens that attach to the next token when detokenizing. */
const ATTACH_RIGHT = new Set(['(', '[', '{', '$', '``']);
/** Characters split off the end of a word (one token each). */
const TRAILING = new Set([',', ';', ':', '!', '?', '%', ')', ']', '}', '"']);
/** Characters split off the start of a word (one token each). */
const LEADING = new Set(['(', '[', '{', '"', '$']);
const ENTITY_RE = /^&[A-Za-z]+;$/;

function isClitic(tok: string): boolean {
  return CLITICS.includes(tok.toLowerCase());
}

/** Normalises typographic apostrophes and quotes to the ASCII ones JFLEG uses. */
function normaliseQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u02BC]/g, "'").replace(/[\u201C\u201D]/g, '"');
}

/** Whether a token is written without a space before it (',', "n't", ')'…). */
export function attachesLeft(tok: string): boolean {
  return ATTACH_LEFT.has(tok) || isClitic(tok);
}

/** Whether a token is written without a space after it ('(', '$'…). */
export function attachesRight(tok: string): boolean {
  return ATTACH_RIGHT.has(tok);
}

/** Splits a word (no whitespace) into its core and the punctuation tokens around it. */
function splitWord(word: string, isLast: boolean): string[] {
  if (ENTITY_RE.test(word) || isClitic(word) || ATTACH_LEFT.has(word) || ATTACH_RIGHT.has(word) || word === '"' || word === "'") {
    return [word];
  }
  const head: string[] = [];
  const tail: string[] = []; // collected in reverse
  let w = word;
  // leading punctuation
  for (;;) {
    if (w.length > 1 && w.startsWith('``')) {
      head.push('``');
      w = w.slice(2);
    } else if (w.length > 1 && LEADING.has(w[0])) {
      head.push(w[0]);
      w = w.slice(1);
    } else break;
  }
  // trailing punctuation
  let periodDone = false;
  for (;;) {
    if (w.length <= 1) break;
    if (ENTITY_RE.test(w)) break;
    if (w.endsWith('...') && w.length > 3) {
      tail.push('...');
      w = w.slice(0, -3);
    } else if (w.endsWith("''") && w.length > 2) {
      tail.push("''");
      w = w.slice(0, -2);
    } else if (TRAILING.has(w[w.length - 1]) && !(w.endsWith(')') && w.includes('('))) {
      // 'heat(energy)' keeps its parentheses: only an unmatched ')' is split off
      tail.push(w[w.length - 1]);
      w = w.slice(0, -1);
    } else if (w.endsWith("'") && /[A-Za-z]/.test(w[w.length - 2])) {
      tail.push("'");
      w = w.slice(0, -1);
    } else if (w.endsWith('.') && isLast && !periodDone) {
      // only once: "them.." → "them. .", "etc." → "etc ." (as in JFLEG)
      periodDone = true;
      tail.push('.');
      w = w.slice(0, -1);
    } else break;
  }
  const core: string[] = [];
  if (w) {
    const m = CLITIC_RE.exec(w);
    if (m && /[A-Za-z]$/.test(m[1]) && !(m[2].toLowerCase() === "n't" && m[1].length < 1)) {
      core.push(m[1], m[2]);
    } else core.push(w);
  }
  return [...head, ...core, ...tail.reverse()].flatMap(splitDigits);
}

/** "2006" → ["2", "0", "0", "6"]; "20th" → ["2", "0th"]: JFLEG separates adjacent digits. */
function splitDigits(tok: string): string[] {
  if (!/\d\d/.test(tok)) return [tok];
  return tok.replace(/(\d)(?=\d)/g, '$1 ').split(' ');
}

/** A token and where it lies in the text it came from (UTF-16 offsets, end exclusive). */
export interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * The tokens of plain text with their offsets: `text.slice(t.start, t.end)` is the token
 * (up to typographic quotes, which tokens spell as ASCII).
 */
export function tokenizeWithOffsets(text: string): Token[] {
  const norm = normaliseQuotes(text);
  const words = [...norm.matchAll(/\S+/g)];
  // the last word that is not pure closing punctuation carries the sentence-final period
  let last = words.length - 1;
  while (last > 0 && /^["')\]}]+$/.test(words[last][0])) last--;
  const out: Token[] = [];
  words.forEach((m, i) => {
    let pos = m.index;
    for (const piece of splitWord(m[0], i === last)) {
      out.push({ text: piece, start: pos, end: pos + piece.length });
      pos += piece.length;
    }
  });
  return out;
}

/** Plain text → JFLEG-tokenized text (tokens separated by single spaces, no trailing space). */
export function tokenize(text: string): string {
  return tokenizeWithOffsets(text)
    .map((t) => t.text)
    .join(' ');
}

/** JFLEG-tokenized text → plain text. */
export function detokenize(text: string): string {
  const toks = text.trim().split(/\s+/).filter(Boolean);
  let out = '';
  let quoteOpen = false;
  let prevAttachRight = false;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    const prev = i > 0 ? toks[i - 1] : '';
    let noSpace = i === 0 || prevAttachRight;
    prevAttachRight = false;
    if (tok === '"') {
      if (quoteOpen) noSpace = true;
      else prevAttachRight = true;
      quoteOpen = !quoteOpen;
    } else if (tok === "'") {
      if (/[sSzZ]$/.test(prev)) noSpace = true;
    } else if (ATTACH_LEFT.has(tok) || isClitic(tok)) {
      noSpace = true;
    } else if (ATTACH_RIGHT.has(tok)) {
      prevAttachRight = true;
    }
    if (/\d$/.test(prev) && /^\d/.test(tok)) noSpace = true;
    out += (noSpace ? '' : ' ') + tok;
  }
  return out;
}
