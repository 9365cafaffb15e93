/**
 * Training rows for the edit scorer. For each (source → target) pair the ensemble proposes its
 * options for the source (the same candidates, vetoes and clusters as when it corrects); each
 * option is labelled 1 when applying it alone brings the source closer to the target (token edit
 * distance, on JFLEG-style tokens), else 0. Served edits a learner marked wrong (thumbs down
 * without a better correction) are rows labelled 0.
 */
import { tokenize } from '../text/tokenize';
import type { EnsembleCorrector } from './ensemble';
import { clusterFeatures } from './features';
import type { EditOption } from './merge';
import { diffTokens } from './rules';
import type { EditType } from './types';

export interface ScorerRow {
  /** The pair (or served request) the row comes from: rows of one group stay in one split. */
  group: string;
  features: Record<string, number>;
  label: 0 | 1;
  weight: number;
  type: EditType;
}

export interface LabelledPair {
  id: string;
  source: string;
  target: string;
  weight?: number;
}

export interface WrongEvidence {
  id: string;
  input: string;
  /** The edits served (offsets into `input`) that the learner marked wrong. */
  edits: { start: number; end: number; after: string }[];
  weight?: number;
}

const toks = (s: string) => tokenize(s).split(' ').filter(Boolean);

/** Insert/delete edit distance between two token lists. */
export function tokenDistance(a: readonly string[], b: readonly string[]): number {
  return diffTokens(a, b).reduce((d, e) => d + (e.i2 - e.i1) + (e.j2 - e.j1), 0);
}

function apply(text: string, o: Pick<EditOption, 'start' | 'end' | 'after'>): string {
  return text.slice(0, o.start) + o.after + text.slice(o.end);
}

/** 1 when the option alone moves `text` toward `target`. */
export function labelOption(text: string, option: Pick<EditOption, 'start' | 'end' | 'after'>, target: string): 0 | 1 {
  const goal = toks(target);
  return tokenDistance(toks(apply(text, option)), goal) < tokenDistance(toks(text), goal) ? 1 : 0;
}

/** Rows for labelled pairs. `onProgress` is called after each pair (activities heartbeat there). */
export async function pairRows(ensemble: EnsembleCorrector, pairs: readonly LabelledPair[], onProgress?: (done: number) => void): Promise<ScorerRow[]> {
  const rows: ScorerRow[] = [];
  for (const [i, p] of pairs.entries()) {
    const { clusters } = await ensemble.clusters(p.source);
    for (const cluster of clusters) {
      const features = clusterFeatures(p.source, cluster);
      cluster.options.forEach((o, k) => {
        rows.push({ group: p.id, features: Object.fromEntries(features[k]), label: labelOption(p.source, o, p.target), weight: p.weight ?? 1, type: o.type });
      });
    }
    onProgress?.(i + 1);
  }
  return rows;
}

/** Rows labelled 0 for served edits a learner marked wrong (matched to the options that make the same change). */
export async function wrongEditRows(ensemble: EnsembleCorrector, evidence: readonly WrongEvidence[]): Promise<ScorerRow[]> {
  const rows: ScorerRow[] = [];
  for (const w of evidence) {
    const { clusters } = await ensemble.clusters(w.input);
    for (const cluster of clusters) {
      const features = clusterFeatures(w.input, cluster);
      cluster.options.forEach((o, k) => {
        if (w.edits.some((e) => apply(w.input, e) === apply(w.input, o))) {
          rows.push({ group: w.id, features: Object.fromEntries(features[k]), label: 0, weight: w.weight ?? 1, type: o.type });
        }
      });
    }
  }
  return rows;
}
