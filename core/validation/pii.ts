/**
 * PII detection and redaction, shared by the validate stage (check `pii`) and serving, which
 * redacts requests before storing them and before any text leaves the machine.
 *
 * Detected (regular expressions plus validation, so look-alikes are left alone):
 *   url_credentials  scheme://user[:password]@host…
 *   email            local@domain.tld
 *   kr_rrn           Korean resident registration number: YYMMDD-GNNNNNN (date and G = 1–8 checked;
 *                    no checksum, which numbers issued since 2020 no longer follow)
 *   us_ssn           US social security number AAA-GG-SSSS (never-issued 000/666/9xx, 00, 0000 excluded)
 *   credit_card      13–19 digits, optionally grouped by spaces or hyphens, Luhn-checked
 *   phone            international (+CC …, 8–15 digits), Korean (010-1234-5678, 02-123-4567,
 *                    01012345678) and North American ((555) 123-4567, 1-800-555-0199)
 *   ipv4             dotted quad with octets ≤ 255
 * Street addresses are not detected.
 *
 * Overlapping detections merge into one span (typed after its longest part), so a span is always
 * replaced whole: an email inside a URL with credentials becomes one [URL_WITH_CREDENTIALS].
 */
import { type CandidateSample, type PiiSpan, type PiiType, PII_TYPES, type Redaction, TEXT_FIELDS, type TextField } from './types';

export const PII_PLACEHOLDERS: Record<PiiType, string> = {
  url_credentials: '[URL_WITH_CREDENTIALS]',
  email: '[EMAIL]',
  kr_rrn: '[KR_RRN]',
  us_ssn: '[US_SSN]',
  credit_card: '[CREDIT_CARD]',
  phone: '[PHONE]',
  ipv4: '[IP_ADDRESS]',
};

interface Detector {
  type: PiiType;
  re: RegExp;
  /** Narrows or rejects a regex match: the [start, end) to keep relative to the match, or null. */
  accept?: (m: string) => [number, number] | null;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

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
    type: 'kr_rrn',
    re: /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\s?-\s?|)[1-8]\d{6}(?!\d)/g,
  },
  {
    type: 'us_ssn',
    re: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
  },
  {
    type: 'credit_card',
    re: /(?<!\d)\d(?:[ -]?\d){12,22}(?!\d)/g,
    accept: acceptCard,
  },
  {
    // International: +CC then 2–5 groups; trailing groups dropped until 8–15 digits.
    type: 'phone',
    re: /(?<![\w+])\+\d{1,3}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,4})){2,6}(?!\d)/g,
    accept: acceptIntlPhone,
  },
  {
    // Korean: 0 + area/mobile prefix, 3–4 digits, 4 digits.
    type: 'phone',
    re: /(?<![\d+])0\d{1,2}[ .-]?\d{3,4}[ .-]?\d{4}(?!\d)/g,
  },
  {
    // North American: optional 1, (AAA) or AAA-, NNN-NNNN.
    type: 'phone',
    re: /(?<![\d+])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g,
  },
  {
    type: 'ipv4',
    re: new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, 'g'),
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
 * A card number is 13–19 digits passing Luhn. A run of digit groups may hold one among other
 * numbers ("order 12 4111 1111 1111 1111"): try contiguous group runs, longest first.
 */
function acceptCard(m: string): [number, number] | null {
  const g = groups(m);
  for (let len = g.length; len >= 1; len--) {
    for (let i = 0; i + len <= g.length; i++) {
      const digits = g.slice(i, i + len).map((x) => x.digits).join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (/^(\d)\1+$/.test(digits)) continue;
      if (luhnValid(digits)) return [g[i].start, g[i + len - 1].end];
    }
  }
  return null;
}

function acceptIntlPhone(m: string): [number, number] | null {
  const g = groups(m);
  for (let len = g.length; len >= 3; len--) {
    const n = g.slice(0, len).reduce((s, x) => s + x.digits.length, 0);
    if (n >= 8 && n <= 15) {
      const last = g[len - 1];
      // Keep a closing parenthesis that belongs to the last group.
      const end = m[last.end] === ')' ? last.end + 1 : last.end;
      return [0, end];
    }
  }
  return null;
}

const PRIORITY = new Map<PiiType, number>(PII_TYPES.map((t, i) => [t, i]));

export interface DetectOptions {
  /** Types to look for (default: all). */
  types?: readonly PiiType[];
}

/** PII spans in `text` (offsets into `text`), sorted, non-overlapping. */
export function detectPii(text: string, opts: DetectOptions = {}): PiiSpan[] {
  const types = opts.types ? new Set(opts.types) : null;
  const found: PiiSpan[] = [];
  // Fast exit: every detector needs a digit or an @.
  if (!/[\d@]/.test(text)) return found;
  for (const d of DETECTORS) {
    if (types && !types.has(d.type)) continue;
    d.re.lastIndex = 0;
    for (const m of text.matchAll(d.re)) {
      const span = d.accept ? d.accept(m[0]) : [0, m[0].length];
      if (span) found.push({ type: d.type, start: m.index + span[0], end: m.index + span[1] });
    }
  }
  return mergeSpans(found);
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

/** Replaces `spans` (offsets into `text`, sorted, disjoint) with placeholders; returns the spans' offsets in the result. */
function applySpans(text: string, spans: PiiSpan[]): { text: string; redactions: PiiSpan[] } {
  if (!spans.length) return { text, redactions: [] };
  let out = '';
  let pos = 0;
  const redactions: PiiSpan[] = [];
  for (const s of spans) {
    out += text.slice(pos, s.start);
    const ph = PII_PLACEHOLDERS[s.type];
    redactions.push({ type: s.type, start: out.length, end: out.length + ph.length });
    out += ph;
    pos = s.end;
  }
  out += text.slice(pos);
  return { text: out, redactions };
}

/**
 * Replaces every PII span in `text` with its typed placeholder ([EMAIL], [PHONE], …).
 * `redactions` give each placeholder's position in the returned text. Idempotent: placeholders
 * are never detected as PII.
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
      for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) spans.push({ type, start: at, end: at + value.length });
    }
    const r = applySpans(text, mergeSpans(spans));
    out[f] = r.text;
    for (const x of r.redactions) redactions.push({ field: f, ...x });
  });
  return { sample: out, redactions };
}
