/**
 * The project's seeded PRNG (mulberry32): small, fast and the same on every platform, so a seed
 * reproduces generated data exactly. Not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` items of `items` drawn without replacement for `seed`, in their original order (all when k ≥ length). */
export function seededSample<T>(items: readonly T[], k: number, seed: number): T[] {
  if (k >= items.length) return [...items];
  const rand = mulberry32(seed);
  const idx = items.map((_, i) => i);
  // partial Fisher–Yates: the first k slots are a uniform sample
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b).map((i) => items[i]);
}
