/**
 * Which Text Repository sentence and one-shot example each generated sample starts from. Texts
 * are drawn WITHOUT replacement over the whole run: one seeded permutation of the repository,
 * walked from each batch's offset, so a run of N samples uses N different sentences whenever the
 * repository has that many (drawing with replacement made a 600-sample run repeat ~70 sentences,
 * each repeat a near-duplicate the validate stage rejects). Examples are drawn per sample, from
 * those of the same form. Pure and deterministic: the generate activity and its tests share it.
 */
import { mulberry32 } from '../random';

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function seededPermutation(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export interface BatchDraw {
  seed: number;
  batch: number;
  /** Index of the batch's first sample in the run. */
  offset: number;
  count: number;
}

/** The text and example of every sample of a batch, in sample order. */
export function drawBatch<T extends { form: string }, E extends { form: string }>(texts: readonly T[], examples: readonly E[], b: BatchDraw): { text: T; example: E }[] {
  const order = seededPermutation(texts.length, b.seed * 7_919 + 17);
  const rand = mulberry32(b.seed * 100_003 + b.batch);
  return Array.from({ length: b.count }, (_, i) => {
    const text = texts[order[(b.offset + i) % texts.length]];
    const sameForm = examples.filter((e) => e.form === text.form);
    const pool = sameForm.length ? sameForm : examples;
    return { text, example: pool[Math.floor(rand() * pool.length)] };
  });
}
