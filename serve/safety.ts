/**
 * The safety layer every text passes before it reaches a model or the database: well-formed
 * Unicode, no binary, not empty, length and token limits, the profanity policy, PII redaction.
 * Each refusal is an ApiError with its own code. The text is only ever data to correct: it is
 * never put into instructions, so an injection attempt is corrected like any other sentence.
 */
import { z } from 'zod';
import { containsProfanity, maskProfanity } from '../core/validation/profanity';
import { redactPii } from '../core/validation/pii';
import { countTokens } from '../core/validation/tokens';
import type { PiiType } from '../core/validation/types';
import { ApiError } from './errors';

export interface SafetyPolicy {
  maxChars: number;
  maxTokens: number;
  profanity: 'mask' | 'refuse';
}

export interface ScreenedText {
  /** What the model sees and the database stores: PII replaced by [EMAIL]-style placeholders, profanity masked. */
  text: string;
  redactions: { type: PiiType; start: number; end: number }[];
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
  const { text: redacted, redactions } = redactPii(raw);
  let text = redacted;
  let profanityMasked = false;
  if (containsProfanity(text)) {
    if (policy.profanity === 'refuse') throw new ApiError(422, 'profanity_refused', `${field}: contains profanity, which this server is configured to refuse`, undefined, field);
    text = maskProfanity(text);
    profanityMasked = true;
  }
  return { text, redactions, profanityMasked };
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
