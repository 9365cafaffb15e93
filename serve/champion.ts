/**
 * Serving follows the registry: every SERVING_CHAMPION_POLL the API asks MLflow where the
 * `champion` alias points and switches to it (the router loads the new version completely before
 * it serves a request). So promoting, or rolling back by moving the alias in MLflow, reaches
 * serving without any admin endpoint or shared secret; /admin/reload (with CORRECTLY_ADMIN_KEY)
 * only makes the switch immediate.
 */
import { ApiError } from './errors';
import type { Metrics } from './metrics';
import type { ModelRouter } from './router';

type Log = { info(msg: string): void; warn(msg: string): void };

/** Puts the served model on the `correctly_model_info` gauge (after start and every switch). */
export function recordServedModel(metrics: Metrics, router: ModelRouter): void {
  const s = router.status();
  metrics.modelVersion.reset();
  metrics.modelVersion.set({ model: s.modelName, version: s.modelVersion ?? 'none', engine: s.engine }, 1);
}

/** Starts polling the champion alias; returns the stop function. `everyMs` 0: no polling. */
export function followChampion(router: ModelRouter, metrics: Metrics, everyMs: number, log: Log): () => void {
  if (!everyMs) return () => {};
  let busy = false;
  let lastProblem = '';
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    const before = router.status().modelVersion;
    try {
      await router.reload(router.modelName);
      lastProblem = '';
      if (router.status().modelVersion !== before) {
        metrics.reloads.inc({ outcome: 'followed' });
        recordServedModel(metrics, router);
      }
    } catch (e) {
      // No champion yet is normal; anything else is said once, not every poll.
      const problem = e instanceof ApiError && e.code === 'model_version_not_found' ? '' : (e as Error).message;
      if (problem && problem !== lastProblem) log.warn(`following the champion alias: ${problem}`);
      lastProblem = problem;
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
