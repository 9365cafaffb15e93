/**
 * Drift statistics against scipy 1.14.1 / numpy figures (computed with scipy.stats.ks_2samp,
 * kstwobign.sf, wasserstein_distance, numpy.histogram_bin_edges(bins='sturges') and
 * scipy.spatial.distance.jensenshannon on exactly these samples).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chiSquare, gammaQ, binnedCategorical, binnedNumeric, jensenShannon, kolmogorovSurvival, ks2samp, psi, psiBand, std, sturgesEdges, wasserstein1, wassersteinNormed } from '../../core/drift/stats';

const a = [0.61, 1.2, -0.3, 2.5, 1.1, 0.9, 0.05, 1.7, -1.2, 0.33, 0.8, 1.45];
const b = [1.9, 2.4, 0.7, 3.1, 2.2, 1.6, 2.8, 1.1, 2.05, 3.6];
const c = Array.from({ length: 60 }, (_, i) => (i * 0.37) % 5);
const d = Array.from({ length: 45 }, (_, i) => ((i * 0.53) % 5) + 0.6);

describe('Kolmogorov–Smirnov two-sample test', () => {
  it('matches scipy.stats.ks_2samp (exact method)', () => {
    const small = ks2samp(a, b);
    expect(small.method).toBe('exact');
    expect(small.statistic).toBeCloseTo(0.6333333333333333, 12);
    expect(small.pValue).toBeCloseTo(0.015306674749399209, 10);
    const mid = ks2samp(c, d);
    expect(mid.statistic).toBeCloseTo(0.15555555555555556, 12);
    expect(mid.pValue).toBeCloseTo(0.5198788293233328, 8);
    expect(ks2samp(c, c.slice(0, 30)).pValue).toBeCloseTo(0.9999999996941301, 8);
  });

  it('Kolmogorov limiting distribution matches scipy.stats.kstwobign.sf', () => {
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639452436648751, 10);
    expect(kolmogorovSurvival(1.0)).toBeCloseTo(0.26999967167735456, 10);
    expect(kolmogorovSurvival(1.36)).toBeCloseTo(0.049485876755377876, 10);
    expect(kolmogorovSurvival(2.0)).toBeCloseTo(0.0006709252557796953, 12);
  });

  it('uses the asymptotic distribution for very large samples, and agrees with the exact one in the middle', () => {
    const big = Array.from({ length: 4000 }, (_, i) => Math.sin(i) * 3);
    const big2 = Array.from({ length: 3000 }, (_, i) => Math.sin(i * 1.3) * 3 + 0.1);
    const r = ks2samp(big, big2);
    expect(r.method).toBe('asymptotic');
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1);
  });

  it('p-value is a probability and the statistic is symmetric (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), (x, y) => {
        const r1 = ks2samp(x, y);
        const r2 = ks2samp(y, x);
        expect(r1.statistic).toBeCloseTo(r2.statistic, 12);
        expect(r1.pValue).toBeGreaterThanOrEqual(0);
        expect(r1.pValue).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses empty samples', () => {
    expect(() => ks2samp([], [1])).toThrow(/non-empty/);
  });
});

describe('Wasserstein-1', () => {
  it('matches scipy.stats.wasserstein_distance and numpy std', () => {
    expect(wasserstein1(a, b)).toBeCloseTo(1.3833333333333333, 12);
    expect(wasserstein1(c, d)).toBeCloseTo(0.5116666666666674, 12);
    expect(std(a)).toBeCloseTo(0.930697169987221, 12);
    expect(wassersteinNormed(a, b)).toBeCloseTo(1.3833333333333333 / 0.930697169987221, 10);
    expect(wasserstein1(a, a)).toBe(0);
  });
  it('a constant reference is normed by 0.001 (Evidently), not divided by zero', () => {
    expect(wassersteinNormed([1, 1, 1], [1, 1, 2])).toBeCloseTo(1 / 3 / 0.001, 6);
  });
});

describe('binning, Jensen–Shannon, PSI', () => {
  it('Sturges edges and shares match numpy.histogram with empty bins at 0.0001', () => {
    const edges = sturgesEdges([...a, ...b]);
    const expected = [-1.2, -0.4, 0.4, 1.2, 2.0, 2.8, 3.6];
    edges.forEach((e, i) => expect(e).toBeCloseTo(expected[i], 12));
    const { reference, current } = binnedNumeric(a, b);
    const er = [1 / 12, 0.25, 1 / 3, 0.25, 1 / 12, 0.0001];
    const ec = [0.0001, 0.0001, 0.2, 0.2, 0.3, 0.3];
    reference.forEach((v, i) => expect(v).toBeCloseTo(er[i], 12));
    current.forEach((v, i) => expect(v).toBeCloseTo(ec[i], 12));
    expect(jensenShannon(reference, current)).toBeCloseTo(0.5104870196587635, 10);
    expect(psi(reference, current)).toBeCloseTo(5.272921925712716, 9);
  });
  it('Jensen–Shannon distance matches scipy.spatial.distance.jensenshannon', () => {
    expect(jensenShannon([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])).toBeCloseTo(0.257709748326061, 12);
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(0.8325546111576977, 12);
    expect(jensenShannon([0.2, 0.8], [0.2, 0.8])).toBe(0);
  });
  it('categorical shares cover the union of categories', () => {
    const r = binnedCategorical(['email', 'chat', 'chat'], ['chat', 'code']);
    expect(r.categories).toEqual(['chat', 'code', 'email']);
    expect(r.reference).toEqual([2 / 3, 0.0001, 1 / 3]);
    expect(r.current).toEqual([0.5, 0.5, 0.0001]);
  });
  it('PSI bands', () => {
    expect(psiBand(0.05)).toBe('stable');
    expect(psiBand(0.1)).toBe('moderate');
    expect(psiBand(0.3)).toBe('major');
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
  });
});

describe('chi-square', () => {
  it('matches scipy.stats.chisquare and chi2.sf', () => {
    const r = chiSquare([1 / 3, 1 / 3, 1 / 3], [10, 20, 30]);
    expect(r.statistic).toBeCloseTo(10, 12);
    expect(r.pValue).toBeCloseTo(0.006737946999085468, 12);
    const r2 = chiSquare([0.25, 0.25, 0.25, 0.25], [5, 9, 14, 3]);
    expect(r2.statistic).toBeCloseTo(9.129032258064516, 12);
    expect(r2.pValue).toBeCloseTo(0.027623624768947794, 12);
    expect(gammaQ(1, 1.75)).toBeCloseTo(0.1737739434504451, 12);
    expect(gammaQ(2.5, 20)).toBeCloseTo(1.493367900050393e-7, 16);
    expect(gammaQ(3.5, 0.15)).toBeCloseTo(0.9998999626177479, 12);
  });
});
