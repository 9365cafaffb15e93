/**
 * POST /v1/corrections: the product's own REST endpoint. The answer carries a `feedbackToken`:
 * whoever holds it (and only they) may rate this correction through POST /v1/feedback.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { editTypeSchema, reasonLanguageSchema } from '../../core/engines';
import { PII_TYPES } from '../../core/validation/types';
import { type ClientIdentity, newFeedbackToken } from '../auth';
import { errorResponses } from '../openapi';
import { parseBody } from '../safety';
import { type CorrectionContext, type CorrectionResponse, correctOne } from '../service';

export const correctionRequestSchema = z.strictObject({
  text: z.string({ error: (i) => (i.input === undefined ? 'required: the sentence to correct' : `must be a string, not ${typeOf(i.input)}`) }),
  reasonLanguage: reasonLanguageSchema.optional(),
});

const offset = z.number().int().nonnegative();
export const correctionResponseSchema = z.object({
  requestId: z.string().uuid(),
  /** The text the model corrected (PII as placeholders, profanity masked); edit offsets point into it. */
  input: z.string(),
  corrected: z.string(),
  reason: z.string(),
  edits: z.array(z.object({ start: offset, end: offset, before: z.string(), after: z.string(), type: editTypeSchema, reason: z.string().optional() })),
  modelVersion: z.string().nullable(),
  engine: z.string(),
  fallback: z.boolean(),
  latencyMs: z.number().nonnegative(),
  /** Each placeholder's offsets in `input`, and where the value was in the text sent (`source`). */
  redactions: z.array(z.object({ type: z.enum(PII_TYPES), start: offset, end: offset, source: z.object({ start: offset, end: offset }) })),
  profanityMasked: z.boolean(),
  /** Send it with POST /v1/feedback: only its holder may rate this correction. */
  feedbackToken: z.string(),
});

export function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export interface RouteContext extends CorrectionContext {
  identity: ClientIdentity;
  defaultLanguage: 'ko' | 'en';
}

/** One correction for a route: who asked, a fresh feedback token (its hash stored with the request). */
export async function correctForRequest(
  ctx: RouteContext,
  req: { id: string } & Parameters<ClientIdentity['of']>[0],
  endpoint: string,
  text: string,
  language: 'ko' | 'en',
  field?: string,
): Promise<CorrectionResponse & { feedbackToken: string }> {
  const { token, hash } = newFeedbackToken();
  const r = await correctOne(ctx, { requestId: req.id, client: ctx.identity.of(req).id, endpoint, feedbackTokenHash: hash }, text, language, field);
  return { ...r, feedbackToken: token };
}

/**
 * For the OpenAPI document only: what the safety layer accepts as a text (not blank, no control
 * characters, at most API_MAX_CHARS; also at most API_MAX_TOKENS tokens). The handler's checks
 * answer with their own codes (empty_text, binary_content, text_too_long…), so they stay there.
 */
export function documentedText(maxChars: number, maxTokens: number) {
  const plain = '[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]';
  return z.string().meta({
    minLength: 1,
    maxLength: maxChars,
    pattern: `^${plain}*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]${plain}*$`,
    description: `The text to correct: not blank, no control characters, at most ${maxChars} characters and ${maxTokens} o200k_base tokens`,
  });
}

export function correctionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const schema = {
    operationId: 'correct',
    summary: 'Correct one text',
    body: correctionRequestSchema.extend({ text: documentedText(ctx.policy.maxChars, ctx.policy.maxTokens) }),
    response: { 200: correctionResponseSchema, ...errorResponses },
  };
  // The feedback token in the answer is what POST /v1/feedback needs (OpenAPI link, for clients and fuzzers).
  const links = { 200: { rate: { operationId: 'rateCorrection', requestBody: { requestId: '$response.body#/requestId', feedbackToken: '$response.body#/feedbackToken', rating: 'down' } } } };
  app.post('/v1/corrections', { schema, links }, async (req) => {
    const body = parseBody(correctionRequestSchema, req.body);
    return correctForRequest(ctx, req, 'corrections', body.text, body.reasonLanguage ?? ctx.defaultLanguage);
  });
}
