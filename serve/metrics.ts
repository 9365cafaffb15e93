/** Prometheus metrics of one API instance (its own registry, so several can share a process in tests). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EnginePool } from '../adapters/engine-pool/pool';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'correctly_api_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'correctly_http_requests_total',
      help: 'HTTP requests by route, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    corrections: new Counter({
      name: 'correctly_corrections_total',
      help: 'Corrections served, by engine, model version and whether Harper stood in for the model.',
      labelNames: ['engine', 'model_version', 'fallback', 'endpoint'] as const,
      registers: [registry],
    }),
    correctionLatency: new Histogram({
      name: 'correctly_correction_latency_seconds',
      help: 'Time to correct one text (model only, after the safety layer).',
      labelNames: ['engine', 'fallback'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'correctly_refusals_total',
      help: 'Requests refused, by error code (empty_text, text_too_long, profanity_refused, rate_limited, …).',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    redactions: new Counter({
      name: 'correctly_pii_redactions_total',
      help: 'PII spans redacted from requests, by type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'correctly_feedback_total',
      help: 'Feedback received, by rating.',
      labelNames: ['rating'] as const,
      registers: [registry],
    }),
    modelVersion: new Gauge({
      name: 'correctly_model_info',
      help: 'The model served: 1 for the current version label.',
      labelNames: ['model', 'version', 'engine'] as const,
      registers: [registry],
    }),
    chatTasks: new Counter({
      name: 'correctly_chat_tasks_total',
      help: 'Background task requests of chat front ends (OpenWebUI titles, follow-ups, …) answered without correcting, by task.',
      labelNames: ['task'] as const,
      registers: [registry],
    }),
    reloads: new Counter({
      name: 'correctly_model_reloads_total',
      help: 'Model switches requested through /admin/reload, by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    engineCrashes: new Counter({
      name: 'correctly_engine_crashes_total',
      help: 'Engine threads that crashed on a correction (e.g. a WASM trap) and were replaced, by engine.',
      labelNames: ['engine'] as const,
      registers: [registry],
    }),
    engineTimeouts: new Counter({
      name: 'correctly_engine_timeouts_total',
      help: 'Corrections that ran past ENGINE_TIMEOUT; their thread was stopped and replaced. By engine.',
      labelNames: ['engine'] as const,
      registers: [registry],
    }),
    engineOverloaded: new Counter({
      name: 'correctly_engine_overloaded_total',
      help: 'Corrections that waited past ENGINE_TIMEOUT for a free engine thread (answered 503), by engine.',
      labelNames: ['engine'] as const,
      registers: [registry],
    }),
    engineRestarts: new Counter({
      name: 'correctly_engine_restarts_total',
      help: 'Engine threads started in place of one that crashed or timed out.',
      registers: [registry],
    }),
  };
}

/** Counts the pool's crashes, timeouts and restarts, and exposes its threads as a gauge. */
export function observeEngines(metrics: Metrics, pool: EnginePool): void {
  pool.on((e) => {
    if (e.type === 'crash') metrics.engineCrashes.inc({ engine: e.engine });
    else if (e.type === 'timeout') metrics.engineTimeouts.inc({ engine: e.engine });
    else if (e.type === 'overloaded') metrics.engineOverloaded.inc({ engine: e.engine });
    else metrics.engineRestarts.inc();
  });
  new Gauge({
    name: 'correctly_engine_threads',
    help: 'Engine threads: alive, ready (alive and the serving engine built), and the size the pool keeps.',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const s = pool.status();
      this.set({ state: 'alive' }, s.threads);
      this.set({ state: 'ready' }, s.readyThreads);
      this.set({ state: 'size' }, pool.size);
    },
  });
}

export type Metrics = ReturnType<typeof createMetrics>;
