/**
 * PII detection and redaction, shared by the validate stage (check `pii`), serving (requests and
 * feedback are redacted before the model, the log and the database) and every prompt sent to an LLM.
 *
 * The text is normalised for detection first, so disguised values are found: Unicode NFKC
 * (full-width ０-９ and ＠, circled digits, ligatures), every decimal digit of any script as 0-9,
 * every dash (‐ ‑ ‒ – — − － …) as "-", every space (no-break, thin, ideographic …) and line break
 * as " ", and invisible format characters (zero-width space/joiner, soft hyphen, BOM) dropped.
 * Detectors run on the normalised text; spans are mapped back, and the ORIGINAL text is redacted,
 * so everything that is not PII reaches the model exactly as the user wrote it.
 *
 * Detected (regular expressions plus validation, so look-alikes are left alone):
 *   url_credentials  scheme://user[:password]@host…
 *   email            local@domain.tld, and spelled out to dodge filters: "kim dot jiwoo at gmail dot
 *                    com", "kim.jiwoo [at] gmail [dot] com" (a "dot" word or a bracketed "at" required,
 *                    so "look at example.com" is left alone)
 *   kr_rrn           Korean resident registration number YYMMDD-GNNNNNN, with a hyphen, a space or
 *                    nothing between the halves (date and G = 1–8 checked; no checksum, which numbers
 *                    issued since 2020 no longer follow)
 *   us_ssn           US social security number AAA-GG-SSSS (never-issued 000/666/9xx, 00, 0000 excluded)
 *   credit_card      13–19 digits, optionally grouped by spaces or hyphens, Luhn-checked
 *   phone            international (+CC …, 8–15 digits), Korean mobile and landline (010-1234-5678,
 *                    01012345678, 02-123-4567, (031) 123 4567, 82-10-1234-5678) and North American
 *                    ((555) 123-4567, 1-800-555-0199)
 *   passport         Korean passports (M12345678, M123A4567) anywhere; any 6–9 character passport
 *                    number right after "passport (no./number)" or "여권 (번호)"
 *   ipv4, ipv6       dotted quad with octets ≤ 255; IPv6 in full or compressed (::) form
 *   person_name      only when asked (`types` includes it): see names.ts
 * Street addresses are not detected.
 *
 * Overlapping detections merge into one span (typed after its longest part), so a span is always
 * replaced whole: an email inside a URL with credentials becomes one [URL_WITH_CREDENTIALS].
 */
import { findNames } from './names';
import { type CandidateSample, PATTERN_PII_TYPES, type PiiSpan, type PiiType, PII_TYPES, type Redaction, TEXT_FIELDS, type TextField } from './types';

export const PII_PLACEHOLDERS: Record<PiiType, string> = {
  url_credentials: '[URL_WITH_CREDENTIALS]',
  email: '[EMAIL]',
  kr_rrn: '[KR_RRN]',
  us_ssn: '[US_SSN]',
  credit_card: '[CREDIT_CARD]',
  phone: '[PHONE]',
  passport: '[PASSPORT]',
  ipv4: '[IP_ADDRESS]',
  ipv6: '[IP_ADDRESS]',
  person_name: '[NAME]',
};

interface Detector {
  type: PiiType;
  re: RegExp;
  /** Narrows or rejects a regex match: the spans [start, end) to keep relative to the match (none: rejected). */
  accept?: (m: string) => [number, number][];
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

// An email spelled out: "at"/"dot" as words or in brackets, the domain ending in a common TLD.
const SPELLED_AT = String.raw`(?:\s*[[({]\s*at\s*[\])}]\s*|\s+at\s+)`;
// a period with spaces around it too ("john . doe (at) gmail dot com"): prose puts no space before a period
const SPELLED_DOT = String.raw`(?:\s*[[({]\s*dot\s*[\])}]\s*|\s+dot\s+|\s+\.\s+|\.)`;
const DOMAIN_LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const SPELLED_EMAIL = new RegExp(
  String.raw`\b[\w%+-]+(?:${SPELLED_DOT}[\w%+-]+)*${SPELLED_AT}${DOMAIN_LABEL}(?:${SPELLED_DOT}${DOMAIN_LABEL})*${SPELLED_DOT}(?:com|net|org|edu|gov|io|kr|co|jp|uk|de|info|biz|me)\b`,
  'gi',
);
/** Words that only a spelled-out email has: the fast exit of detectPii looks for them. */
const SPELLED_MARK = /\bdot\b|[[({]\s*at\s*[\])}]/i;

const DETECTORS: Detector[] = [
  {
    type: 'url_credentials',
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]+(?::[^\s/?#@]*)?@[\w.~:/?#[\]@!$&'()*+,;=%-]*[\w/#=&%~-]/gi,
  },
  {
    type: 'email',
    re: /[\w.%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}/gi,
  },
  {
    type: 'email',
    re: SPELLED_EMAIL,
    accept: (m) => (SPELLED_MARK.test(m) ? [[0, m.length]] : []),
  },
  {
    type: 'kr_rrn',
    re: /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) {0,2}[-.]? {0,2}[1-8]\d{6}(?!\d)/g,
  },
  {
    type: 'us_ssn',
    re: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
  },
  {
    // A whole run of digit groups; the cards are looked for inside it.
    type: 'credit_card',
    re: /(?<!\d)\d(?:[ -]?\d){12,}(?!\d)/g,
    accept: acceptCards,
  },
  {
    // International: +CC then 2–5 groups; trailing groups dropped until 8–15 digits.
    type: 'phone',
    re: /(?<![\w+])\+\d{1,3}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,4})){2,6}(?!\d)/g,
    accept: acceptIntlPhone,
  },
  {
    // Korean: 0 + area or mobile prefix (optionally in parentheses), 3–4 digits, 4 digits.
    type: 'phone',
    re: /(?<![\d+])(?:\(0\d{1,2}\)|0\d{1,2})[ .-]?\d{3,4}[ .-]?\d{4}(?!\d)/g,
  },
  {
    // Korean mobile with the country code but no plus: 82-10-1234-5678.
    type: 'phone',
    re: /(?<![\d+])82[ .-]?0?1\d[ .-]?\d{3,4}[ .-]?\d{4}(?!\d)/g,
  },
  {
    // North American: optional 1, (AAA) or AAA-, NNN-NNNN.
    type: 'phone',
    re: /(?<![\d+])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g,
  },
  {
    // Korean passports: type letter + 8 digits, or (since 2021) + 3 digits, a letter, 4 digits.
    type: 'passport',
    re: /(?<![A-Za-z0-9])[MSRODG](?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])/g,
  },
  {
    // Any passport number announced as one.
    type: 'passport',
    re: /(?<=(?:passport|여권)(?: ?(?:no\.?|number|num\.?|#|번호))?(?: ?(?:is|:|=|는|은))? ?)[A-Z]{0,2}\d{6,9}(?![A-Za-z0-9])/gi,
  },
  {
    type: 'ipv4',
    re: new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, 'g'),
  },
  {
    type: 'ipv6',
    re: /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi,
    accept: acceptIpv6,
  },
];

/** Luhn checksum of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Digit groups of a match with their offsets. */
function groups(m: string): { start: number; end: number; digits: string }[] {
  return [...m.matchAll(/\d+/g)].map((g) => ({ start: g.index, end: g.index + g[0].length, digits: g[0] }));
}

/**
 * Card numbers are 13–19 digits passing Luhn. A run of digit groups may hold several, among other
 * numbers ("order 12 4111 1111 1111 1111", an RRN then a card): contiguous group windows are tried,
 * longest first, and every valid one that does not overlap an earlier find is kept.
 */
function acceptCards(m: string): [number, number][] {
  const g = groups(m);
  const found: [number, number][] = [];
  const taken = new Array<boolean>(g.length).fill(false);
  for (let len = g.length; len >= 1; len--) {
    for (let i = 0; i + len <= g.length; i++) {
      if (taken.slice(i, i + len).some(Boolean)) continue;
      const digits = g.slice(i, i + len).map((x) => x.digits).join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (/^(\d)\1+$/.test(digits)) continue;
      if (luhnValid(digits)) {
        found.push([g[i].start, g[i + len - 1].end]);
        taken.fill(true, i, i + len);
      }
    }
  }
  return found;
}

function acceptIntlPhone(m: string): [number, number][] {
  const g = groups(m);
  for (let len = g.length; len >= 3; len--) {
    const n = g.slice(0, len).reduce((s, x) => s + x.digits.length, 0);
    if (n >= 8 && n <= 15) {
      const last = g[len - 1];
      // Keep a closing parenthesis that belongs to the last group.
      const end = m[last.end] === ')' ? last.end + 1 : last.end;
      return [[0, end]];
    }
  }
  return [];
}

/** A compressed or full IPv6 address: 8 groups, or fewer with exactly one "::". */
function acceptIpv6(m: string): [number, number][] {
  const halves = m.split('::');
  if (halves.length > 2) return [];
  const groupsOf = (h: string) => (h === '' ? [] : h.split(':'));
  const g = halves.flatMap(groupsOf);
  if (g.some((x) => x.length === 0 || x.length > 4)) return [];
  if (halves.length === 1 ? g.length !== 8 : g.length > 7 || g.length < 2) return [];
  // Times and ratios ("12:30:45") have no hex letters and no "::"; require one or the other.
  if (halves.length === 1 && !/[a-f]/i.test(m)) return [];
  return [[0, m.length]];
}

const PRIORITY = new Map<PiiType, number>(PII_TYPES.map((t, i) => [t, i]));

export interface DetectOptions {
  /** Types to look for (default: every pattern type; add `person_name` to find names too). */
  types?: readonly PiiType[];
}

/** The text detectors see, and for each of its UTF-16 units the [start, end) it came from in the original. */
export interface NormalizedText {
  text: string;
  start: number[];
  end: number[];
}

const SPACE = /\s/;
const FORMAT = /\p{Cf}/u;
const DASH = /[\p{Pd}\u2212\u2043\uFE63\uFF0D]/u;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Unicode decimal digits of every script, as their ASCII digit. Unicode encodes each script's
 * digits as a contiguous 0–9 (some scripts several sets in a row), so a digit's value is its
 * distance from the start of its run, modulo 10.
 */
const DIGITS: Map<number, string> = (() => {
  const map = new Map<number, string>();
  const nd = /\p{Nd}/u;
  let runStart = -1;
  for (let cp = 0x80; cp <= 0x1fbff; cp++) {
    if (!nd.test(String.fromCodePoint(cp))) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = cp;
    map.set(cp, String((cp - runStart) % 10));
  }
  return map;
})();

/** The form of `text` that detection runs on (see the file comment), with its offset map. */
export function normalizeForDetection(text: string): NormalizedText {
  const start: number[] = [];
  const end: number[] = [];
  if (ASCII_ONLY.test(text)) {
    // Same length, one unit per unit: only whitespace changes.
    for (let i = 0; i < text.length; i++) {
      start.push(i);
      end.push(i + 1);
    }
    return { text: text.replace(/\s/g, ' '), start, end };
  }
  let out = '';
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let n: string;
    if (cp < 0x80) n = cp <= 0x20 && SPACE.test(ch) ? ' ' : ch;
    else if (cp >= 0xac00 && cp <= 0xd7a3) n = ch; // Hangul syllables, most of a Korean reason: unchanged
    else if (FORMAT.test(ch)) n = '';
    else if (SPACE.test(ch)) n = ' ';
    else if (DASH.test(ch)) n = '-';
    else if (DIGITS.has(cp)) n = DIGITS.get(cp)!;
    else {
      n = ch.normalize('NFKC');
      if (n !== ch) n = [...n].map((c) => (DIGITS.get(c.codePointAt(0)!) ?? (SPACE.test(c) ? ' ' : DASH.test(c) ? '-' : c))).join('');
    }
    for (let k = 0; k < n.length; k++) {
      start.push(i);
      end.push(i + ch.length);
    }
    out += n;
    i += ch.length;
  }
  return { text: out, start, end };
}

/** Placeholders already in a text: nothing inside one is PII (so redaction is idempotent). */
const PLACEHOLDER = new RegExp(
  [...new Set(Object.values(PII_PLACEHOLDERS))].map((p) => p.replace(/[[\]]/g, '\\$&')).join('|'),
  'g',
);

/** Types of the placeholders already in `text` (PII redacted before it was stored). */
export function placeholdersIn(text: string): PiiType[] {
  const types = new Map(Object.entries(PII_PLACEHOLDERS).map(([t, p]) => [p, t as PiiType]));
  return [...text.matchAll(PLACEHOLDER)].map((m) => types.get(m[0])!);
}

/**
 * What to look for in a training sample: every pattern, and names of people when an LLM teacher
 * wrote it (its text may carry names from the traffic or prompts it saw; the offline noise teacher
 * only rewrites the seeded Text Repository).
 */
export function samplePiiTypes(teacher: string): readonly PiiType[] {
  return teacher === 'noise' ? PATTERN_PII_TYPES : PII_TYPES;
}

/** PII spans in `text` (offsets into `text`, the original), sorted, non-overlapping. */
export function detectPii(text: string, opts: DetectOptions = {}): PiiSpan[] {
  const types = new Set(opts.types ?? PATTERN_PII_TYPES);
  const names = types.has('person_name');
  // Fast exit: every pattern needs a digit (of some script), an @ or a spelled-out one; names need a capital letter.
  if (!/[\p{Nd}\p{No}@\uFF20\uFE6B]/u.test(text) && !SPELLED_MARK.test(text) && !(names && /\p{Lu}/u.test(text))) return [];
  const norm = normalizeForDetection(text);
  const n = norm.text;
  const found: [PiiType, number, number][] = [];
  for (const d of DETECTORS) {
    if (!types.has(d.type)) continue;
    d.re.lastIndex = 0;
    for (const m of n.matchAll(d.re)) {
      for (const [a, b] of d.accept ? d.accept(m[0]) : [[0, m[0].length]]) found.push([d.type, m.index + a, m.index + b]);
    }
  }
  if (names) for (const [s, e] of findNames(n)) found.push(['person_name', s, e]);
  const placeholders = [...n.matchAll(PLACEHOLDER)].map((m) => [m.index, m.index + m[0].length]);
  const spans: PiiSpan[] = [];
  for (const [type, s, e] of found) {
    if (e <= s || placeholders.some(([ps, pe]) => s < pe && e > ps)) continue;
    spans.push({ type, start: norm.start[s], end: norm.end[e - 1] });
  }
  return mergeSpans(spans);
}

/** Unions overlapping spans; a merged span takes the type of its longest part (ties: PII_TYPES order). */
function mergeSpans(spans: PiiSpan[]): PiiSpan[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiSpan[] = [];
  let cur = { ...spans[0] };
  let curLen = cur.end - cur.start;
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i];
    if (s.start < cur.end) {
      const len = s.end - s.start;
      if (len > curLen || (len === curLen && PRIORITY.get(s.type)! < PRIORITY.get(cur.type)!)) {
        cur.type = s.type;
        curLen = len;
      }
      cur.end = Math.max(cur.end, s.end);
    } else {
      out.push(cur);
      cur = { ...s };
      curLen = cur.end - cur.start;
    }
  }
  out.push(cur);
  return out;
}

/** Replaces `spans` (offsets into `text`, sorted, disjoint) with placeholders; returns each placeholder's offsets in the result and its source in `text`. */
function applySpans(text: string, spans: PiiSpan[]): { text: string; redactions: PiiSpan[] } {
  if (!spans.length) return { text, redactions: [] };
  let out = '';
  let pos = 0;
  const redactions: PiiSpan[] = [];
  for (const s of spans) {
    out += text.slice(pos, s.start);
    const ph = PII_PLACEHOLDERS[s.type];
    redactions.push({ type: s.type, start: out.length, end: out.length + ph.length, source: { start: s.start, end: s.end } });
    out += ph;
    pos = s.end;
  }
  out += text.slice(pos);
  return { text: out, redactions };
}

/**
 * Replaces every PII span in `text` with its typed placeholder ([EMAIL], [PHONE], …).
 * `redactions` give each placeholder's position in the returned text and, as `source`, where the
 * value was in `text`. Idempotent: placeholders are never detected as PII.
 */
export function redactPii(text: string, opts: DetectOptions = {}): { text: string; redactions: PiiSpan[] } {
  return applySpans(text, detectPii(text, opts));
}

/**
 * Redacts awkward, corrected and reason together, consistently: a value detected in any field is
 * replaced wherever it occurs in every field (even where, in that field, its context hides it from
 * the detectors), so awkward and corrected stay aligned placeholder for placeholder.
 */
export function redactSample(sample: CandidateSample, opts: DetectOptions = {}): { sample: CandidateSample; redactions: Redaction[] } {
  const detected = TEXT_FIELDS.map((f) => detectPii(sample[f], opts));
  if (detected.every((d) => d.length === 0)) return { sample, redactions: [] };
  const values = new Map<string, PiiType>();
  TEXT_FIELDS.forEach((f, i) => {
    for (const s of detected[i]) if (!values.has(sample[f].slice(s.start, s.end))) values.set(sample[f].slice(s.start, s.end), s.type);
  });
  const out = { ...sample };
  const redactions: Redaction[] = [];
  TEXT_FIELDS.forEach((f: TextField, i) => {
    const text = sample[f];
    const spans = [...detected[i]];
    for (const [value, type] of values) {
      for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
        // A name is a word: "Kim" in "Kimchi" is not that person ("Kim은" is: a Korean particle follows it).
        if (type === 'person_name' && /\p{Script=Latin}/u.test((text[at - 1] ?? '') + (text[at + value.length] ?? ''))) continue;
        spans.push({ type, start: at, end: at + value.length });
      }
    }
    const r = applySpans(text, mergeSpans(spans));
    out[f] = r.text;
    for (const x of r.redactions) redactions.push({ field: f, ...x });
  });
  return { sample: out, redactions };
}
