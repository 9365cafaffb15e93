/** POST /v1/corrections: the product's own REST endpoint. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reasonLanguageSchema } from '../../core/engines';
import { clientId } from '../auth';
import { parseBody } from '../safety';
import { type CorrectionContext, correctOne } from '../service';

export const correctionRequestSchema = z.strictObject({
  text: z.string({ error: (i) => (i.input === undefined ? 'required: the sentence to correct' : `must be a string, not ${typeOf(i.input)}`) }),
  reasonLanguage: reasonLanguageSchema.optional(),
});

export function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function correctionRoutes(app: FastifyInstance, ctx: CorrectionContext & { defaultLanguage: 'ko' | 'en' }) {
  app.post('/v1/corrections', async (req) => {
    const body = parseBody(correctionRequestSchema, req.body);
    return correctOne(ctx, { requestId: req.id, client: clientId(req), endpoint: 'corrections' }, body.text, body.reasonLanguage ?? ctx.defaultLanguage);
  });
}
