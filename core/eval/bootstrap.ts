/**
 * Paired bootstrap of the corpus-GLEU difference between two systems on the same sentences
 * (Koehn 2004, with GLEU's per-sentence random reference): resample sentences with replacement,
 * draw one reference per drawn sentence, score both systems on that same sample.
 */
import { GLEU_STATS, gleuCorpus, gleuFromStats, sentenceStats } from '../gleu/gleu';
import { PythonRandom } from '../gleu/python-random';

export interface PairedBootstrapResult {
  /** corpus GLEU(a) − corpus GLEU(b), as the JFLEG scorer computes each. */
  delta: number;
  /** 95% percentile interval of the resampled differences. */
  ci: [number, number];
  /** Share of resamples where a scores higher than b. */
  pBetter: number;
  samples: number;
}

export function pairedBootstrap(input: { sources: string[]; references: string[][]; a: string[]; b: string[]; samples?: number; seed?: number }): PairedBootstrapResult {
  const { sources, references, a, b } = input;
  const n = sources.length;
  const B = input.samples ?? 1000;
  if (a.length !== n || b.length !== n || references.some((r) => r.length !== n)) throw new Error('pairedBootstrap: every system and reference needs one line per source sentence');
  const R = references.length;
  // stats[(i*R + k)*GLEU_STATS …] for system a and b
  const sa = new Float64Array(n * R * GLEU_STATS);
  const sb = new Float64Array(n * R * GLEU_STATS);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < R; k++) {
      sa.set(sentenceStats(a[i], sources[i], references[k][i]), (i * R + k) * GLEU_STATS);
      sb.set(sentenceStats(b[i], sources[i], references[k][i]), (i * R + k) * GLEU_STATS);
    }
  }
  const rng = new PythonRandom(input.seed ?? 12345);
  const deltas = new Float64Array(B);
  const accA = new Float64Array(GLEU_STATS);
  const accB = new Float64Array(GLEU_STATS);
  let better = 0;
  for (let s = 0; s < B; s++) {
    accA.fill(0);
    accB.fill(0);
    for (let j = 0; j < n; j++) {
      const i = rng.randbelow(n);
      const off = (i * R + rng.randbelow(R)) * GLEU_STATS;
      for (let t = 0; t < GLEU_STATS; t++) {
        accA[t] += sa[off + t];
        accB[t] += sb[off + t];
      }
    }
    deltas[s] = gleuFromStats(accA) - gleuFromStats(accB);
    if (deltas[s] > 0) better++;
  }
  const sorted = Array.from(deltas).sort((x, y) => x - y);
  const q = (p: number) => sorted[Math.min(B - 1, Math.max(0, Math.floor(p * B)))];
  const delta = gleuCorpus({ sources, references, hypotheses: a }).gleu - gleuCorpus({ sources, references, hypotheses: b }).gleu;
  return { delta, ci: [q(0.025), q(0.975)], pBetter: better / B, samples: B };
}
