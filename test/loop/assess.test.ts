/** The drift decision over descriptors, and the descriptors themselves. */
import { describe, expect, it } from 'vitest';
import { assessDrift, DriftThresholdsSchema, QualityThresholdsSchema, type QualitySignals } from '../../core/drift/assess';
import { editDensity, nonLetterShare, oovRate, type Descriptors } from '../../core/drift/descriptors';

const t = DriftThresholdsSchema.parse({});
const qt = QualityThresholdsSchema.parse({});
const quiet: QualitySignals = { requests: 100, feedback: 0, thumbsDownRate: null, fallbackRate: 0, latencyP50Ms: 10, latencyP95Ms: 20, judge: null };
const sample = (n: number, shift: number, forms: string[]): Descriptors => ({
  length: Array.from({ length: n }, (_, i) => 8 + ((i * 7) % 11) + shift * 10),
  oovRate: Array.from({ length: n }, (_, i) => ((i * 3) % 10) / 50 + shift * 0.5),
  nonLetterShare: Array.from({ length: n }, (_, i) => ((i * 5) % 7) / 100 + shift * 0.3),
  editDensity: Array.from({ length: n }, (_, i) => ((i * 2) % 5) / 20),
  form: Array.from({ length: n }, (_, i) => forms[i % forms.length]),
  tone: Array.from({ length: n }, (_, i) => ['neutral', 'polite'][i % 2]),
});

describe('drift decision', () => {
  it('descriptors: OOV, non-letter share, edit density', () => {
    expect(oovRate('The cat sat on zorblax', new Set(['the', 'cat', 'sat', 'on']))).toBeCloseTo(0.2, 12);
    expect(oovRate('123 456', new Set())).toBe(1);
    expect(nonLetterShare('ab 12!')).toBeCloseTo(0.6, 12);
    expect(editDensity('I am agree with you', 'I agree with you')).toBeCloseTo(0.2, 12);
    expect(editDensity('same words', 'same words')).toBe(0);
  });

  it('same distribution: no drift; shifted inputs: drift with reasons', () => {
    const ref = sample(120, 0, ['email', 'chat', 'essay']);
    const same = assessDrift(ref, sample(60, 0, ['email', 'chat', 'essay']), quiet, t, qt);
    expect(same.drifted).toBe(false);
    expect(same.features.map((f) => f.test)).toEqual(['ks', 'ks', 'ks', 'ks', 'chisquare', 'chisquare']);
    const shifted = assessDrift(ref, sample(60, 1, ['report']), quiet, t, qt);
    expect(shifted.inputDrift).toBe(true);
    expect(shifted.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['length', 'oovRate', 'nonLetterShare', 'form']);
    expect(shifted.reasons[0]).toMatch(/^input drift: 4\/6 features/);
  });

  it('large reference: Wasserstein and Jensen–Shannon', () => {
    const ref = sample(1500, 0, ['email', 'chat']);
    const r = assessDrift(ref, sample(1500, 1, ['chat']), quiet, t, qt);
    expect(r.features.map((f) => f.test)).toEqual(['wasserstein_normed', 'wasserstein_normed', 'wasserstein_normed', 'wasserstein_normed', 'jensenshannon', 'jensenshannon']);
    expect(r.inputDrift).toBe(true);
  });

  it('quality signals breach on their own', () => {
    const ref = sample(100, 0, ['email']);
    const r = assessDrift(ref, ref, { ...quiet, feedback: 20, thumbsDownRate: 0.5, fallbackRate: 0.3, latencyP95Ms: 5000 }, t, qt);
    expect(r.inputDrift).toBe(false);
    expect(r.drifted).toBe(true);
    expect(r.qualityBreaches).toEqual(['thumbs-down rate 50.0% > 30.0% (20 ratings)', 'fallback rate 30.0% > 20.0%', 'latency p95 5000 ms > 2000 ms']);
    // Too little feedback to judge the thumbs-down rate.
    expect(assessDrift(ref, ref, { ...quiet, feedback: 3, thumbsDownRate: 1 }, t, qt).drifted).toBe(false);
  });

  it('thresholds are validated', () => {
    expect(() => DriftThresholdsSchema.parse({ ksPValue: 2 })).toThrow();
    expect(() => DriftThresholdsSchema.parse({ psiModerate: 0.3, psiMajor: 0.2 })).toThrow(/psiMajor must be above psiModerate/);
    expect(() => DriftThresholdsSchema.parse({ nope: 1 })).toThrow();
  });
});
