/**
 * `harper`: corrections from the Harper grammar checker (harper.js, WASM, offline).
 *
 * Each pass lints the current text and applies the chosen suggestion of every lint of an
 * applied kind (non-overlapping, leftmost first); the text is re-linted up to `passes` times
 * because one fix often exposes the next ('i recieve' → 'I recieve' → 'I receive'). Spelling
 * suggestions are re-ranked (./spelling); other lints use Harper's first suggestion.
 *
 * Which lint kinds are applied was chosen on JFLEG dev (see DEFAULT_HARPER_KINDS): every kind
 * whose suggestions raise GLEU is kept. Rules that only change typography (… for ..., en dashes)
 * are skipped: they do not correct the learner's English.
 *
 * One WASM linter is shared by every HarperCorrector in the process (creating one takes ~1 s);
 * it is disposed when the last corrector is closed.
 *
 * Evaluation and training may hand a corrector an answer store (./answer-store): Harper's lints of
 * a text are then linted once per Harper version and read back by every later system, thread and
 * pipeline that asks about the same text; the linter is only created on the first text not stored.
 */
import { Dialect, LocalLinter, type Lint } from 'harper.js';
import { binary } from 'harper.js/binary';
import type { AnswerStore } from './answer-store';
import { classifyEdit } from './classify';
import { EditComposer, type EditPart, type PendingEdit, toEdits } from './edits';
import { correctionReason, editReason } from './reasons';
import { bestSpelling, DEFAULT_SPELLING_RANK, type SpellingRankOptions } from './spelling';
import { type CorrectOptions, type Correction, type Corrector, DEFAULT_REASON_LANGUAGE, type EditType, type ReasonLanguage } from './types';

/**
 * The Harper release linted with (package.json pins it; a test checks the two agree): the key of
 * everything kept of its answers (stored lints, cached outputs), so an upgrade never reads a stale one.
 */
export const HARPER_VERSION = 'harper.js@2.10.0';

/** Harper's lint kinds (harper.js LintKind). */
export const HARPER_KINDS = [
  'Agreement', 'BoundaryError', 'Capitalization', 'Eggcorn', 'Enhancement', 'Formatting', 'Grammar', 'Malapropism',
  'Miscellaneous', 'Nonstandard', 'Punctuation', 'Readability', 'Redundancy', 'Regionalism', 'Repetition', 'Spelling',
  'Style', 'Typo', 'Usage', 'WordChoice', 'WordOrder',
] as const;
export type HarperKind = (typeof HARPER_KINDS)[number];

/**
 * Kinds applied by default. Chosen by leaving each kind out in turn on the first half of JFLEG
 * dev and checking on the second (GLEU change when the kind is dropped, half a / half b):
 * Spelling −0.052/−0.045, Capitalization −0.009/−0.011, Typo −0.004/−0.004, WordChoice,
 * Punctuation, Miscellaneous, Agreement, Grammar, Usage, BoundaryError, Redundancy, Repetition
 * −0.0001…−0.003 each: kept. Left out: Regionalism (+0.0001/0: dialect preferences, not errors),
 * Style and Enhancement (0/+0.0001: rewrites of text that is already correct), Formatting
 * (0/0: spacing and typography) and Readability (flags long sentences, no suggestions).
 */
export const DEFAULT_HARPER_KINDS: readonly HarperKind[] = HARPER_KINDS.filter(
  (k) => !['Formatting', 'Regionalism', 'Readability', 'Style', 'Enhancement'].includes(k),
);

/** Rules never applied: typographic conversions, not corrections of the writer's English. */
export const DEFAULT_SKIPPED_RULES: readonly string[] = ['UseEllipsisCharacter', 'NumericRangeEnDash', 'EllipsisLength'];

export interface HarperOptions {
  kinds?: readonly string[];
  skipRules?: readonly string[];
  /** Lint/apply rounds; default 3. */
  passes?: number;
  /** Spelling re-ranking; false = Harper's first suggestion. */
  spellingRank?: SpellingRankOptions | false;
}

/** A lint as plain data (Harper's WASM objects are freed right away). */
export interface RawLint {
  rule: string;
  kind: string;
  /** UTF-16 offsets into the linted text (harper.js converts Harper's char indices). */
  start: number;
  end: number;
  problem: string;
  message: string;
  suggestions: { kind: 'replace' | 'remove' | 'insert_after'; text: string }[];
}

// ---------------------------------------------------------------------------------------------
// the shared linter

let shared: { linter: LocalLinter; ready: Promise<LocalLinter>; users: number } | null = null;

function acquireLinter(): Promise<LocalLinter> {
  if (!shared) {
    const linter = new LocalLinter({ binary, dialect: Dialect.American });
    shared = { linter, ready: linter.setup().then(() => linter), users: 0 };
  }
  shared.users++;
  return shared.ready;
}

async function releaseLinter(): Promise<void> {
  if (!shared) return;
  shared.users--;
  if (shared.users <= 0) {
    const { linter } = shared;
    shared = null;
    await linter.dispose();
  }
}

const SUGGESTION_KINDS = ['replace', 'remove', 'insert_after'] as const;

function toRaw(rule: string, lint: Lint): RawLint {
  const span = lint.span();
  const suggestions = lint.suggestions().map((s) => {
    const v = { kind: SUGGESTION_KINDS[s.kind()] ?? 'replace', text: s.get_replacement_text() };
    s.free();
    return v;
  });
  const raw: RawLint = {
    rule,
    kind: lint.lint_kind(),
    start: span.start,
    end: span.end,
    problem: lint.get_problem_text(),
    message: lint.message(),
    suggestions,
  };
  span.free();
  lint.free();
  return raw;
}

// ---------------------------------------------------------------------------------------------
// lint kind → edit type

const KIND_TYPES: Record<string, EditType> = {
  Agreement: 'agreement',
  BoundaryError: 'spelling',
  Capitalization: 'capitalization',
  Eggcorn: 'word_choice',
  Enhancement: 'style',
  Formatting: 'punctuation',
  Grammar: 'grammar',
  Malapropism: 'word_choice',
  Miscellaneous: 'other',
  Nonstandard: 'word_choice',
  Punctuation: 'punctuation',
  Readability: 'style',
  Redundancy: 'redundancy',
  Regionalism: 'word_choice',
  Repetition: 'redundancy',
  Spelling: 'spelling',
  Style: 'style',
  Typo: 'spelling',
  Usage: 'word_choice',
  WordChoice: 'word_choice',
  WordOrder: 'word_order',
};

const RULE_TYPES: [RegExp, EditType][] = [
  [/^AnA$|Article|^TheAnother$|^ThePlural/, 'article'],
  [/Preposition|^MissingTo$|^DespiteOf$/, 'preposition'],
  [/Agreement|^SingleBe$|^OneOfTheSingular$/, 'agreement'],
  [/Tense|Participle|Irregular|^WillNonLemma$|^InflectedVerbAfterTo$/, 'tense'],
  [/Plural|MassNoun/, 'plural'],
  [/Capitaliz/, 'capitalization'],
  [/Subjunctive|^WouldNeverHave$/, 'mood'],
  [/Repeated|Redundan/, 'redundancy'],
];

/** The edit type of a lint, from its rule name, else its kind. */
export function lintEditType(kind: string, rule: string): EditType {
  for (const [re, type] of RULE_TYPES) if (re.test(rule)) return type;
  return KIND_TYPES[kind] ?? 'other';
}

// ---------------------------------------------------------------------------------------------

export class HarperCorrector implements Corrector {
  readonly name = 'harper';
  private readonly kinds: Set<string>;
  private readonly skipRules: Set<string>;
  private readonly passes: number;
  private readonly spellingRank: SpellingRankOptions | false;
  private linter: Promise<LocalLinter> | null = null;
  private closed = false;
  private readonly cache = new Map<string, RawLint[]>();

  /**
   * @param answers Lints kept beyond this process, by text (evaluation and training only: serving
   *   never writes learners' texts to disk).
   */
  constructor(
    opts: HarperOptions = {},
    private readonly answers: AnswerStore<RawLint[]> | null = null,
  ) {
    this.kinds = new Set(opts.kinds ?? DEFAULT_HARPER_KINDS);
    this.skipRules = new Set(opts.skipRules ?? DEFAULT_SKIPPED_RULES);
    this.passes = Math.max(1, Math.min(opts.passes ?? 3, 10));
    this.spellingRank = opts.spellingRank ?? DEFAULT_SPELLING_RANK;
  }

  /**
   * Loads the WASM linter now rather than on the first sentence; with an answer store, on the
   * first text it does not hold (a run whose texts are all stored never pays the ~1–2 s).
   */
  async init(): Promise<void> {
    if (!this.answers) await this.getLinter();
  }

  private getLinter(): Promise<LocalLinter> {
    if (this.closed) throw new Error('HarperCorrector is closed');
    this.linter ??= acquireLinter();
    return this.linter;
  }

  /** All lints of a text (every kind), as plain data; cached per text (and in the answer store, if any). */
  async lint(text: string): Promise<RawLint[]> {
    const hit = this.cache.get(text) ?? this.answers?.get(text);
    if (hit) return this.remember(text, hit);
    const linter = await this.getLinter();
    const groups = await linter.organizedLints(text, { language: 'plaintext' });
    const lints = Object.entries(groups)
      .flatMap(([rule, ls]) => ls.map((l) => toRaw(rule, l)))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    this.answers?.set(text, lints);
    return this.remember(text, lints);
  }

  private remember(text: string, lints: RawLint[]): RawLint[] {
    if (this.cache.has(text)) return lints;
    if (this.cache.size >= 4096) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(text, lints);
    return lints;
  }

  /** The edit (offsets into `text`) a lint would make, or null when it is not applied. */
  private editOf(text: string, lint: RawLint): PendingEdit | null {
    if (!this.kinds.has(lint.kind) || this.skipRules.has(lint.rule) || !lint.suggestions.length) return null;
    const { start, end } = lint;
    if (!(start >= 0 && end >= start && end <= text.length)) return null;
    const before = text.slice(start, end);
    // leave HTML entities alone (&amp; …): they are markup, not words
    if (text[start - 1] === '&' && text[end] === ';') return null;
    let choice = 0;
    if (this.spellingRank && lint.kind === 'Spelling' && lint.suggestions.length > 1 && lint.suggestions.every((s) => s.kind === 'replace')) {
      choice = bestSpelling(before, lint.suggestions.map((s) => s.text), this.spellingRank);
    }
    const s = lint.suggestions[choice];
    const edit =
      s.kind === 'insert_after'
        ? { start: end, end, after: s.text, before: '' }
        : { start, end, after: s.kind === 'remove' ? '' : s.text, before };
    if (edit.before === edit.after) return null;
    const part: EditPart = {
      type: classifyEdit(edit.before, edit.after, lintEditType(lint.kind, lint.rule)),
      before: edit.before,
      after: edit.after,
      detail: lint.message,
      source: `harper:${lint.rule}`,
      rule: lint.rule,
      context: { left: text.slice(Math.max(0, edit.start - 40), edit.start), right: text.slice(edit.end, edit.end + 40) },
    };
    return { start: edit.start, end: edit.end, after: edit.after, part };
  }

  /** Runs the lint/apply passes on the composer's current text. */
  async run(composer: EditComposer): Promise<void> {
    const seen = new Set<string>([composer.text]);
    for (let pass = 0; pass < this.passes; pass++) {
      const text = composer.text;
      const pending = (await this.lint(text)).map((l) => this.editOf(text, l)).filter((e): e is PendingEdit => e !== null);
      if (!pending.length || !composer.apply(pending)) break;
      if (seen.has(composer.text)) break; // oscillation
      seen.add(composer.text);
    }
  }

  async correct(text: string, opts: CorrectOptions = {}): Promise<Correction> {
    const composer = new EditComposer(text);
    await this.run(composer);
    return finishCorrection(composer, this.name, null, opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.linter) {
      this.linter = null;
      await releaseLinter();
    }
  }
}

/** Builds the Correction for what a composer holds. */
export function finishCorrection(composer: EditComposer, engine: string, modelVersion: string | null, lang: ReasonLanguage): Correction {
  const edits = toEdits(composer.original, composer.composed(), (parts, before, after) => editReason(parts, before, after, lang));
  return {
    input: composer.original,
    corrected: composer.text,
    edits,
    reason: correctionReason(edits, lang),
    engine,
    modelVersion,
  };
}
