/**
 * From candidate edits to the edits applied: the one merge step of the ensemble.
 *
 *  1. Candidates that make the same change are one option, supported by every system that
 *     proposed it (at its best rank). "The same change" is judged on the result: Harper's
 *     "don't" → "doesn't" and LanguageTool's "do" → "does" rewrite the text identically.
 *  2. Options whose spans overlap form a cluster: the choices for one place in the sentence.
 *  3. A scorer gives each option of a cluster a score in [0, 1] (the probability that applying
 *     it moves the sentence toward what a teacher would write); options at or above the
 *     scorer's threshold are applied, best first, without overlapping each other.
 * The scorer is where the learning happens: the prior scorer below is hand-set (precision
 * first), a trained scorer (see ./scorer) replaces it.
 */
import type { Candidate, SystemName } from './candidates';
import type { EditType } from './types';

export interface EditOption {
  start: number;
  end: number;
  before: string;
  after: string;
  type: EditType;
  /** Every candidate making this change (all systems, all ranks). */
  support: Candidate[];
}

export interface Cluster {
  options: EditOption[];
}

export interface EditScorer {
  readonly name: string;
  /** Options scoring at least this are applied. */
  readonly threshold: number;
  /** One score per option of the cluster, in [0, 1]. */
  scoreCluster(text: string, cluster: Cluster): number[];
}

export interface ScoredOption extends EditOption {
  score: number;
}

/**
 * Two edits compete for one place. An insertion right before a replaced word competes with the
 * replacement: they are two fixes of one error ("I was engineer": "was an engineer" or "was
 * engineered"), and applying both makes a third sentence nobody proposed ("was an engineered").
 */
function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return a.start >= b.start && a.start < b.end;
  if (b.start === b.end) return b.start >= a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Whether two edits over the text produce the same text on the span they cover together. */
function sameResult(text: string, a: { start: number; end: number; after: string }, b: { start: number; end: number; after: string }): boolean {
  const s = Math.min(a.start, b.start);
  const e = Math.max(a.end, b.end);
  const apply = (x: typeof a) => text.slice(s, x.start) + x.after + text.slice(x.end, e);
  return apply(a) === apply(b);
}

/** Groups candidates into options (same change) and options into clusters (same place). */
export function clusterCandidates(text: string, candidates: readonly Candidate[]): Cluster[] {
  const options: EditOption[] = [];
  for (const c of candidates) {
    const same = options.find((o) => (o.start === c.start && o.end === c.end && o.after === c.after) || ((overlaps(o, c) || (o.start === c.start && o.end === c.end)) && sameResult(text, o, c)));
    if (same) {
      same.support.push(c);
      // the narrowest span describes the change best ("do" → "does" rather than "don't" → "doesn't")
      if (c.end - c.start < same.end - same.start) Object.assign(same, { start: c.start, end: c.end, before: c.before, after: c.after });
    } else options.push({ start: c.start, end: c.end, before: c.before, after: c.after, type: c.type, support: [c] });
  }
  for (const o of options) o.type = typeOfOption(o);
  // connected components of overlapping options
  const parent = options.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < options.length; i++) {
    for (let j = i + 1; j < options.length; j++) if (overlaps(options[i], options[j])) parent[find(i)] = find(j);
  }
  const groups = new Map<number, EditOption[]>();
  options.forEach((o, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(o);
    else groups.set(r, [o]);
  });
  return [...groups.values()].map((options) => ({ options })).sort((a, b) => a.options[0].start - b.options[0].start);
}

/** Broad categories lose ties to specific ones ("word form" says more than "word choice"). */
const BROAD: readonly EditType[] = ['other', 'grammar', 'style', 'word_choice', 'redundancy', 'spelling'];

/** The option's category: the type most of its supporters give, preferring a specific one. */
function typeOfOption(o: EditOption): EditType {
  const votes = new Map<EditType, number>();
  for (const c of o.support) if (c.type !== 'other' && c.type !== 'grammar') votes.set(c.type, (votes.get(c.type) ?? 0) + 1);
  if (!votes.size) return o.support[0].type;
  return [...votes].sort((a, b) => b[1] - a[1] || BROAD.indexOf(a[0]) - BROAD.indexOf(b[0]))[0][0];
}

/** Scores every cluster and keeps the options to apply (non-overlapping, best first). */
export function selectEdits(text: string, clusters: readonly Cluster[], scorer: EditScorer): { applied: ScoredOption[]; considered: ScoredOption[] } {
  const applied: ScoredOption[] = [];
  const considered: ScoredOption[] = [];
  for (const cluster of clusters) {
    const scores = scorer.scoreCluster(text, cluster);
    const scored = cluster.options.map((o, i) => ({ ...o, score: scores[i] })).sort((a, b) => b.score - a.score || a.start - b.start);
    considered.push(...scored);
    for (const o of scored) {
      if (o.score < scorer.threshold) break;
      if (applied.some((a) => overlaps(a, o) || (a.start === o.start && a.end === o.end))) continue;
      applied.push(o);
    }
  }
  return { applied: applied.sort((a, b) => a.start - b.start || a.end - b.end), considered };
}

/** The systems behind an option, each at its best (lowest) rank. */
export function supportBySystem(o: EditOption): Map<SystemName, Candidate> {
  const best = new Map<SystemName, Candidate>();
  for (const c of o.support) {
    const prev = best.get(c.system);
    if (!prev || c.rank < prev.rank) best.set(c.system, c);
  }
  return best;
}
