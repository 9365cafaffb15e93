/**
 * `ensemble`: the default offline engine. System combination in the manner of ESC (Qorib, Na &
 * Ng 2022): the base systems propose, a scorer disposes.
 *
 *   text ─► Harper lints ──────┐
 *           LanguageTool matches │
 *           learner rules ───────├─► candidate edits ─► precision vetoes ─► options & clusters
 *           learned patterns ───┘                                              │ scorer
 *                                      corrected text + reason per edit ◄── selected edits
 *
 * Up to `passes` rounds: the corrected text is checked again, because one fix often exposes the
 * next ("i recieve" → "I recieve" → "I receive"); every change is kept as an edit on the
 * original input (EditComposer), so offsets always point into what the learner wrote.
 *
 * LanguageTool is a separate server. If it cannot be reached the ensemble keeps correcting with
 * the systems it has and says so in `Correction.systems` (never silently).
 */
import { type Candidate, harperCandidates, languageToolCandidates, learnerCandidates, patternCandidates, type SystemName } from './candidates';
import { EditComposer, type EditPart } from './edits';
import type { AnswerStore } from './answer-store';
import { finishCorrection, HarperCorrector, type HarperOptions, lintEditType, type RawLint } from './harper';
import type { GrammarChecker } from './grammar-checker';
import { type Cluster, clusterCandidates, type EditScorer, selectEdits, supportBySystem } from './merge';
import { protectedSpans, veto, type PrecisionOptions } from './precision';
import { PriorScorer } from './prior-scorer';
import type { RuleModel } from './rules';
import { type CorrectOptions, type Correction, type Corrector, DEFAULT_REASON_LANGUAGE } from './types';

/**
 * LanguageTool rules it ships switched off that the ensemble turns on: grammar rules (and a missing
 * final period) that flag none of the 1,794 correct texts of the Text Repository nor any correct
 * control sentence of the learner suites (test/engines/ensemble.test.ts, learner-suite.test.ts).
 * The LanguageTool client the ensemble asks is `ensembleLanguageTool` (adapters). Left off:
 * ARTICLE_MISSING and ARTICLE_UNNECESSARY, which change 18 of those correct texts ("Please reply" →
 * "Please a reply"); APOSTROPHE_S and MISSING_GENITIVE, which guess possessives ("many others
 * animals" → "many other's animals"); the rules about style and typography.
 */
export const ENSEMBLE_LANGUAGETOOL_RULES: readonly string[] = [
  'CAN_NOT', 'IRREGULAR_PAST_PARTICIPLES', 'QUALITY_PARTITIVE_SINGULAR', 'SINGULAR_NOUN_THAT_PLURAL_VERB', 'HOW_IS_ARE', 'THIS_ALL',
  'SV_AGREEMENT_CLAUSES_SINGULAR', 'SV_AGREEMENT_CLAUSES_PLURAL', 'WH_PHRASE_AGREEMENT', 'SINGULAR_NOUN_THAT_AGREEMENT',
  'SINGULAR_THAT_WHICH_WHO_AGREEMENT', 'PLURAL_THAT_WHICH_WHO_AGREEMENT', 'DT_NNS_AGREEMENT', 'GOT_IT_DONE', 'BARE_INFINITIVE_VERB_PRP_VBZ',
  'LOOK_FORWARD_NOT_FOLLOWED_BY_TO', 'HAD_VBP', 'THE_WORSE_OF', 'DID_FOUND_AMBIGUOUS', 'TELL_X_TO_DO', 'APPLE_A_DAY',
  'COMPARISONS_AS_ADJECTIVE_AS', 'ITS_JJ_NNSNN', 'TYPO_AN_AND', 'TYPO_ID_IF', 'TYPO_OR_OF', 'TYPO_AS_HAS_WAS',
  'TYPO_THEY_S', 'VBP_VBP', 'HAVE_NOT_VBG', 'TALK_NO_PREP', 'PUNCT_WH_AGREEMENT', 'VERB_HERE_SINCE', 'ONE_OF_THE_KIND', 'HE_QUESTION', 'PUNCTUATION_PARAGRAPH_END2',
];

export interface EnsembleOptions {
  /** The Harper corrector whose linter proposes edits (created if absent and closed with the ensemble; null: no Harper). */
  harper?: HarperCorrector | null;
  harperOptions?: HarperOptions;
  /** Where the Harper corrector it creates keeps its lints by text (./answer-store; evaluation and training). */
  harperAnswers?: AnswerStore<RawLint[]> | null;
  /** LanguageTool; without it the ensemble runs on Harper and the patterns. */
  languagetool?: GrammarChecker | null;
  /** Learned patterns (the rules model of a training run). */
  patterns?: RuleModel | null;
  /** The hand-written learner rules (./learner-rules); default true. */
  learnerRules?: boolean;
  /** Decides which options are applied; default the hand-set PriorScorer. */
  scorer?: EditScorer;
  /** Check/apply rounds; default 3. */
  passes?: number;
  precision?: PrecisionOptions;
  /** Apply the precision vetoes (default true; false only for baselines such as "LanguageTool alone"). */
  vetoes?: boolean;
  /** Reported as Correction.modelVersion. */
  modelVersion?: string | null;
  /** Reported as Correction.engine; default "ensemble". */
  name?: string;
  /**
   * Fail when a system does not answer, instead of correcting without it (serving's default).
   * Training rows and model selection use it: data that silently lost LanguageTool under load
   * would make the same dataset train a different model.
   */
  strict?: boolean;
}

/** What one round saw, for debugging and for the scorer's training data. */
export interface RoundTrace {
  text: string;
  candidates: Candidate[];
  vetoed: { candidate: Candidate; reason: string }[];
}

export class EnsembleCorrector implements Corrector {
  readonly name: string;
  private readonly harper: HarperCorrector | null;
  private readonly ownsHarper: boolean;
  private readonly languagetool: GrammarChecker | null;
  private readonly patterns: RuleModel | null;
  private readonly learnerRules: boolean;
  readonly scorer: EditScorer;
  private readonly passes: number;
  private readonly precision: PrecisionOptions;
  private readonly vetoes: boolean;
  private readonly strict: boolean;
  readonly modelVersion: string | null;

  constructor(opts: EnsembleOptions = {}) {
    this.name = opts.name ?? 'ensemble';
    this.ownsHarper = opts.harper === undefined;
    this.harper = opts.harper === undefined ? new HarperCorrector(opts.harperOptions, opts.harperAnswers) : opts.harper;
    this.languagetool = opts.languagetool ?? null;
    this.patterns = opts.patterns ?? null;
    this.learnerRules = opts.learnerRules ?? true;
    this.scorer = opts.scorer ?? new PriorScorer();
    this.passes = Math.max(1, Math.min(opts.passes ?? 3, 6));
    this.precision = opts.precision ?? {};
    this.vetoes = opts.vetoes ?? true;
    this.strict = opts.strict ?? false;
    this.modelVersion = opts.modelVersion ?? null;
  }

  async init(): Promise<void> {
    await this.harper?.init();
  }

  /** Every candidate the base systems propose for `text`, and which systems answered. */
  async candidates(text: string, signal?: AbortSignal): Promise<{ candidates: Candidate[]; systems: SystemName[]; unavailable: string[] }> {
    const systems: SystemName[] = this.harper ? ['harper'] : [];
    const unavailable: string[] = [];
    const [lints, matches] = await Promise.all([
      this.harper ? this.harper.lint(text) : Promise.resolve([]),
      this.languagetool
        ? this.languagetool.check(text, signal).catch((e: Error) => {
            if (e.name === 'AbortError' || this.strict) throw e;
            unavailable.push(`languagetool: ${e.message}`);
            return null;
          })
        : Promise.resolve(null),
    ]);
    const candidates = harperCandidates(text, lints, lintEditType);
    if (matches) {
      systems.push('languagetool');
      candidates.push(...languageToolCandidates(text, matches));
    }
    if (this.learnerRules) {
      systems.push('learner');
      candidates.push(...learnerCandidates(text));
    }
    if (this.patterns) {
      systems.push('patterns');
      candidates.push(...patternCandidates(text, this.patterns));
    }
    return { candidates, systems, unavailable };
  }

  /**
   * One round's options for `text`: the candidates that pass the precision vetoes, grouped into
   * clusters. What `correct` scores each round, and what the scorer is trained on.
   */
  async clusters(text: string, signal?: AbortSignal): Promise<{ clusters: Cluster[]; systems: SystemName[]; unavailable: string[]; trace: RoundTrace }> {
    const found = await this.candidates(text, signal);
    const spans = protectedSpans(text);
    const kept: Candidate[] = [];
    const vetoed: RoundTrace['vetoed'] = [];
    for (const c of found.candidates) {
      const why = this.vetoes ? veto(text, c, spans, this.precision) : null;
      if (why) vetoed.push({ candidate: c, reason: why });
      else kept.push(c);
    }
    return { clusters: clusterCandidates(text, kept), systems: found.systems, unavailable: found.unavailable, trace: { text, candidates: found.candidates, vetoed } };
  }

  async correct(text: string, opts: CorrectOptions & { signal?: AbortSignal; trace?: RoundTrace[] } = {}): Promise<Correction> {
    const composer = new EditComposer(text);
    const seen = new Set<string>([text]);
    const answered = new Set<SystemName>();
    const unavailable = new Set<string>();
    for (let pass = 0; pass < this.passes; pass++) {
      const current = composer.text;
      const round = await this.clusters(current, opts.signal);
      round.systems.forEach((s) => answered.add(s));
      round.unavailable.forEach((u) => unavailable.add(u));
      opts.trace?.push(round.trace);
      const { applied } = selectEdits(current, round.clusters, this.scorer);
      if (!applied.length) break;
      const pending = applied.map((o) => {
        const bySystem = supportBySystem(o);
        const lead = [...bySystem.values()].sort((a, b) => a.rank - b.rank)[0];
        const part: EditPart = {
          type: o.type,
          before: o.before,
          after: o.after,
          detail: lead.message,
          source: [...bySystem.values()].map((c) => `${c.system}:${c.rule}`).join(' + '),
          systems: [...bySystem.keys()],
          rule: lead.rule,
          context: { left: current.slice(Math.max(0, o.start - 40), o.start), right: current.slice(o.end, o.end + 40) },
        };
        return { start: o.start, end: o.end, after: o.after, part };
      });
      if (!composer.apply(pending) || seen.has(composer.text)) break;
      seen.add(composer.text);
    }
    const correction = finishCorrection(composer, this.name, this.modelVersion, opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE);
    return { ...correction, systems: [...answered], ...(unavailable.size ? { unavailable: [...unavailable] } : {}) };
  }

  async close(): Promise<void> {
    if (this.ownsHarper) await this.harper?.close();
  }
}
