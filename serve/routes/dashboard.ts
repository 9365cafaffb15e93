/** GET /v1/dashboard (JSON) and /dashboard (the page, drawn from that JSON). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DashboardData } from '../dashboard';
import { parseBody } from '../safety';

const querySchema = z.strictObject({
  hours: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
});

export function dashboardRoutes(app: FastifyInstance, data: DashboardData) {
  app.get('/v1/dashboard', async (req) => data.build(parseBody(querySchema, req.query)));
  app.get('/dashboard', async (_req, reply) => reply.sendFile('dashboard.html'));
  app.addHook('onClose', async () => data.close());
}
