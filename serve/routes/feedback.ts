/**
 * POST /v1/feedback: thumbs up/down on a served correction, optionally a better one. Only the
 * holder of the correction's feedback token (returned with it, stored only as a hash) may rate it;
 * rating again updates the one feedback row (200) instead of adding another (201 the first time).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { feedbackTokenHash, sameHash } from '../auth';
import { ApiError } from '../errors';
import type { Metrics } from '../metrics';
import { errorResponses } from '../openapi';
import { parseBody, type SafetyPolicy, screenText } from '../safety';
import type { ServingStore } from '../store';

export const feedbackRequestSchema = z.strictObject({
  requestId: z.string().uuid('must be the requestId of a correction (a UUID)'),
  feedbackToken: z
    .string({ error: (i) => (i.input === undefined ? 'required: the feedbackToken returned with the correction' : 'must be a string') })
    .min(16, 'must be the feedbackToken returned with the correction')
    .max(200, 'must be the feedbackToken returned with the correction'),
  rating: z.enum(['up', 'down'], { error: 'must be "up" or "down"' }),
  betterCorrection: z.string().nullish(),
  comment: z.string().max(2000, 'at most 2000 characters').nullish(),
});

export const feedbackResponseSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  rating: z.enum(['up', 'down']),
  betterCorrection: z.string().nullable(),
  comment: z.string().nullable(),
  updated: z.boolean(),
});

export function feedbackRoutes(app: FastifyInstance, ctx: { store: ServingStore; metrics: Metrics; policy: SafetyPolicy }) {
  const schema = { operationId: 'rateCorrection', summary: 'Rate a correction (with its feedback token)', body: feedbackRequestSchema, response: { 200: feedbackResponseSchema, 201: feedbackResponseSchema, ...errorResponses } };
  app.post('/v1/feedback', { schema }, async (req, reply) => {
    const body = parseBody(feedbackRequestSchema, req.body);
    // Free text goes through the same safety layer as requests: stored redacted.
    const clean = (v: string | null | undefined, field: string) => (v == null || v.trim() === '' ? null : screenText(v, ctx.policy, field).text);
    const betterCorrection = clean(body.betterCorrection, 'betterCorrection');
    const comment = clean(body.comment, 'comment');
    const stored = await ctx.store.feedbackTokenHash(body.requestId);
    if (stored === undefined) throw new ApiError(404, 'unknown_request', `requestId ${body.requestId}: no correction with this id`, undefined, 'requestId');
    if (!stored || !sameHash(stored, feedbackTokenHash(body.feedbackToken))) {
      throw new ApiError(403, 'invalid_feedback_token', 'feedbackToken: not the token returned with this correction', undefined, 'feedbackToken');
    }
    const { feedback, created } = await ctx.store.saveFeedback({ requestId: body.requestId, rating: body.rating, betterCorrection, comment });
    ctx.metrics.feedback.inc({ rating: body.rating });
    reply.code(created ? 201 : 200);
    return { id: feedback.id, requestId: feedback.requestId, rating: feedback.rating, betterCorrection: feedback.betterCorrection, comment: feedback.comment, updated: !created };
  });
}
