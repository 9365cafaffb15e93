/**
 * A fetch that retries what is worth retrying — HTTP 429, 408 and 5xx, and connection failures —
 * with exponential back-off and full jitter, waiting at least what the server's `Retry-After`
 * (seconds or an HTTP date) or `retry-after-ms` header asks. Both SDKs (openai, ollama) accept a
 * custom fetch, so one policy serves both; their own retries are turned off.
 *
 * Waits end early when the signal aborts. When the retries are spent, the last response is
 * returned as it is, so the SDK raises its usual error for it.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First back-off (default 500 ms); doubles each retry, with full jitter. */
  baseDelayMs?: number;
  /** Cap of one back-off (default 20 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the response is returned (default 120 s). */
  maxRetryAfterMs?: number;
  /** Called before each wait, e.g. for logs and tests. */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error?: string }) => void;
  /** Random source in [0, 1) for the jitter (tests pass a constant). */
  random?: () => number;
}

const RETRY_STATUS = (s: number) => s === 408 || s === 429 || s >= 500;

/** Milliseconds the server asks us to wait, or undefined. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const ra = headers.get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `fetch` with the retry policy. `signal` (e.g. the call's deadline merged with the caller's
 * cancellation) is combined with the one the SDK passes.
 */
export function retryingFetch(policy: RetryPolicy = {}, signal?: AbortSignal): typeof fetch {
  const maxRetries = policy.maxRetries ?? 4;
  const base = policy.baseDelayMs ?? 500;
  const cap = policy.maxDelayMs ?? 20_000;
  const maxRetryAfter = policy.maxRetryAfterMs ?? 120_000;
  const random = policy.random ?? Math.random;
  return async (input, init = {}) => {
    const signals = [init.signal, signal].filter((s): s is AbortSignal => !!s);
    const merged = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(input, { ...init, signal: merged });
      } catch (e) {
        // An abort is final; a connection failure (refused, reset) is retried.
        if (merged?.aborted || attempt >= maxRetries) throw e;
        const delayMs = Math.min(cap, base * 2 ** attempt) * random();
        policy.onRetry?.({ attempt: attempt + 1, delayMs, error: (e as Error).message });
        await sleep(delayMs, merged);
        continue;
      }
      if (!RETRY_STATUS(res.status) || attempt >= maxRetries) return res;
      const asked = retryAfterMs(res.headers);
      if (asked !== undefined && asked > maxRetryAfter) return res;
      const backoff = Math.min(cap, base * 2 ** attempt) * random();
      const delayMs = Math.max(asked ?? 0, backoff);
      await res.body?.cancel().catch(() => {});
      policy.onRetry?.({ attempt: attempt + 1, delayMs, status: res.status });
      await sleep(delayMs, merged);
    }
  };
}
