/**
 * The corrector port: what serving, evaluation and the CLI call to correct one sentence.
 *
 * Offsets in an Edit are UTF-16 code-unit offsets into `Correction.input` (the text given to
 * `correct`), so `input.slice(e.start, e.end) === e.before`, and applying every edit of a
 * correction to its input (they never overlap) yields `corrected` — see `applyEdits`.
 */
import { z } from 'zod';

export const EDIT_TYPES = [
  'spelling',
  'grammar',
  'agreement',
  'article',
  'preposition',
  'tense',
  /** The form of a verb after an auxiliary or in a pattern: "can sings", "I am agree", "enjoy to swim". */
  'verb_form',
  /** The form of an adjective, adverb or noun: "interesting" → "interested", "more taller". */
  'word_form',
  /** Words that go together: "do a mistake" → "make a mistake", "good in" → "good at". */
  'collocation',
  'word_order',
  'punctuation',
  'capitalization',
  'redundancy',
  'word_choice',
  'mood',
  'plural',
  'style',
  'other',
] as const;

export const editTypeSchema = z.enum(EDIT_TYPES);
export type EditType = z.infer<typeof editTypeSchema>;

export const reasonLanguageSchema = z.enum(['ko', 'en']);
export type ReasonLanguage = z.infer<typeof reasonLanguageSchema>;
export const DEFAULT_REASON_LANGUAGE: ReasonLanguage = 'ko';

export const editSchema = z
  .object({
    /** Start offset in the input (UTF-16 code units, inclusive). */
    start: z.number().int().nonnegative(),
    /** End offset in the input (exclusive); equal to start for an insertion. */
    end: z.number().int().nonnegative(),
    /** input.slice(start, end) */
    before: z.string(),
    /** The replacement text ('' for a deletion). */
    after: z.string(),
    type: editTypeSchema,
    /** Why, in the requested reason language. */
    reason: z.string().optional(),
    /** The rules that made it, e.g. "languagetool:I_AM_VB[14] + harper:PronounVerbAgreement". */
    source: z.string().optional(),
  })
  .refine((e) => e.end >= e.start, { message: 'edit end must not be before its start' })
  .refine((e) => e.end - e.start === e.before.length, { message: 'edit before must span end - start characters' });
export type Edit = z.infer<typeof editSchema>;

export const correctionSchema = z.object({
  input: z.string(),
  corrected: z.string(),
  edits: z.array(editSchema),
  /** The explanation of the whole correction (the edits' reasons joined), '' when nothing changed. */
  reason: z.string(),
  /** The engine that produced it, e.g. 'harper', 'rules'. */
  engine: z.string(),
  /** The model version behind the engine, null for engines without a trained model. */
  modelVersion: z.string().nullable(),
  /** The base systems that answered (ensemble engines): harper, languagetool, patterns. */
  systems: z.array(z.string()).optional(),
  /** Base systems that could not answer this time, with why (the correction was made without them). */
  unavailable: z.array(z.string()).optional(),
});
export type Correction = z.infer<typeof correctionSchema>;

export interface CorrectOptions {
  /** Language of the reasons; default 'ko'. */
  reasonLanguage?: ReasonLanguage;
}

export interface Corrector {
  readonly name: string;
  correct(text: string, opts?: CorrectOptions): Promise<Correction>;
  /** How many corrections may run at once (an engine pool's corrector: one per thread); absent: one. */
  readonly parallelism?: number;
  /** Releases resources (e.g. the WASM linter); the corrector must not be used afterwards. */
  close?(): Promise<void>;
}

/** Applies non-overlapping edits (offsets into `text`) and returns the new text. */
export function applyEdits(text: string, edits: readonly Pick<Edit, 'start' | 'end' | 'after'>[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(pos, e.start) + e.after;
    pos = e.end;
  }
  return out + text.slice(pos);
}
