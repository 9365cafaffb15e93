/**
 * The safety layer every text passes before it reaches a model or the database: well-formed
 * Unicode, no binary, not empty, length and token limits, the profanity policy, PII redaction.
 * Each refusal is an ApiError with its own code. The text is only ever data to correct: it is
 * never put into instructions, so an injection attempt is corrected like any other sentence.
 */
import { z } from 'zod';
import type { Config } from '../config';
import { containsProfanity, maskProfanity } from '../core/validation/profanity';
import { redactPii } from '../core/validation/pii';
import { countTokens } from '../core/validation/tokens';
import { PATTERN_PII_TYPES, PII_TYPES, type PiiType } from '../core/validation/types';
import { ApiError } from './errors';

export interface SafetyPolicy {
  maxChars: number;
  maxTokens: number;
  profanity: 'mask' | 'refuse';
  /** Redact names of people too (see `redactsNames`). */
  names: boolean;
}

export function safetyPolicy(c: Config): SafetyPolicy {
  return { maxChars: c.apiMaxChars, maxTokens: c.apiMaxTokens, profanity: c.apiProfanity, names: redactsNames(c) };
}

/**
 * Names of people are redacted from serving traffic when an LLM may read it: an LLM judge scores
 * stored requests (DRIFT_JUDGE), and with an LLM configured an LLM teacher may learn from traffic.
 * PII_NAMES=on|off decides it outright.
 */
export function redactsNames(c: Pick<Config, 'piiNames' | 'openaiApiKey' | 'ollamaHost' | 'driftJudge'>): boolean {
  if (c.piiNames !== 'auto') return c.piiNames === 'on';
  return Boolean(c.openaiApiKey || c.ollamaHost || c.driftJudge !== 'none');
}

export interface Redaction {
  type: PiiType;
  /** The placeholder's offsets in the screened text (the `input` corrections' edits point into). */
  start: number;
  end: number;
  /** Where the redacted value was in the text as sent. */
  source: { start: number; end: number };
}

export interface ScreenedText {
  /** What the model sees and the database stores: PII replaced by [EMAIL]-style placeholders, profanity masked. */
  text: string;
  redactions: Redaction[];
  profanityMasked: boolean;
}

// C0 controls other than tab, line feed and carriage return, and DEL: binary, not text.
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// A surrogate without its pair: JSON can carry one ("\ud800"), but it is not Unicode text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks and cleans one text; `field` names it in errors (e.g. "text", "messages[2].content"). */
export function screenText(raw: string, policy: SafetyPolicy, field = 'text'): ScreenedText {
  if (LONE_SURROGATE.test(raw)) throw new ApiError(400, 'invalid_unicode', `${field}: contains unpaired UTF-16 surrogates; send valid Unicode text`, undefined, field);
  if (BINARY.test(raw)) throw new ApiError(400, 'binary_content', `${field}: contains control characters (binary data); send plain text`, undefined, field);
  if (raw.trim() === '') throw new ApiError(400, 'empty_text', `${field}: is empty; send a sentence to correct`, undefined, field);
  if (raw.length > policy.maxChars) throw new ApiError(413, 'text_too_long', `${field}: ${raw.length} characters, the limit is ${policy.maxChars}`, undefined, field);
  const tokens = countTokens(raw);
  if (tokens > policy.maxTokens) throw new ApiError(413, 'too_many_tokens', `${field}: ${tokens} tokens, the limit is ${policy.maxTokens}`, undefined, field);
  const { text: redacted, redactions } = redactPii(raw, { types: policy.names ? PII_TYPES : PATTERN_PII_TYPES });
  let text = redacted;
  let profanityMasked = false;
  if (containsProfanity(text)) {
    if (policy.profanity === 'refuse') throw new ApiError(422, 'profanity_refused', `${field}: contains profanity, which this server is configured to refuse`, undefined, field);
    text = maskProfanity(text);
    profanityMasked = true;
  }
  return { text, redactions: redactions.map((r) => ({ type: r.type, start: r.start, end: r.end, source: r.source! })), profanityMasked };
}

/** A zod failure as one readable line: "text: expected string, received number; reasonLanguage: …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

/** Parses `body` with `schema` or throws a 400 `invalid_request` naming every problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0]?.path.join('.') || null;
    throw new ApiError(400, 'invalid_request', describeIssues(r.error), undefined, first);
  }
  return r.data;
}
