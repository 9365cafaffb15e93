/** Polling for tests: waits on state (progress queries, rows, heartbeats), never on time alone. */

export interface WaitOptions {
  /** Give up after this long (default 240 s). */
  timeoutMs?: number;
  /** Pause between probes (default 200 ms). */
  intervalMs?: number;
  /** Errors that end the wait at once; others are remembered and the probe is retried (a server may be restarting). */
  isFatal?: (err: unknown) => boolean;
}

/**
 * Polls `probe` until it returns something other than undefined, null or false, and returns it.
 * `what` names the wait in the failure message, with the probe's last error if it had one.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (err) {
      if (opts.isFatal?.(err)) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
