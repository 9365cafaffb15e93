/**
 * Drift decision, in the spirit of Evidently's defaults: per feature, a statistical test chosen by
 * reference size (KS p < 0.05 up to `largeSample` rows, normed Wasserstein ≥ 0.1 above; Jensen–
 * Shannon ≥ 0.1 for categories), PSI reported with its band; the dataset drifts when at least
 * `driftShare` of the features drift. Quality signals (thumbs-down rate, fallback rate, latency,
 * judge score) breach on their own thresholds. Every threshold comes from the zod schema below.
 */
import { z } from 'zod';
import { CATEGORICAL_DESCRIPTORS, type Descriptors, NUMERIC_DESCRIPTORS } from './descriptors';
import { binnedCategorical, binnedNumeric, chiSquare, jensenShannon, ks2samp, psi, psiBand, type PsiBand, wassersteinNormed } from './stats';

export const DriftThresholdsSchema = z
  .object({
    ksPValue: z.number().gt(0).lt(1).default(0.05),
    wasserstein: z.number().positive().default(0.1),
    jensenShannon: z.number().positive().max(1).default(0.1),
    psiModerate: z.number().positive().default(0.1),
    psiMajor: z.number().positive().default(0.25),
    /** Reference size above which numeric features use normed Wasserstein instead of KS. */
    largeSample: z.number().int().min(1).default(1000),
    /** Share of drifted features that makes the whole input drift. */
    driftShare: z.number().gt(0).max(1).default(0.5),
  })
  .strict()
  .refine((t) => t.psiMajor > t.psiModerate, 'psiMajor must be above psiModerate');

export const QualityThresholdsSchema = z
  .object({
    maxThumbsDownRate: z.number().min(0).max(1).default(0.3),
    /** Thumbs-down rate is judged only with at least this much feedback. */
    minFeedback: z.number().int().min(1).default(10),
    maxFallbackRate: z.number().min(0).max(1).default(0.2),
    maxLatencyP95Ms: z.number().positive().default(2000),
    minJudgeScore: z.number().min(0).max(1).default(0.5),
  })
  .strict();

export type DriftThresholds = z.output<typeof DriftThresholdsSchema>;
export type QualityThresholds = z.output<typeof QualityThresholdsSchema>;

export interface FeatureDrift {
  feature: string;
  kind: 'numeric' | 'categorical';
  test: 'ks' | 'wasserstein_normed' | 'chisquare' | 'jensenshannon';
  statistic: number;
  pValue?: number;
  threshold: number;
  drifted: boolean;
  psi: number;
  psiBand: PsiBand;
  reference: Record<string, number>;
  current: Record<string, number>;
}

export interface QualitySignals {
  requests: number;
  feedback: number;
  thumbsDownRate: number | null;
  fallbackRate: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  judge: { judge: string; judged: number; score: number } | null;
}

export interface DriftAssessment {
  features: FeatureDrift[];
  driftedShare: number;
  inputDrift: boolean;
  qualityBreaches: string[];
  drifted: boolean;
  reasons: string[];
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q; // numpy's default (linear) interpolation
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

function shares(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1 / xs.length;
  return out;
}

export function featureDrift(feature: string, reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], t: DriftThresholds): FeatureDrift {
  const bands = { moderate: t.psiModerate, major: t.psiMajor };
  if (typeof reference[0] === 'string' || typeof current[0] === 'string') {
    const r = reference as string[];
    const c = current as string[];
    const b = binnedCategorical(r, c);
    const p = psi(b.reference, b.current);
    const base = { feature, kind: 'categorical' as const, psi: p, psiBand: psiBand(p, bands), reference: shares(r), current: shares(c) };
    if (r.length <= t.largeSample) {
      const counts = b.categories.map((k) => c.filter((x) => x === k).length);
      const chi = chiSquare(b.reference, counts);
      return { ...base, test: 'chisquare', statistic: chi.statistic, pValue: chi.pValue, threshold: t.ksPValue, drifted: chi.pValue < t.ksPValue };
    }
    const js = jensenShannon(b.reference, b.current);
    return { ...base, test: 'jensenshannon', statistic: js, threshold: t.jensenShannon, drifted: js >= t.jensenShannon };
  }
  const r = reference as number[];
  const c = current as number[];
  const b = binnedNumeric(r, c);
  const p = psi(b.reference, b.current);
  const summary = (xs: number[]) => ({ mean: mean(xs), p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) });
  const base = { feature, kind: 'numeric' as const, psi: p, psiBand: psiBand(p, bands), reference: summary(r), current: summary(c) };
  if (r.length <= t.largeSample) {
    const ks = ks2samp(r, c);
    return { ...base, test: 'ks', statistic: ks.statistic, pValue: ks.pValue, threshold: t.ksPValue, drifted: ks.pValue < t.ksPValue };
  }
  const w = wassersteinNormed(r, c);
  return { ...base, test: 'wasserstein_normed', statistic: w, threshold: t.wasserstein, drifted: w >= t.wasserstein };
}

export function qualityBreaches(q: QualitySignals, t: QualityThresholds): string[] {
  const out: string[] = [];
  if (q.thumbsDownRate !== null && q.feedback >= t.minFeedback && q.thumbsDownRate > t.maxThumbsDownRate) {
    out.push(`thumbs-down rate ${(q.thumbsDownRate * 100).toFixed(1)}% > ${(t.maxThumbsDownRate * 100).toFixed(1)}% (${q.feedback} ratings)`);
  }
  if (q.requests > 0 && q.fallbackRate > t.maxFallbackRate) out.push(`fallback rate ${(q.fallbackRate * 100).toFixed(1)}% > ${(t.maxFallbackRate * 100).toFixed(1)}%`);
  if (q.requests > 0 && q.latencyP95Ms > t.maxLatencyP95Ms) out.push(`latency p95 ${q.latencyP95Ms.toFixed(0)} ms > ${t.maxLatencyP95Ms} ms`);
  if (q.judge && q.judge.judged > 0 && q.judge.score < t.minJudgeScore) out.push(`judge score ${q.judge.score.toFixed(2)} < ${t.minJudgeScore} (${q.judge.judged} judged by ${q.judge.judge})`);
  return out;
}

export function assessDrift(reference: Descriptors, current: Descriptors, quality: QualitySignals, t: DriftThresholds, qt: QualityThresholds): DriftAssessment {
  const features = [
    ...NUMERIC_DESCRIPTORS.map((f) => featureDrift(f, reference[f], current[f], t)),
    ...CATEGORICAL_DESCRIPTORS.map((f) => featureDrift(f, reference[f], current[f], t)),
  ];
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = drifted.length / features.length;
  const inputDrift = driftedShare >= t.driftShare;
  const breaches = qualityBreaches(quality, qt);
  const reasons = [
    ...(inputDrift
      ? [`input drift: ${drifted.length}/${features.length} features (${drifted.map((f) => `${f.feature} ${f.test}=${f.pValue !== undefined ? `p ${f.pValue.toExponential(2)}` : f.statistic.toFixed(3)}`).join(', ')})`]
      : []),
    ...breaches,
  ];
  return { features, driftedShare, inputDrift, qualityBreaches: breaches, drifted: reasons.length > 0, reasons };
}
