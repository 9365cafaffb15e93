import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../core/eval/bootstrap';
import { loadJfleg } from './jfleg';

describe('paired bootstrap', () => {
  it('a system against itself: zero difference, degenerate interval', () => {
    const src = ['he go to school .', 'i has a cat .', 'she like apples .'];
    const refs = [['he goes to school .', 'i have a cat .', 'she likes apples .']];
    const r = pairedBootstrap({ sources: src, references: refs, a: src, b: src, samples: 200 });
    expect(r.delta).toBe(0);
    expect(r.ci).toEqual([0, 0]);
    expect(r.pBetter).toBe(0);
  });

  it('on JFLEG dev, a reference beats the source with an interval above zero, and is deterministic', () => {
    const j = loadJfleg();
    const input = { sources: j.src, references: [j.refs[1], j.refs[2], j.refs[3]], a: j.refs[0], b: j.src, samples: 300 };
    const r = pairedBootstrap(input);
    expect(r.delta).toBeGreaterThan(0.1);
    expect(r.ci[0]).toBeGreaterThan(0);
    expect(r.ci[0]).toBeLessThanOrEqual(r.delta);
    expect(r.ci[1]).toBeGreaterThanOrEqual(r.delta - 0.05);
    expect(r.pBetter).toBe(1);
    expect(pairedBootstrap(input)).toEqual(r);
  });

  it('rejects mismatched lengths', () => {
    expect(() => pairedBootstrap({ sources: ['a'], references: [['a', 'b']], a: ['a'], b: ['a'] })).toThrow(/one line per source/);
  });
});
