/** Prometheus metrics of one API instance (its own registry, so several can share a process in tests). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
