/**
 * What a system learned, per error category: precision and recall of its edits against the
 * references' edits on the same sentences. Edits are token stretches (JFLEG-style tokens) that
 * differ between source and output; an edit of the output is right when a reference makes exactly
 * that edit (same place, same replacement). Each edit gets its category from the words it changes
 * (core/engines/classify): article, preposition, agreement, plural, spelling, punctuation…
 * With several references, each sentence is judged against the reference that agrees with the
 * output the most (as M2-style scorers do).
 */
import { classifyEdit } from '../engines/classify';
import { diffTokens } from '../engines/rules';
import type { EditType } from '../engines/types';

export interface CategoryScore {
  /** Output edits a reference makes too. */
  correct: number;
  /** Output edits (this category). */
  proposed: number;
  /** Reference edits (this category). */
  gold: number;
  precision: number;
  recall: number;
}

interface TokenEdit {
  key: string;
  type: EditType;
}

/** Subjects after which a word that gains or loses -s is a verb (agreement), not a noun (plural). */
const SUBJECTS = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they', 'there', 'this', 'that', 'everyone', 'nobody', 'someone']);

function editsOf(source: string[], target: string[]): TokenEdit[] {
  return diffTokens(source, target).map((e) => {
    const before = source.slice(e.i1, e.i2).join(' ');
    const after = target.slice(e.j1, e.j2).join(' ');
    let type = classifyEdit(before, after, 'other');
    if (type === 'plural' && SUBJECTS.has((source[e.i1 - 1] ?? '').toLowerCase())) type = 'agreement';
    return { key: `${e.i1}:${e.i2}:${after}`, type };
  });
}

/** Per-category precision and recall; `references[k][i]`, all texts tokenized. */
export function categoryScores(sources: readonly string[], references: readonly (readonly string[])[], outputs: readonly string[]): Record<string, CategoryScore> {
  const counts = new Map<string, { correct: number; proposed: number; gold: number }>();
  const bump = (type: string, field: 'correct' | 'proposed' | 'gold') => {
    const c = counts.get(type) ?? { correct: 0, proposed: 0, gold: 0 };
    c[field]++;
    counts.set(type, c);
  };
  sources.forEach((src, i) => {
    const s = src.split(' ').filter(Boolean);
    const out = editsOf(s, outputs[i].split(' ').filter(Boolean));
    // the reference this output agrees with most
    let best: TokenEdit[] = [];
    let bestHits = -1;
    for (const refs of references) {
      const gold = editsOf(s, refs[i].split(' ').filter(Boolean));
      const keys = new Set(gold.map((g) => g.key));
      const hits = out.filter((o) => keys.has(o.key)).length;
      if (hits > bestHits || (hits === bestHits && gold.length < best.length)) {
        best = gold;
        bestHits = hits;
      }
    }
    const goldKeys = new Set(best.map((g) => g.key));
    for (const o of out) {
      bump(o.type, 'proposed');
      if (goldKeys.has(o.key)) bump(o.type, 'correct');
    }
    for (const g of best) bump(g.type, 'gold');
  });
  const out: Record<string, CategoryScore> = {};
  for (const [type, c] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    out[type] = { ...c, precision: c.proposed ? c.correct / c.proposed : 1, recall: c.gold ? c.correct / c.gold : 0 };
  }
  return out;
}
