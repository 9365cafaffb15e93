/**
 * The embedder port: turns texts into fixed-size vectors for similarity search (near-duplicate
 * detection in the validate stage). Implementations: `LocalHashEmbedder` (offline, deterministic,
 * the default); remote model-backed embedders can implement the same interface.
 */

export interface Embedder {
  /** Identifies the model and its settings; stored with the vectors so incompatible indexes are detected. */
  readonly name: string;
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** One vector per text, in order. Vectors are L2-normalised, so cosine similarity is their dot product. */
  embed(texts: string[]): Promise<number[][]>;
}

/** Dot product of two equal-length vectors (cosine similarity when both are unit vectors). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Cosine similarity of two vectors of any length (0 when either is the zero vector). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vectors differ in length: ${a.length} vs ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Scales `v` in place to unit length (leaves the zero vector alone) and returns it. */
export function l2Normalize<T extends { length: number; [i: number]: number }>(v: T): T {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  if (ss > 0) {
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}
