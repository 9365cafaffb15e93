/**
 * An LLM as a Corrector (serving the fine-tuned model through Ollama, or GPT-4o-mini as the
 * baseline): the model returns {corrected, reason}; the edits are computed by diffing the input
 * with the output, so they always rebuild `corrected` exactly and carry offsets into the input.
 *
 * PII is redacted before the sentence leaves the machine; the placeholders the model copies into
 * its output are put back, so callers see their own text.
 */
import { classifyEdit } from '../../core/engines/classify';
import { partReason, correctionReason } from '../../core/engines/reasons';
import { diffTokens } from '../../core/engines/rules';
import { applyEdits, type Correction, type CorrectOptions, type Corrector, DEFAULT_REASON_LANGUAGE, type Edit, type ReasonLanguage } from '../../core/engines/types';
import { detectPii, PII_PLACEHOLDERS } from '../../core/validation/pii';
import type { Llm } from './llm';
import { LLM_PII } from './pii';
import { correctionMessages, CorrectionReplySchema } from './prompts';

/** Tokens that cover the whole text: words (with inner apostrophes), single symbols, whitespace runs. */
function pieces(text: string): { text: string; start: number }[] {
  return [...text.matchAll(/\s+|[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu)].map((m) => ({ text: m[0], start: m.index }));
}

/**
 * Edits turning `input` into `output`: a token-level LCS diff, with changes separated only by
 * whitespace merged into one edit ("had to assess" → "were evaluating"). Typed by the text of the
 * change; each edit's reason is a short description in `lang`.
 */
export function diffEdits(input: string, output: string, lang: ReasonLanguage = DEFAULT_REASON_LANGUAGE): Edit[] {
  if (input === output) return [];
  const a = pieces(input);
  const b = pieces(output);
  const posA = (i: number) => (i < a.length ? a[i].start : input.length);
  const posB = (j: number) => (j < b.length ? b[j].start : output.length);
  const spans = diffTokens(a.map((p) => p.text), b.map((p) => p.text)).map((e) => ({ start: posA(e.i1), end: posA(e.i2), oStart: posB(e.j1), oEnd: posB(e.j2) }));
  const merged: typeof spans = [];
  for (const s of spans) {
    const prev = merged[merged.length - 1];
    // only whitespace between the two changes, on both sides: one edit
    if (prev && /^\s*$/.test(input.slice(prev.end, s.start)) && /^\s*$/.test(output.slice(prev.oEnd, s.oStart))) {
      prev.end = s.end;
      prev.oEnd = s.oEnd;
    } else merged.push({ ...s });
  }
  const edits = merged.map((s) => {
    const before = input.slice(s.start, s.end);
    const after = output.slice(s.oStart, s.oEnd);
    const type = classifyEdit(before, after, 'other');
    return { start: s.start, end: s.end, before, after, type, reason: partReason({ type, before, after }, lang) };
  });
  if (applyEdits(input, edits) !== output) throw new Error('internal error: diff edits do not rebuild the output');
  return edits;
}

/** Puts the original PII back where the model copied a placeholder, in order of appearance. */
export function restorePii(original: string, output: string): string {
  let out = output;
  let from = 0;
  for (const span of detectPii(original, LLM_PII)) {
    const placeholder = PII_PLACEHOLDERS[span.type];
    const at = out.indexOf(placeholder, from);
    if (at < 0) continue;
    const value = original.slice(span.start, span.end);
    out = out.slice(0, at) + value + out.slice(at + placeholder.length);
    from = at + value.length;
  }
  return out;
}

/**
 * Whether a model's `corrected` can be a correction of `input`: not empty and of a comparable
 * length (a correction fixes a sentence; it does not drop it or write another text).
 */
export function plausibleCorrection(input: string, corrected: string): boolean {
  const a = input.trim().length;
  const b = corrected.trim().length;
  return b > 0 && b >= a * 0.5 && b <= a * 2 + 20;
}

export interface LlmCorrectorOptions {
  /** Reported as Correction.engine (default: "openai" or "ollama"). */
  name?: string;
  /** Reported as Correction.modelVersion (e.g. the registry version served by Ollama). */
  modelVersion?: string | null;
  /** Ledger purpose (default "corrector"; "baseline" for GPT-4o-mini in evaluation). */
  purpose?: string;
  signal?: AbortSignal;
}

export class LlmCorrector implements Corrector {
  readonly name: string;

  constructor(readonly llm: Llm, private readonly opts: LlmCorrectorOptions = {}) {
    this.name = opts.name ?? llm.backend.provider;
  }

  async correct(text: string, opts: CorrectOptions = {}): Promise<Correction> {
    const lang = opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE;
    const base = { input: text, engine: this.name, modelVersion: this.opts.modelVersion ?? null };
    if (!text.trim()) return { ...base, corrected: text, edits: [], reason: correctionReason([], lang) };
    // checked on return (not in the JSON schema): an implausible reply is re-asked like a malformed one
    const schema = CorrectionReplySchema.refine((r) => plausibleCorrection(text, r.corrected), {
      message: 'corrected must be the given sentence with its errors fixed (not empty, not a different text)',
      path: ['corrected'],
    });
    const r = await this.llm.structured(schema, 'correction', correctionMessages(text, lang), {
      purpose: this.opts.purpose ?? 'corrector',
      temperature: 0,
      seed: 0,
      signal: this.opts.signal,
    });
    // keep the input's surrounding whitespace: models trim it, and it is no correction
    const lead = /^\s*/.exec(text)![0];
    const trail = /\s*$/.exec(text)![0];
    const corrected = lead + restorePii(text, r.value.corrected).trim() + trail;
    const edits = diffEdits(text, corrected, lang);
    const reason = edits.length ? r.value.reason.trim() || correctionReason(edits, lang) : correctionReason([], lang);
    return { ...base, corrected, edits, reason };
  }
}
