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
import type { Metrics } from '../metrics';
import type { ModelRouter } from '../router';
import { parseBody } from '../safety';

export const reloadRequestSchema = z.strictObject({
  modelName: z.string().min(1).optional(),
  version: z.string().regex(/^\d+$/, 'must be an MLflow model version number such as "3"').optional(),
});

export function adminRoutes(app: FastifyInstance, ctx: { router: ModelRouter; metrics: Metrics; adminKey: string | undefined }) {
  const guard = requireAdmin(ctx.adminKey);
  app.post('/admin/reload', { onRequest: guard }, async (req) => {
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

  app.get('/admin/status', { onRequest: guard }, async () => ctx.router.status());
}
