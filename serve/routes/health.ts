/**
 * Liveness, readiness and Prometheus metrics.
 * Ready: the database answers and at least one engine thread can correct now (it has built the
 * serving engine and is alive); otherwise 503 with the reason, e.g. while the pool replaces a
 * crashed thread and no other one is ready. /healthz only says the process answers: it never
 * waits for a correction (those run in the engine threads).
 */
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
    if (!model.engines.ready) {
      reply.code(503);
      return { status: 'not_ready', reason: model.engines.reason, model };
    }
    return { status: 'ready', model };
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
