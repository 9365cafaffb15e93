/**
 * POST /v1/corrections: the product's own REST endpoint. The answer carries a `feedbackToken`:
 * whoever holds it (and only they) may rate this correction through POST /v1/feedback.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reasonLanguageSchema } from '../../core/engines';
import { type ClientIdentity, newFeedbackToken } from '../auth';
import { parseBody } from '../safety';
import { type CorrectionContext, type CorrectionResponse, correctOne } from '../service';

export const correctionRequestSchema = z.strictObject({
  text: z.string({ error: (i) => (i.input === undefined ? 'required: the sentence to correct' : `must be a string, not ${typeOf(i.input)}`) }),
  reasonLanguage: reasonLanguageSchema.optional(),
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

export function correctionRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post('/v1/corrections', async (req) => {
    const body = parseBody(correctionRequestSchema, req.body);
    return correctForRequest(ctx, req, 'corrections', body.text, body.reasonLanguage ?? ctx.defaultLanguage);
  });
}
