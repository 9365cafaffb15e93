/**
 * Cooperative yielding for loops that must stay on the event loop (they hold live objects: a
 * database, a vector index): call the returned function once per item; every `budgetMs` of
 * computing it lets timers and I/O run (the worker completes workflow tasks and heartbeats there).
 * Pure CPU work that can move belongs in the engine pool instead (adapters/engine-pool/pool.ts functions()).
 */
export function loopYielder(budgetMs = 20): () => Promise<void> | void {
  let last = performance.now();
  return () => {
    if (performance.now() - last < budgetMs) return;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        last = performance.now();
        resolve();
      }),
    );
  };
}
