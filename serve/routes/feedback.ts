/** POST /v1/feedback: thumbs up/down on a served correction, optionally a better one. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { Metrics } from '../metrics';
import { parseBody, type SafetyPolicy, screenText } from '../safety';
import type { ServingStore } from '../store';

export const feedbackRequestSchema = z.strictObject({
  requestId: z.string().uuid('must be the requestId of a correction (a UUID)'),
  rating: z.enum(['up', 'down'], { error: 'must be "up" or "down"' }),
  betterCorrection: z.string().nullish(),
  comment: z.string().max(2000, 'at most 2000 characters').nullish(),
});

export function feedbackRoutes(app: FastifyInstance, ctx: { store: ServingStore; metrics: Metrics; policy: SafetyPolicy }) {
  app.post('/v1/feedback', async (req, reply) => {
    const body = parseBody(feedbackRequestSchema, req.body);
    // Free text goes through the same safety layer as requests: stored redacted.
    const clean = (v: string | null | undefined, field: string) => (v == null || v.trim() === '' ? null : screenText(v, ctx.policy, field).text);
    const betterCorrection = clean(body.betterCorrection, 'betterCorrection');
    const comment = clean(body.comment, 'comment');
    if (!(await ctx.store.requestExists(body.requestId))) {
      throw new ApiError(404, 'unknown_request', `requestId ${body.requestId}: no correction with this id`, undefined, 'requestId');
    }
    const saved = await ctx.store.saveFeedback({ requestId: body.requestId, rating: body.rating, betterCorrection, comment });
    ctx.metrics.feedback.inc({ rating: body.rating });
    reply.code(201);
    return { id: saved.id, requestId: saved.requestId, rating: saved.rating, betterCorrection: saved.betterCorrection, comment: saved.comment };
  });
}
