/**
 * Errors of the LLM providers, one class per thing a caller decides on: retry later (HTTP 429/5xx
 * after our own retries), give up on this input (malformed output, too many tokens), or stop
 * (timeout, cancellation). `retryable` tells an activity whether Temporal should try again.
 */

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

/** The server answered with an error status (after the retries for 429/5xx were spent). */
export class ProviderHttpError extends ProviderError {
  constructor(provider: string, readonly status: number, detail: string, options?: { cause?: unknown }) {
    super(`${provider}: HTTP ${status}: ${detail}`, provider, status === 429 || status >= 500, options);
    this.name = 'ProviderHttpError';
  }
}

/** The model's reply did not match the schema, even after the bounded re-asks. */
export class MalformedOutputError extends ProviderError {
  constructor(provider: string, readonly attempts: number, readonly lastError: string, readonly lastOutput: string) {
    super(`${provider}: reply did not match the schema after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastError}`, provider, false);
    this.name = 'MalformedOutputError';
  }
}

/** The prompt is longer than the configured token limit; nothing was sent. */
export class TokenLimitError extends ProviderError {
  constructor(provider: string, readonly tokens: number, readonly limit: number) {
    super(`${provider}: prompt has ${tokens} tokens, over the limit of ${limit}; not sent`, provider, false);
    this.name = 'TokenLimitError';
  }
}

/** The call's deadline passed (it covers retries and back-off waits). */
export class ProviderTimeoutError extends ProviderError {
  constructor(provider: string, readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`${provider}: no complete reply within ${timeoutMs} ms`, provider, true, options);
    this.name = 'ProviderTimeoutError';
  }
}

/** The caller's AbortSignal fired. */
export class ProviderCancelledError extends ProviderError {
  constructor(provider: string, options?: { cause?: unknown }) {
    super(`${provider}: cancelled`, provider, false, options);
    this.name = 'ProviderCancelledError';
  }
}
