/**
 * Engine lookup: `createCorrector(name, opts)` builds a Corrector by name from the factories
 * registered in this process. Nothing registers itself on import: each composition root (the CLI,
 * a worker, an engine-pool thread) registers the engines it offers, with its config, through
 * adapters/engines.ts. Adding an engine is one call:
 *
 *   registerEngine('champion', {
 *     description: 'the registry champion',
 *     create: async (opts) => new RuleCorrector(await loadChampion(), { modelVersion: '7' }),
 *   });
 *
 * Bad configuration (unknown engine, missing or invalid model) throws EngineConfigError with a
 * one-line message meant for the user.
 */
import { EnsembleCorrector } from './ensemble';
import type { GrammarChecker } from './grammar-checker';
import type { AnswerStore } from './answer-store';
import { HarperCorrector, type HarperOptions, type RawLint } from './harper';
import { FirstSuggestionScorer } from './prior-scorer';
import { ScorerModelError, TrainedScorer } from './scorer';
import { loadRuleModel, RuleCorrector, RuleModel, RuleModelError, type RuleCorrectorOptions } from './rules';
import { segmented, type SegmentOptions } from './segment';
import type { Corrector } from './types';

export * from './types';

/** The default offline engine: what serving, the CLI and evaluation use unless told otherwise. */
export const DEFAULT_ENGINE = 'ensemble';

export class EngineConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConfigError';
  }
}

export interface CreateCorrectorOptions {
  /** LanguageTool server for engines that use it (ensemble); null or absent: without LanguageTool. */
  languagetoolUrl?: string | null;
  /** A rule model file (engine 'rules'). */
  modelPath?: string;
  /** A trained edit scorer (engine 'ensemble'): its JSON, as the train stage logs it; absent: the hand-set prior. */
  scorer?: unknown;
  /** An already loaded rule model, or its JSON (engine 'rules'); wins over modelPath. */
  model?: RuleModel | unknown;
  /** Reported as Correction.modelVersion. */
  modelVersion?: string | null;
  /** Harper settings (kinds, passes…) for engines built on Harper. */
  harper?: HarperOptions;
  /** Order of Harper and the rules (engine 'rules'). */
  order?: RuleCorrectorOptions['order'];
  /** Engine 'ensemble': fail when a system does not answer rather than correct without it (evaluation, training). */
  strict?: boolean;
  /**
   * Where Harper's lints are kept by text across threads and processes (OfflineEngineDeps.harperAnswers):
   * evaluation and training, which lint the same sentences pipeline after pipeline. Never serving.
   */
  answerStoreDir?: string;
  /** Long inputs sentence by sentence, over-long tokens untouched (./segment); false: the engine sees every text whole. */
  segment?: SegmentOptions | false;
}

export interface EngineFactory {
  description: string;
  create(opts: CreateCorrectorOptions): Promise<Corrector>;
}

export type RegisterEngine = (name: string, factory: EngineFactory) => void;

const engines = new Map<string, EngineFactory>();

/** Adds (or replaces) the engine `name` of this process's registry. */
export const registerEngine: RegisterEngine = (name, factory) => {
  engines.set(name, factory);
};

export function engineNames(): string[] {
  return [...engines.keys()];
}

export function engineDescriptions(): Record<string, string> {
  return Object.fromEntries([...engines].map(([name, f]) => [name, f.description]));
}

export async function createCorrector(name: string, opts: CreateCorrectorOptions = {}): Promise<Corrector> {
  const factory = engines.get(name);
  if (!factory) throw new EngineConfigError(`unknown engine "${name}" (available: ${engineNames().join(', ')})`);
  try {
    return segmented(await factory.create(opts), opts.segment);
  } catch (e) {
    if (e instanceof RuleModelError || e instanceof ScorerModelError) throw new EngineConfigError(e.message);
    throw e;
  }
}

/** The learned patterns given in `opts` (model object, JSON or file), or null. */
function patternsOf(opts: CreateCorrectorOptions): RuleModel | null {
  if (opts.model instanceof RuleModel) return opts.model;
  if (opts.model !== undefined) return RuleModel.fromJSON(opts.model);
  if (opts.modelPath) return loadRuleModel(opts.modelPath);
  return null;
}

/** What the offline engines need from outside the domain: a grammar checker (LanguageTool's client). */
export interface OfflineEngineDeps {
  /** The grammar checker at a server URL. */
  grammarChecker(url: string): GrammarChecker;
  /** The server engines use when CreateCorrectorOptions.languagetoolUrl is not given (the config's). */
  grammarCheckerUrl: string | null;
  /** Harper's lints kept by text under a directory (CreateCorrectorOptions.answerStoreDir). */
  harperAnswers?(dir: string): AnswerStore<RawLint[]>;
}

/** The offline engines: harper, ensemble, languagetool (a baseline) and rules. */
export function registerOfflineEngines(register: RegisterEngine, deps: OfflineEngineDeps): void {
  /** The grammar checker an engine should use: at the URL given, or the default one. */
  const languagetoolOf = (opts: CreateCorrectorOptions): GrammarChecker | null => {
    const url = opts.languagetoolUrl ?? deps.grammarCheckerUrl;
    return url ? deps.grammarChecker(url) : null;
  };
  const harperAnswersOf = (opts: CreateCorrectorOptions): AnswerStore<RawLint[]> | null =>
    opts.answerStoreDir && deps.harperAnswers ? deps.harperAnswers(opts.answerStoreDir) : null;

  register('harper', {
    description: 'Harper grammar checker (offline, rule-based), chosen lint kinds applied in passes',
    create: async (opts) => {
      const harper = new HarperCorrector(opts.harper, harperAnswersOf(opts));
      await harper.init();
      return harper;
    },
  });

  register('ensemble', {
    description: 'the default offline engine: Harper, LanguageTool, the learner rules and learned patterns (with --model) propose edits, a scorer keeps the precise ones',
    create: async (opts) => {
      const ensemble = new EnsembleCorrector({
        harperOptions: opts.harper,
        harperAnswers: harperAnswersOf(opts),
        languagetool: languagetoolOf(opts),
        patterns: patternsOf(opts),
        ...(opts.scorer !== undefined ? { scorer: TrainedScorer.fromJSON(opts.scorer) } : {}),
        modelVersion: opts.modelVersion ?? null,
        strict: opts.strict ?? false,
      });
      await ensemble.init();
      return ensemble;
    },
  });

  register('languagetool', {
    description: 'LanguageTool alone, its first suggestions applied as they come (a baseline; needs LANGUAGETOOL_URL or the stack part)',
    create: async (opts) => {
      const languagetool = languagetoolOf(opts);
      if (!languagetool) throw new EngineConfigError('engine "languagetool" needs a LanguageTool server: set LANGUAGETOOL_URL or run `correctly stack up languagetool`');
      return new EnsembleCorrector({ name: 'languagetool', harper: null, languagetool, learnerRules: false, scorer: new FirstSuggestionScorer(), vetoes: false });
    },
  });

  register('rules', {
    description: 'Harper, then context rules learnt from training pairs (needs a model file); the engine before the ensemble',
    create: async (opts) => {
      const model = patternsOf(opts);
      if (!model) throw new EngineConfigError('engine "rules" needs a model: give --model path/to/rules.json');
      const harper = opts.order === 'rules-only' ? undefined : new HarperCorrector(opts.harper, harperAnswersOf(opts));
      await harper?.init();
      return new RuleCorrector(model, { modelVersion: opts.modelVersion ?? null, harper, order: opts.order, ownsHarper: true });
    },
  });
}
