/**
 * The serving API: Fastify with the safety layer, model routing, storage and metrics wired in.
 * `startServingApi` is what `serve/main.ts`, the stack and the tests start.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { type Config, endpoints } from '../core/config';
import { MlflowClient } from '../core/mlflow';
import { PROJECT_ROOT } from '../core/stack/index';
import { openDatabase } from '../entities/data-source';
import { clientId } from './auth';
import { DashboardData } from './dashboard';
import { ApiError, toApiError } from './errors';
import { createMetrics, type Metrics, observeEngines } from './metrics';
import { ModelRouter } from './router';
import { adminRoutes } from './routes/admin';
import { correctionRoutes } from './routes/corrections';
import { dashboardRoutes } from './routes/dashboard';
import { feedbackRoutes } from './routes/feedback';
import { healthRoutes } from './routes/health';
import { openaiRoutes } from './routes/openai';
import type { SafetyPolicy } from './safety';
import { ServingStore } from './store';

export interface ServingApiOptions {
  /** Port to listen on (default config.apiPort; 0 picks a free one). */
  port?: number;
  host?: string;
  /** An open database to use (left open on close); default: open config's database, migrated. */
  db?: DataSource;
  /** Fastify/pino logger level, or false for none (default 'info'). */
  logLevel?: string | false;
  /** How often to retry loading the champion after a failure (default 10 s). */
  championRetryMs?: number;
}

export interface ServingApi {
  url: string;
  app: FastifyInstance;
  router: ModelRouter;
  metrics: Metrics;
  close(): Promise<void>;
}

const PUBLIC_DIR = path.join(PROJECT_ROOT, 'serve/public');

export async function startServingApi(config: Config, opts: ServingApiOptions = {}): Promise<ServingApi> {
  const e = endpoints(config);
  const ownsDb = !opts.db;
  const db = opts.db ?? (await openDatabase(e.databaseUrl, { poolSize: 8 }));
  const policy: SafetyPolicy = { maxChars: config.apiMaxChars, maxTokens: config.apiMaxTokens, profanity: config.apiProfanity };
  const metrics = createMetrics();
  const store = new ServingStore(db);
  const app = Fastify({
    genReqId: () => randomUUID(),
    requestIdLogLabel: 'requestId',
    bodyLimit: Math.max(64 * 1024, config.apiMaxChars * 8),
    logger: opts.logLevel === false ? false : { level: opts.logLevel ?? 'info' },
  });
  const mlflow = new MlflowClient(e.mlflowUrl);
  const router = new ModelRouter(mlflow, config.mlflowModelName, e.modelsDir, app.log, opts.championRetryMs, config);
  observeEngines(metrics, router.engines);

  try {
    // JSON must be valid UTF-8: Node would otherwise swap bad bytes for U+FFFD and correct garbage.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    app.removeAllContentTypeParsers(); // JSON only: text/plain and others get 415
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(new ApiError(400, 'invalid_utf8', 'the body is not valid UTF-8; send text encoded as UTF-8'), undefined);
      }
      parseJson(req, text, done);
    });

    app.addHook('onRequest', async (req, reply) => {
      reply.header('x-request-id', req.id);
    });
    app.addHook('onResponse', async (req, reply) => {
      metrics.httpRequests.inc({ route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) });
    });
    app.setErrorHandler((err, req, reply) => {
      const api = toApiError(err);
      if (api.statusCode >= 500) req.log.error({ err }, 'request failed');
      metrics.refusals.inc({ code: api.code });
      reply.code(api.statusCode).send(api.toJSON());
    });
    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send(new ApiError(404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`).toJSON());
    });

    const origins = config.apiCorsOrigins.trim();
    await app.register(cors, {
      origin: origins === '*' ? '*' : origins.split(',').map((o) => o.trim()),
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization'],
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
    await app.register(rateLimit, {
      global: true,
      max: config.apiRateLimit,
      timeWindow: 60_000,
      keyGenerator: clientId,
      allowList: (req) => !(req.url.startsWith('/v1/') || req.url.startsWith('/admin/')),
      errorResponseBuilder: (_req, c) => new ApiError(429, 'rate_limited', `rate limit: ${c.max} requests per minute per API key (or IP); retry in ${c.after}`),
    });
    await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/', index: ['index.html'], wildcard: false });
    // The chart library, straight from node_modules: no build step.
    await app.register(fastifyStatic, {
      root: path.join(PROJECT_ROOT, 'node_modules/chart.js/dist'),
      prefix: '/vendor/chart.js/',
      decorateReply: false,
      allowedPath: (p) => p === '/chart.umd.min.js',
    });

    await router.start();
    const s = router.status();
    metrics.modelVersion.set({ model: s.modelName, version: s.modelVersion ?? 'none', engine: s.engine }, 1);

    const ctx = { router, store, metrics, policy, defaultLanguage: config.reasonLanguage };
    correctionRoutes(app, ctx);
    openaiRoutes(app, ctx);
    feedbackRoutes(app, ctx);
    adminRoutes(app, { router, metrics, adminKey: config.apiAdminKey });
    healthRoutes(app, ctx);
    dashboardRoutes(app, new DashboardData(db, config, () => router.engines.status()));

    const host = opts.host ?? config.bindHost;
    await app.listen({ host, port: opts.port ?? config.apiPort });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.apiPort;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shownHost}:${port}`,
      app,
      router,
      metrics,
      async close() {
        await app.close(); // waits for in-flight requests
        await router.close();
        if (ownsDb) await db.destroy();
      },
    };
  } catch (err) {
    await app.close().catch(() => {});
    await router.close().catch(() => {});
    if (ownsDb) await db.destroy().catch(() => {});
    throw err;
  }
}
