/**
 * POST /admin/reload — the deploy stage's contract (activities/registry.ts deployChampion):
 * body {modelName, version?}, Bearer CORRECTLY_ADMIN_KEY; 200 {modelVersion} once that version
 * serves, 401/403 on a missing or wrong key.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth';
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
  app.post('/admin/reload', { preHandler: guard }, async (req) => {
    const body = parseBody(reloadRequestSchema, req.body ?? {});
    try {
      const r = await ctx.router.reload(body.modelName ?? ctx.router.modelName, body.version);
      ctx.metrics.reloads.inc({ outcome: 'ok' });
      const s = ctx.router.status();
      ctx.metrics.modelVersion.reset();
      ctx.metrics.modelVersion.set({ model: s.modelName, version: s.modelVersion ?? 'none', engine: s.engine }, 1);
      return { modelName: s.modelName, modelVersion: r.modelVersion, engine: s.engine };
    } catch (e) {
      ctx.metrics.reloads.inc({ outcome: 'failed' });
      throw toApiError(e);
    }
  });

  app.get('/admin/status', { preHandler: guard }, async () => ctx.router.status());
}
