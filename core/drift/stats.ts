/**
 * Two-sample drift statistics, computed the way scipy and Evidently compute them, so thresholds
 * taken from Evidently's defaults mean the same thing here:
 *   - Kolmogorov–Smirnov two-sample D with its two-sided p-value (scipy.stats.ks_2samp): the exact
 *     lattice-path probability for small samples (Hodges' method, as R's psmirnov2x), Kolmogorov's
 *     limiting distribution for large ones;
 *   - Wasserstein-1 (scipy.stats.wasserstein_distance), normed by the reference's std like Evidently;
 *   - Jensen–Shannon distance (scipy.spatial.distance.jensenshannon, natural log) over binned data;
 *   - Population Stability Index over the same bins.
 * No maintained npm package offers these (stdlib has only the one-sample KS test), hence this module.
 */

/** Largest m·n for which the exact KS p-value is computed (O(m·n) time, O(n) memory). */
const EXACT_KS_LIMIT = 10_000_000;
/** Evidently replaces empty bins by this share so log ratios stay finite. */
const EMPTY_BIN_SHARE = 0.0001;

const ascending = (xs: readonly number[]) => Float64Array.from(xs).sort();

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Two-sample Kolmogorov–Smirnov test, two-sided (scipy.stats.ks_2samp, method 'auto'). */
export function ks2samp(a: readonly number[], b: readonly number[]): KsResult {
  if (a.length === 0 || b.length === 0) throw new Error('ks2samp needs two non-empty samples');
  const x = ascending(a);
  const y = ascending(b);
  const m = x.length;
  const n = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < m && j < n) {
    const v = Math.min(x[i], y[j]);
    while (i < m && x[i] === v) i++; // ties move both CDFs together
    while (j < n && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / m - j / n));
  }
  if (m * n <= EXACT_KS_LIMIT) return { statistic: d, pValue: clamp01(1 - smirnovCdf(d, m, n)), method: 'exact' };
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: clamp01(kolmogorovSurvival(Math.sqrt(en) * d)), method: 'asymptotic' };
}

/**
 * P(D < d) for two independent samples of sizes m and n from one continuous distribution: the
 * share of monotone lattice paths from (0,0) to (m,n) that stay strictly inside the band.
 * Weights w keep the running counts normalised by C(i+n, n), so nothing overflows.
 */
export function smirnovCdf(d: number, m: number, n: number): number {
  if (m > n) [m, n] = [n, m];
  const q = (0.5 + Math.floor(d * m * n - 1e-7)) / (m * n);
  const u = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) u[j] = j / n > q ? 0 : 1;
  for (let i = 1; i <= m; i++) {
    const w = i / (i + n);
    u[0] = i / m > q ? 0 : w * u[0];
    for (let j = 1; j <= n; j++) u[j] = Math.abs(i / m - j / n) > q ? 0 : w * u[j] + u[j - 1];
  }
  return u[n];
}

/** Survival function of Kolmogorov's limiting distribution (scipy.stats.kstwobign.sf). */
export function kolmogorovSurvival(x: number): number {
  if (x <= 0) return 1;
  if (x < 1) {
    // The alternating series converges slowly for small x; use the theta-function form of the CDF.
    const t = Math.exp((-Math.PI * Math.PI) / (8 * x * x));
    let s = 0;
    for (let k = 1; k <= 7; k += 2) s += t ** (k * k);
    return 1 - (Math.sqrt(2 * Math.PI) / x) * s;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += (k % 2 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return 2 * s;
}

/** Wasserstein-1 distance between two empirical distributions (scipy.stats.wasserstein_distance). */
export function wasserstein1(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) throw new Error('wasserstein1 needs two non-empty samples');
  const x = ascending(a);
  const y = ascending(b);
  const all = ascending([...x, ...y]);
  let i = 0;
  let j = 0;
  let total = 0;
  for (let k = 0; k < all.length - 1; k++) {
    while (i < x.length && x[i] <= all[k]) i++;
    while (j < y.length && y[j] <= all[k]) j++;
    total += Math.abs(i / x.length - j / y.length) * (all[k + 1] - all[k]);
  }
  return total;
}

/** Population standard deviation (numpy's np.std). */
export function std(xs: readonly number[]): number {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
}

/** Wasserstein-1 divided by the reference's std (floor 0.001), as Evidently's `wasserstein` test. */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  return wasserstein1(reference, current) / Math.max(std(reference), 0.001);
}

/** Bin edges as numpy's histogram_bin_edges(..., bins='sturges'). */
export function sturgesEdges(values: readonly number[]): number[] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = Math.ceil(Math.log2(values.length) + 1);
  const step = (hi - lo) / bins; // numpy.linspace: start + k·step, the last edge exactly hi
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * step));
}

/** Share of values per bin (numpy's histogram: last bin closed), empty bins set to 0.0001. */
export function binShares(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const last = edges.length - 2;
  for (const v of values) {
    if (v < edges[0] || v > edges[last + 1]) continue;
    let k = Math.floor(((v - edges[0]) / (edges[last + 1] - edges[0])) * (last + 1));
    if (k > last) k = last;
    // Guard float error at bin boundaries.
    while (k > 0 && v < edges[k]) k--;
    while (k < last && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return counts.map((c) => (c === 0 ? EMPTY_BIN_SHARE : c / values.length));
}

/** Reference and current shares over Sturges bins of both samples together (Evidently's binning). */
export function binnedNumeric(reference: readonly number[], current: readonly number[]): { reference: number[]; current: number[] } {
  const edges = sturgesEdges([...reference, ...current]);
  return { reference: binShares(reference, edges), current: binShares(current, edges) };
}

/** Reference and current shares over the union of categories, empty ones set to 0.0001. */
export function binnedCategorical(reference: readonly string[], current: readonly string[]): { categories: string[]; reference: number[]; current: number[] } {
  const categories = [...new Set([...reference, ...current])].sort();
  const shares = (xs: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    return categories.map((c) => (counts.get(c) ? counts.get(c)! / xs.length : EMPTY_BIN_SHARE));
  };
  return { categories, reference: shares(reference), current: shares(current) };
}

/** Jensen–Shannon distance (square root of the divergence, natural log), as scipy's jensenshannon. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new Error(`distributions differ in length: ${p.length} vs ${q.length}`);
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k] / sp;
    const b = q[k] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

/** Population Stability Index: Σ (ref − cur)·ln(ref / cur) over shares (Evidently's psi). */
export function psi(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) throw new Error(`distributions differ in length: ${reference.length} vs ${current.length}`);
  let s = 0;
  for (let k = 0; k < reference.length; k++) s += (reference[k] - current[k]) * Math.log(reference[k] / current[k]);
  return s;
}

/** Regularized upper incomplete gamma Q(a, x) (series below a+1, continued fraction above; Numerical Recipes). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return clamp01(1 - sum * Math.exp(lnPre));
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return clamp01(Math.exp(lnPre) * h);
}

/** ln Γ(x), Lanczos approximation (g = 7, n = 9). */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Pearson's chi-square goodness of fit of the current counts against the reference shares
 * (Evidently's categorical test for small samples: scipy.stats.chisquare(f_obs, f_exp)).
 */
export function chiSquare(referenceShares: readonly number[], currentCounts: readonly number[]): { statistic: number; pValue: number } {
  const n = currentCounts.reduce((s, v) => s + v, 0);
  const total = referenceShares.reduce((s, v) => s + v, 0);
  let stat = 0;
  for (let k = 0; k < currentCounts.length; k++) {
    const expected = (referenceShares[k] / total) * n;
    stat += (currentCounts[k] - expected) ** 2 / expected;
  }
  const dof = currentCounts.length - 1;
  return { statistic: stat, pValue: dof <= 0 ? 1 : gammaQ(dof / 2, stat / 2) };
}

export type PsiBand = 'stable' | 'moderate' | 'major';
/** The usual PSI reading: < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25 major shift. */
export function psiBand(value: number, bands: { moderate: number; major: number } = { moderate: 0.1, major: 0.25 }): PsiBand {
  return value >= bands.major ? 'major' : value >= bands.moderate ? 'moderate' : 'stable';
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
