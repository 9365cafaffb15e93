/**
 * Admin endpoints, only with CORRECTLY_ADMIN_KEY set (see auth.ts), never CORS-enabled:
 * POST /admin/reload — body {modelName?, version?}; 200 {modelVersion} once that version serves
 *   (the deploy stage calls it when it has the key, for an immediate switch; without one serving
 *   follows the champion alias by itself, see champion.ts).
 * GET /admin/status — what the router serves.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth';
import { recordServedModel } from '../champion';
import { toApiError } from '../errors';
import { errorResponses } from '../openapi';
import type { Metrics } from '../metrics';
import type { ModelRouter } from '../router';
import { parseBody } from '../safety';

export const reloadRequestSchema = z.strictObject({
  modelName: z.string().min(1).optional(),
  version: z.string().regex(/^[1-9]\d{0,8}$/, 'must be an MLflow model version number such as "3"').optional(),
});

const engineThreadsSchema = z.object({
  ready: z.boolean(),
  reason: z.string().nullable(),
  threads: z.number().int(),
  readyThreads: z.number().int(),
  queued: z.number().int(),
  crashes: z.number().int(),
  timeouts: z.number().int(),
  overloaded: z.number().int(),
  restarts: z.number().int(),
});
const statusSchema = z.object({ modelName: z.string(), modelVersion: z.string().nullable(), engine: z.string(), unavailable: z.string().nullable(), engines: engineThreadsSchema });
const reloadResponseSchema = z.object({ modelName: z.string(), modelVersion: z.string(), engine: z.string() });
const security = [{ adminKey: [] }];

export function adminRoutes(app: FastifyInstance, ctx: { router: ModelRouter; metrics: Metrics; adminKey: string | undefined }) {
  const guard = requireAdmin(ctx.adminKey);
  const reloadSchema = { summary: 'Serve a model version now (admin key)', security, body: reloadRequestSchema, response: { 200: reloadResponseSchema, ...errorResponses } };
  app.post('/admin/reload', { onRequest: guard, schema: reloadSchema }, async (req) => {
    const body = parseBody(reloadRequestSchema, req.body ?? {});
    try {
      const r = await ctx.router.reload(body.modelName ?? ctx.router.modelName, body.version);
      ctx.metrics.reloads.inc({ outcome: 'ok' });
      recordServedModel(ctx.metrics, ctx.router);
      const s = ctx.router.status();
      return { modelName: s.modelName, modelVersion: r.modelVersion, engine: s.engine };
    } catch (e) {
      ctx.metrics.reloads.inc({ outcome: 'failed' });
      throw toApiError(e);
    }
  });

  app.get('/admin/status', { onRequest: guard, schema: { summary: 'What is served (admin key)', security, response: { 200: statusSchema, ...errorResponses } } }, async () => ctx.router.status());
}
