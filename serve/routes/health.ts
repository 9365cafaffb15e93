/** Liveness, readiness (database reachable, a corrector loaded) and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics';
import type { ModelRouter } from '../router';
import type { ServingStore } from '../store';

export function healthRoutes(app: FastifyInstance, ctx: { router: ModelRouter; store: ServingStore; metrics: Metrics }) {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const model = ctx.router.status();
    try {
      await ctx.store.ping();
    } catch (e) {
      reply.code(503);
      return { status: 'not_ready', reason: `database unreachable: ${(e as Error).message}`, model };
    }
    return { status: 'ready', model };
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
