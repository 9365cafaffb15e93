/**
 * One correction, end to end, for every endpoint that corrects (REST and OpenAI-compatible):
 * safety layer → routed model (champion, or the base engine as fallback) → stored redacted → metrics.
 * A request the engines could not answer (503: crash, time limit, overload) is stored too, as a
 * fallback with engine `unavailable` and its text unchanged, so the dashboard's and the drift
 * check's fallback rates count it.
 */
import { performance } from 'node:perf_hooks';
import type { Edit, ReasonLanguage } from '../core/engines';
import type { Metrics } from './metrics';
import type { ModelRouter } from './router';
import { type SafetyPolicy, screenText } from './safety';
import type { ServingStore } from './store';
import { ApiError } from './errors';

export interface CorrectionResponse {
  requestId: string;
  /** The text the model corrected (PII as placeholders, profanity masked); edit offsets point into it. */
  input: string;
  corrected: string;
  reason: string;
  edits: Pick<Edit, 'start' | 'end' | 'before' | 'after' | 'type' | 'reason'>[];
  modelVersion: string | null;
  engine: string;
  fallback: boolean;
  latencyMs: number;
  redactions: { type: string; start: number; end: number; source: { start: number; end: number } }[];
  profanityMasked: boolean;
}

export interface CorrectionContext {
  router: ModelRouter;
  store: ServingStore;
  metrics: Metrics;
  policy: SafetyPolicy;
}

export async function correctOne(
  ctx: CorrectionContext,
  req: { requestId: string; client: string; endpoint: string; feedbackTokenHash?: string },
  text: string,
  reasonLanguage: ReasonLanguage,
  field = 'text',
): Promise<CorrectionResponse> {
  const t0 = performance.now();
  const screened = screenText(text, ctx.policy, field);
  for (const r of screened.redactions) ctx.metrics.redactions.inc({ type: r.type });
  const t1 = performance.now();
  let routed: Awaited<ReturnType<ModelRouter['correct']>>;
  try {
    routed = await ctx.router.correct(screened.text, { reasonLanguage });
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 503) await recordFailure(ctx, req, screened.text, reasonLanguage, e, performance.now() - t0, screened.redactions.length);
    throw e;
  }
  const t2 = performance.now();
  const c = routed.correction;
  const latencyMs = Math.round((t2 - t0) * 1000) / 1000;
  try {
    await ctx.store.saveRequest({
      id: req.requestId,
      inputRedacted: screened.text,
      output: c.corrected,
      reason: c.reason,
      engine: c.engine,
      modelVersion: c.modelVersion,
      reasonLanguage,
      latencyMs,
      fallback: routed.fallback,
      redactions: screened.redactions.length,
      client: req.client,
      feedbackTokenHash: req.feedbackTokenHash ?? null,
      // a thumbs-down marks these edits wrong evidence for the next edit scorer
      edits: c.edits.map(({ start, end, before, after, type }) => ({ start, end, before, after, type })),
    });
  } catch (e) {
    // Feedback is tied to the stored row: a correction we cannot store is not answered.
    throw new ApiError(503, 'storage_unavailable', `the request could not be recorded (${(e as Error).message.slice(0, 200)}); try again`);
  }
  ctx.metrics.corrections.inc({ engine: c.engine, model_version: c.modelVersion ?? 'none', fallback: String(routed.fallback), endpoint: req.endpoint });
  ctx.metrics.correctionLatency.observe({ engine: c.engine, fallback: String(routed.fallback) }, (t2 - t1) / 1000);
  return {
    requestId: req.requestId,
    input: screened.text,
    corrected: c.corrected,
    reason: c.reason,
    edits: c.edits.map(({ start, end, before, after, type, reason }) => ({ start, end, before, after, type, ...(reason ? { reason } : {}) })),
    modelVersion: c.modelVersion,
    engine: c.engine,
    fallback: routed.fallback,
    latencyMs,
    redactions: screened.redactions,
    profanityMasked: screened.profanityMasked,
  };
}

/** Engine name stored for requests no engine answered. */
export const UNAVAILABLE_ENGINE = 'unavailable';

async function recordFailure(ctx: CorrectionContext, req: { requestId: string; client: string; endpoint: string }, text: string, reasonLanguage: ReasonLanguage, e: ApiError, ms: number, redactions: number): Promise<void> {
  const status = ctx.router.status();
  ctx.metrics.corrections.inc({ engine: UNAVAILABLE_ENGINE, model_version: status.modelVersion ?? 'none', fallback: 'true', endpoint: req.endpoint });
  try {
    await ctx.store.saveRequest({
      id: req.requestId,
      inputRedacted: text,
      output: text,
      reason: `${e.code}: ${e.message}`.slice(0, 2000),
      engine: UNAVAILABLE_ENGINE,
      modelVersion: status.modelVersion,
      reasonLanguage,
      latencyMs: Math.round(ms * 1000) / 1000,
      fallback: true,
      redactions,
      client: req.client,
      // a request no engine answered cannot be rated: it has no feedback token
      feedbackTokenHash: null,
    });
  } catch {
    // the client gets the engine's 503 either way; a storage failure is not a second error to report
  }
}
