/**
 * The serving API: Fastify with the safety layer, model routing, storage and metrics wired in.
 * `startServingApi` is what `serve/main.ts`, the stack and the tests start.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import secureJson from 'secure-json-parse';
import type { DataSource } from 'typeorm';
import { type Config, endpoints, parseApiKeys } from '../config';
import { MlflowClient } from '../adapters/mlflow';
import { redactPii } from '../core/validation/pii';
import { PROJECT_ROOT, SERVE_PUBLIC_DIR } from '../config/paths';
import { openDatabase } from '../entities/data-source';
import { ClientIdentity } from './auth';
import { followChampion, recordServedModel } from './champion';
import { DashboardData } from './dashboard';
import { ApiError, toApiError } from './errors';
import { createMetrics, type Metrics, observeEngines } from './metrics';
import { registerOpenApi } from './openapi';
import { ModelRouter } from './router';
import { adminRoutes } from './routes/admin';
import { correctionRoutes } from './routes/corrections';
import { dashboardRoutes } from './routes/dashboard';
import { feedbackRoutes } from './routes/feedback';
import { healthRoutes } from './routes/health';
import { openaiRoutes } from './routes/openai';
import { safetyPolicy } from './safety';
import { ServingStore } from './store';

export interface ServingApiOptions {
  /** Port to listen on (default config.apiPort; 0 picks a free one). */
  port?: number;
  host?: string;
  /** An open database to use (left open on close); default: open config's database, migrated. */
  db?: DataSource;
  /** Fastify/pino logger level, or false for none (default 'info'). */
  logLevel?: string | false;
  /** Where log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
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

const PUBLIC_DIR = SERVE_PUBLIC_DIR;
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** decodeURIComponent, or the text as it is when it is malformed. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The path a request is routed by: the matched route's pattern, or for unmatched and CORS preflight
 * requests the decoded URL path ("/%61dmin/…" routes to /admin/…, so the raw URL cannot be trusted).
 */
function routePath(req: FastifyRequest): string {
  const route = req.routeOptions.url;
  return route && route !== '*' ? route : safeDecode(req.url.split('?')[0]);
}
const isAdmin = (req: FastifyRequest) => /^\/admin(\/|$)/.test(routePath(req));

/** API_TRUST_PROXY as Fastify's trustProxy: unset → trust no proxy; "true" → any; else the listed addresses. */
function trustProxy(v: string | undefined): boolean | string[] {
  if (!v) return false;
  if (v.trim() === 'true') return true;
  return v.split(',').map((a) => a.trim()).filter(Boolean);
}

export async function startServingApi(config: Config, opts: ServingApiOptions = {}): Promise<ServingApi> {
  const e = endpoints(config);
  const ownsDb = !opts.db;
  const db = opts.db ?? (await openDatabase(e.databaseUrl, { poolSize: 8 }));
  const policy = safetyPolicy(config);
  const metrics = createMetrics();
  const store = new ServingStore(db);
  const identity = new ClientIdentity(parseApiKeys(config.apiKeys ?? '').keys, config.apiRateLimit);
  const app = Fastify({
    genReqId: () => randomUUID(),
    trustProxy: trustProxy(config.apiTrustProxy),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: Math.max(64 * 1024, config.apiMaxChars * 8),
    logger:
      opts.logLevel === false
        ? false
        : {
            level: opts.logLevel ?? 'info',
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            // The log gets no client address, and URLs (a query string can carry anything) are redacted.
            serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: redactPii(safeDecode(req.url.replace(/\+/g, ' '))).text }) },
          },
  });
  const mlflow = new MlflowClient(e.mlflowUrl);
  const router = new ModelRouter(mlflow, config.mlflowModelName, e.modelsDir, app.log, opts.championRetryMs, config);
  observeEngines(metrics, router.engines);

  try {
    // JSON must be valid UTF-8: Node would otherwise swap bad bytes for U+FFFD and correct garbage.
    // Keys that could change object prototypes are refused by name (Fastify's own parser calls
    // them "invalid JSON").
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    app.removeAllContentTypeParsers(); // JSON only: text/plain and others get 415
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(new ApiError(400, 'invalid_utf8', 'the body is not valid UTF-8; send text encoded as UTF-8'), undefined);
      }
      if (text.trim() === '') return done(new ApiError(400, 'invalid_json', 'the body is empty: send a JSON object'), undefined);
      try {
        done(null, secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
      } catch (e) {
        if (/forbidden prototype property/i.test((e as Error).message)) {
          return done(new ApiError(400, 'forbidden_key', 'the body contains a "__proto__" or "constructor.prototype" key, which this server refuses; remove it'), undefined);
        }
        done(new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`), undefined);
      }
    });

    await registerOpenApi(app, PACKAGE_VERSION);
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

    // CORS: public routes for the configured origins only (unset: same origin, no CORS headers);
    // admin routes never, whatever the origin.
    const origins = config.apiCorsOrigins ?? [];
    await app.register(cors, {
      delegator: (req, cb) =>
        cb(null, {
          origin: isAdmin(req) || origins.length === 0 ? false : origins.includes('*') ? '*' : origins,
          methods: ['GET', 'POST', 'OPTIONS'],
          allowedHeaders: ['content-type', 'authorization'],
          exposedHeaders: ['x-request-id', 'retry-after'],
        }),
    });
    await app.register(rateLimit, {
      global: true,
      max: (req) => identity.of(req).quota,
      timeWindow: 60_000,
      keyGenerator: (req) => identity.of(req).id,
      allowList: (req) => !(routePath(req).startsWith('/v1/') || isAdmin(req)),
      errorResponseBuilder: (_req, c) => new ApiError(429, 'rate_limited', `rate limit: ${c.max} requests per minute for this client (IP, or API key from API_KEYS); retry in ${c.after}`),
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
    recordServedModel(metrics, router);
    const stopFollowing = followChampion(router, metrics, config.servingChampionPoll, app.log);
    app.addHook('onClose', async () => stopFollowing());

    const ctx = { router, store, metrics, policy, identity, defaultLanguage: config.reasonLanguage };
    correctionRoutes(app, ctx);
    openaiRoutes(app, ctx);
    feedbackRoutes(app, ctx);
    adminRoutes(app, { router, metrics, adminKey: config.apiAdminKey });
    healthRoutes(app, ctx);
    dashboardRoutes(app, new DashboardData(db, config, () => router.engines.status()));

    const host = opts.host ?? config.bindHost;
    const port = opts.port ?? config.apiPort;
    await app.listen({ host, port }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use: stop the process using it, or set API_PORT to a free port`);
      if (e.code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${host}: not an address of this machine (CORRECTLY_BIND_HOST)`);
      throw e;
    });
    const addr = app.server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shownHost}:${bound}`,
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
