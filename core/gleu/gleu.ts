/**
 * GLEU (Napoles et al. 2015, multi-reference version of 2016) exactly as the JFLEG scorer
 * `eval/gleu.py` (github.com/keisks/jfleg) computes it under Python 3.
 *
 * Per sentence i, for a chosen reference R and source S, and for n = 1..4:
 *   numerator_n   = max(0, |H ∩ R| − |H ∩ (S ∖ R)|)   (clipped n-gram counts; S ∖ R keeps the
 *                   source n-grams whose type does not occur in R, with their source counts)
 *   denominator_n = max(0, len(H) − n + 1)
 * plus c = len(H) and r = len(R) (the chosen reference's length). The corpus statistics are the
 * sums over sentences, and
 *   GLEU = exp(min(0, 1 − r/c) + ¼ Σ_n log(numerator_n / denominator_n)),  0 if any statistic is 0.
 *
 * With several references the reference of each sentence is drawn at random: iteration j seeds
 * Python's generator with `random.seed(j * 101)` and draws one `randint(0, R − 1)` per sentence
 * in order. The result is the mean, the population standard deviation (numpy.std) and the 95%
 * normal interval (scipy.stats.norm.interval) of the per-iteration scores.
 *
 * N-gram counts are computed once per sentence and reference, and the statistics once per
 * (sentence, reference) pair; the iterations only re-sum ten integers per sentence.
 */
import { z } from 'zod';
import { PythonRandom } from './python-random';

/** Highest n-gram order. */
export const GLEU_ORDER = 4;
/** Number of statistics per sentence: c, r, then (numerator, denominator) for n = 1..4. */
export const GLEU_STATS = 2 + 2 * GLEU_ORDER;
/** Iterations of the random reference choice, as in the JFLEG scorer. */
export const DEFAULT_ITERATIONS = 500;
/** scipy.stats.norm.ppf(0.975): the half-width of norm.interval(0.95) in standard deviations (≈ 1.96). */
export const Z_95 = 1.959963984540054;

/** Input that cannot be scored: the message is one line naming what is wrong. */
export class GleuInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GleuInputError';
  }
}

export interface GleuResult {
  /** Mean GLEU over the iterations. */
  gleu: number;
  /** Population standard deviation of the per-iteration scores (numpy.std, ddof = 0). */
  std: number;
  /** 95% interval: gleu ∓ Z_95 · std. */
  ci: [number, number];
}

export interface GleuCorpusInput {
  /** Source sentences, one per line. */
  sources: string[];
  /** Reference sets: references[k][i] is reference k of sentence i. */
  references: string[][];
  /** System outputs, one per source sentence. */
  hypotheses: string[];
  /** Random reference draws to average over; default 500. */
  iterations?: number;
  /** Optional names (e.g. file paths) used in error messages instead of "sources", "references[k]"… */
  labels?: { sources?: string; references?: string[]; hypotheses?: string };
}

const lines = z.array(z.string());

const corpusSchema = z
  .object({
    sources: lines,
    references: z.array(lines).min(1, 'at least one reference set is required'),
    hypotheses: lines,
    iterations: z
      .number()
      .int('iterations must be a whole number')
      .min(1, 'iterations must be at least 1')
      .max(1_000_000, 'iterations must be at most 1000000')
      .default(DEFAULT_ITERATIONS),
    labels: z
      .object({ sources: z.string().optional(), references: z.array(z.string()).optional(), hypotheses: z.string().optional() })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const srcName = v.labels?.sources ?? 'sources';
    const hypName = v.labels?.hypotheses ?? 'hypotheses';
    const refName = (k: number) => v.labels?.references?.[k] ?? `references[${k}]`;
    const count = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
    const want = v.sources.length;
    if (want === 0) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: `${srcName} is empty: there are no sentences to score` });
      return;
    }
    if (v.hypotheses.length !== want) {
      ctx.addIssue({
        code: 'custom',
        path: ['hypotheses'],
        message: `${hypName} has ${count(v.hypotheses.length)} but ${srcName} has ${count(want)}`,
      });
    }
    v.references.forEach((ref, k) => {
      if (ref.length !== want) {
        ctx.addIssue({
          code: 'custom',
          path: ['references', k],
          message: `${refName(k)} has ${count(ref.length)} but ${srcName} has ${count(want)}`,
        });
      }
    });
  });

/** Throws GleuInputError with every problem joined into one line. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) =>
    issue.code === 'custom' || issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
  );
  throw new GleuInputError(messages.join('; '));
}

// Python 3's str.split() whitespace: JavaScript's \s minus U+FEFF, plus U+001C..U+001F and U+0085.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Tokens as Python's `line.split()`: runs of whitespace separate, leading/trailing runs ignored. */
export function tokenize(line: string): string[] {
  return line.split(WHITESPACE).filter((t) => t !== '');
}

/** Counts of each n-gram of order n. Tokens never contain a space, so a space-joined key is unambiguous. */
export function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A tokenized sentence with its n-gram counts for n = 1..GLEU_ORDER (index n − 1). */
interface Counted {
  length: number;
  ngrams: Map<string, number>[];
}

function count(line: string): Counted {
  const tokens = tokenize(line);
  const ngrams: Map<string, number>[] = [];
  for (let n = 1; n <= GLEU_ORDER; n++) ngrams.push(ngramCounts(tokens, n));
  return { length: tokens.length, ngrams };
}

/** Writes the GLEU_STATS statistics of one hypothesis against one source and one reference into out[at…]. */
function statsInto(h: Counted, s: Counted, r: Counted, out: { [i: number]: number }, at: number): void {
  out[at] = h.length;
  out[at + 1] = r.length;
  for (let n = 1; n <= GLEU_ORDER; n++) {
    const hn = h.ngrams[n - 1];
    const sn = s.ngrams[n - 1];
    const rn = r.ngrams[n - 1];
    let matchRef = 0; // |H ∩ R|, clipped
    let matchSrcOnly = 0; // |H ∩ (S ∖ R)|, clipped: source n-grams the reference does not have
    for (const [gram, hc] of hn) {
      const rc = rn.get(gram);
      if (rc !== undefined) {
        matchRef += Math.min(hc, rc);
      } else {
        const sc = sn.get(gram);
        if (sc !== undefined) matchSrcOnly += Math.min(hc, sc);
      }
    }
    out[at + 2 * n] = Math.max(0, matchRef - matchSrcOnly);
    out[at + 2 * n + 1] = Math.max(0, h.length - n + 1);
  }
}

/** The statistics [c, r, num1, den1, …, num4, den4] of one hypothesis against one source and reference. */
export function sentenceStats(hypothesis: string, source: string, reference: string): number[] {
  const out = new Array<number>(GLEU_STATS).fill(0);
  statsInto(count(hypothesis), count(source), count(reference), out, 0);
  return out;
}

/**
 * GLEU from (summed) statistics. `smooth` replaces zero statistics by 1, as the JFLEG scorer does
 * for sentence-level scores; without it any zero statistic gives 0.
 * The arithmetic follows the Python order of operations so the doubles agree.
 */
export function gleuFromStats(stats: ArrayLike<number>, smooth = false): number {
  const at = (i: number) => (smooth && stats[i] === 0 ? 1 : stats[i]);
  for (let i = 0; i < GLEU_STATS; i++) if (at(i) === 0) return 0;
  const c = at(0);
  const r = at(1);
  let logPrecision = 0;
  for (let n = 1; n <= GLEU_ORDER; n++) logPrecision += Math.log(at(2 * n) / at(2 * n + 1));
  logPrecision /= 4;
  return Math.exp(Math.min(0, 1 - r / c) + logPrecision);
}

/** numpy's pairwise summation of a float64 array (np.add.reduce), so mean and std round as numpy does. */
export function pairwiseSum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = values[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    // prettier-ignore
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, n2) + pairwiseSum(values, start + n2, n - n2);
}

/** Mean, population standard deviation (numpy.mean / numpy.std) and the 95% normal interval. */
export function summarize(scores: ArrayLike<number>): GleuResult {
  const n = scores.length;
  if (n === 0) throw new GleuInputError('no scores to summarize');
  const mean = pairwiseSum(scores) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = scores[i] - mean;
    squares[i] = d * d;
  }
  const std = Math.sqrt(pairwiseSum(squares) / n);
  return { gleu: mean, std, ci: [mean - Z_95 * std, mean + Z_95 * std] };
}

/** Statistics of every (sentence, reference) pair, flat: stats[(i * R + k) * GLEU_STATS + s]. */
function pairStats(sources: string[], references: string[][], hypotheses: string[]): Float64Array {
  const R = references.length;
  const stats = new Float64Array(sources.length * R * GLEU_STATS);
  for (let i = 0; i < sources.length; i++) {
    const h = count(hypotheses[i]);
    const s = count(sources[i]);
    for (let k = 0; k < R; k++) statsInto(h, s, count(references[k][i]), stats, (i * R + k) * GLEU_STATS);
  }
  return stats;
}

/** The per-iteration corpus GLEU scores (iteration j seeded with j * 101, one randint per sentence). */
export function gleuIterations(input: GleuCorpusInput): Float64Array {
  const { sources, references, hypotheses, iterations } = parse(corpusSchema, input);
  const R = references.length;
  const N = sources.length;
  const stats = pairStats(sources, references, hypotheses);
  const rng = new PythonRandom();
  const totals = new Float64Array(GLEU_STATS);
  const scores = new Float64Array(iterations);
  for (let j = 0; j < iterations; j++) {
    rng.seed(j * 101);
    totals.fill(0);
    for (let i = 0; i < N; i++) {
      const base = (i * R + rng.randint(0, R - 1)) * GLEU_STATS;
      for (let s = 0; s < GLEU_STATS; s++) totals[s] += stats[base + s];
    }
    scores[j] = gleuFromStats(totals);
  }
  return scores;
}

/** Corpus GLEU as the JFLEG scorer reports it: mean, std and 95% interval over the random reference draws. */
export function gleuCorpus(input: GleuCorpusInput): GleuResult {
  return summarize(gleuIterations(input));
}

const sentenceSchema = z.object({
  source: z.string(),
  references: z.array(z.string()).min(1, 'at least one reference is required'),
  hypothesis: z.string(),
});

/**
 * Sentence-level GLEU as the JFLEG scorer's `--sent` mode: the smoothed GLEU of the hypothesis
 * against each reference in turn, summarized by mean, std and 95% interval.
 */
export function gleuSentence(input: { source: string; references: string[]; hypothesis: string }): GleuResult {
  const { source, references, hypothesis } = parse(sentenceSchema, input);
  const h = count(hypothesis);
  const s = count(source);
  const out = new Float64Array(GLEU_STATS);
  const scores = references.map((ref) => {
    statsInto(h, s, count(ref), out, 0);
    return gleuFromStats(out, true);
  });
  return summarize(scores);
}
