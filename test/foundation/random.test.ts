import { describe, expect, it } from 'vitest';
import { mulberry32, seededSample } from '../../core/random';

describe('the seeded PRNG and sampling', () => {
  it('mulberry32 repeats for a seed and differs between seeds', () => {
    const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('seededSample draws k distinct items in their original order, the same for a seed', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const s = seededSample(items, 10, 3);
    expect(s).toHaveLength(10);
    expect(new Set(s).size).toBe(10);
    expect([...s].sort((x, y) => x - y)).toEqual(s);
    expect(seededSample(items, 10, 3)).toEqual(s);
    expect(seededSample(items, 10, 4)).not.toEqual(s);
  });

  it('seededSample keeps everything when k covers the list, and nothing for k = 0', () => {
    expect(seededSample(['a', 'b'], 5, 1)).toEqual(['a', 'b']);
    expect(seededSample(['a', 'b'], 0, 1)).toEqual([]);
  });

  it('every item is about equally likely to be drawn', () => {
    const counts = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const i of seededSample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, seed)) counts[i]++;
    // 600 expected each; binomial sd ≈ 20
    for (const n of counts) expect(Math.abs(n - 600)).toBeLessThan(100);
  });
});
