/**
 * Edit bookkeeping shared by the engines.
 *
 * Engines correct in passes (Harper re-lints its own output; rules run on Harper's output).
 * `EditComposer` keeps every change as an edit on the ORIGINAL input: an edit made on the
 * current text that touches text an earlier edit produced is merged with it, so the final
 * edits never overlap, their offsets point into the input, and applying them gives the output.
 */
import { applyEdits, type Edit, type EditType } from './types';

/** One change as an engine sees it, before composition. */
export interface EditPart {
  type: EditType;
  before: string;
  after: string;
  /** Engine-specific detail for the reason (e.g. Harper's message, the rule's precision). */
  detail?: string;
  /** Where it came from, e.g. 'harper:SpellCheck', 'rules'. */
  source?: string;
  /** The systems that proposed it (ensemble). */
  systems?: string[];
  /** The rule that made it, e.g. 'I_AM_VB[14]', 'SpellCheck'. */
  rule?: string;
  /** The text around the change when it was made, for explanations that name the neighbours. */
  context?: { left: string; right: string };
}

/** An edit on the text as it currently is (offsets into the current text). */
export interface PendingEdit {
  start: number;
  end: number;
  after: string;
  part: EditPart;
}

export interface ComposedEdit {
  start: number;
  end: number;
  after: string;
  parts: EditPart[];
}

export class EditComposer {
  private edits: ComposedEdit[] = [];
  private current: string;

  constructor(readonly original: string) {
    this.current = original;
  }

  get text(): string {
    return this.current;
  }

  /**
   * Applies edits given in offsets of the current text. They must not overlap each other;
   * those that do (or that change nothing) are skipped. Returns how many were applied.
   */
  apply(pending: readonly PendingEdit[]): number {
    const sorted = [...pending].sort((a, b) => a.start - b.start || a.end - b.end);
    const accepted: PendingEdit[] = [];
    let pos = -1;
    for (const e of sorted) {
      if (e.start < pos || (e.start === pos && accepted.length && e.start === e.end)) continue;
      if (this.current.slice(e.start, e.end) === e.after) continue;
      accepted.push(e);
      pos = e.end;
    }
    // right to left, so offsets of the edits still to apply stay valid
    for (let i = accepted.length - 1; i >= 0; i--) this.applyOne(accepted[i]);
    return accepted.length;
  }

  private applyOne(n: PendingEdit): void {
    // spans of the composed edits in the current text
    let delta = 0;
    const spans = this.edits.map((c) => {
      const cs = c.start + delta;
      const ce = cs + c.after.length;
      delta += c.after.length - (c.end - c.start);
      return { cs, ce };
    });
    const touches = (cs: number, ce: number) =>
      Math.max(n.start, cs) < Math.min(n.end, ce) || ((n.start === n.end || cs === ce) && cs <= n.end && n.start <= ce);
    const group: number[] = [];
    spans.forEach((s, i) => {
      if (touches(s.cs, s.ce)) group.push(i);
    });
    // current offset → original offset, for a position outside every composed edit
    const toOriginal = (p: number) => {
      let d = 0;
      for (let i = 0; i < this.edits.length; i++) {
        if (spans[i].cs >= p) break;
        d += this.edits[i].after.length - (this.edits[i].end - this.edits[i].start);
      }
      return p - d;
    };
    let merged: ComposedEdit;
    if (!group.length) {
      merged = { start: toOriginal(n.start), end: toOriginal(n.end), after: n.after, parts: [n.part] };
      const at = this.edits.findIndex((c) => c.start > merged.start || (c.start === merged.start && c.end > merged.start));
      this.edits.splice(at < 0 ? this.edits.length : at, 0, merged);
    } else {
      const first = group[0];
      const last = group[group.length - 1];
      const us = Math.min(n.start, spans[first].cs);
      const ue = Math.max(n.end, spans[last].ce);
      const start = us < spans[first].cs ? toOriginal(us) : this.edits[first].start;
      const end = ue > spans[last].ce ? this.edits[last].end + (ue - spans[last].ce) : this.edits[last].end;
      const after = this.current.slice(us, n.start) + n.after + this.current.slice(n.end, ue);
      const parts = group.flatMap((i) => this.edits[i].parts);
      merged = { start, end, after, parts: [...parts, n.part] };
      this.edits.splice(first, last - first + 1, merged);
    }
    this.current = this.current.slice(0, n.start) + n.after + this.current.slice(n.end);
  }

  /** The composed edits (offsets into the original), without those a later pass undid. */
  composed(): ComposedEdit[] {
    const out = this.edits.filter((c) => this.original.slice(c.start, c.end) !== c.after);
    // self-check: the edits must rebuild the current text
    if (applyEdits(this.original, out) !== this.current) throw new Error('internal error: composed edits do not rebuild the text');
    return out;
  }
}

/** Turns composed edits into port edits, with a reason built by `reasonOf`. */
export function toEdits(
  original: string,
  composed: readonly ComposedEdit[],
  reasonOf: (parts: EditPart[], before: string, after: string) => string,
): Edit[] {
  return composed.map((c) => {
    const before = original.slice(c.start, c.end);
    const type = c.parts.length === 1 ? c.parts[0].type : dominantType(c.parts);
    const source = [...new Set(c.parts.flatMap((p) => (p.source ?? '').split(' + ').filter(Boolean)))].join(' + ');
    return { start: c.start, end: c.end, before, after: c.after, type, reason: reasonOf(c.parts, before, c.after), ...(source ? { source } : {}) };
  });
}

function dominantType(parts: EditPart[]): EditType {
  // the last pass usually carries the final intent; prefer a non-'other' type
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].type !== 'other') return parts[i].type;
  return parts[parts.length - 1].type;
}
