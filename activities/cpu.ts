/**
 * Pure CPU work the activities hand to the engine pool's threads (`deps.engines().functions()`),
 * so the worker's event loop stays free to complete workflow tasks, answer queries and heartbeat.
 * Arguments and results are plain data (they are copied between threads); nothing here does I/O
 * except the scorer rows, which ask the LanguageTool server like the ensemble always does.
 * Functions that are pure already and take plain data (pairedBootstrap, scoreSystem,
 * assessDrift) are called in their own modules; this one holds what needs a plain-data wrapper.
 */
import { describe, type Descriptors, FormToneClassifier } from '../core/drift/descriptors';
import { EnsembleCorrector } from '../core/engines/ensemble';
import { harperAnswerStore } from '../adapters/answer-store';
import { ensembleLanguageTool } from '../adapters/languagetool';
import { RuleModel, type RuleModelJSON, type TrainingPair, type TrainOptions, trainRuleModel } from '../core/engines/rules';
import { TrainedScorer } from '../core/engines/scorer';
import { type LabelledPair, pairRows, type ScorerRow, type WrongEvidence, wrongEditRows } from '../core/engines/scorer-data';
import { gleuCorpus } from '../core/gleu/gleu';
import { tokenize } from '../core/text/tokenize';

/** The rules model learnt from training pairs (and checked on validation pairs), as its JSON. */
export function trainRules(pairs: TrainingPair[], options: TrainOptions | undefined, validation: TrainingPair[]): RuleModelJSON {
  return trainRuleModel(pairs, options, validation).toJSON();
}

/** Drift descriptors of (input, output) pairs, form and tone from a classifier over the Text Repository entries. */
export async function describePairs(pairs: { input: string; output: string }[], vocab: string[], entries: { text: string; form: string; tone: string }[]): Promise<Descriptors> {
  return describe(pairs, new Set(vocab), await new FormToneClassifier(entries).init());
}

type EnsembleData = {
  languagetoolUrl: string | null;
  patterns: RuleModelJSON | null;
  scorer?: string | null;
  /** Harper's lints kept by text (adapters/answer-store): the same pairs are linted once across pipelines. */
  answerStoreDir?: string;
};

/**
 * Runs `fn` with an ensemble built from plain data (the pool thread's own), closed afterwards.
 * Strict: the same pairs must give the same rows and scores, so LanguageTool not answering fails
 * the call instead of being silently left out.
 */
async function withEnsemble<T>(options: EnsembleData, fn: (ensemble: EnsembleCorrector) => Promise<T>): Promise<T> {
  const ensemble = new EnsembleCorrector({
    languagetool: options.languagetoolUrl ? ensembleLanguageTool(options.languagetoolUrl) : null,
    patterns: options.patterns ? RuleModel.fromJSON(options.patterns) : null,
    strict: true,
    harperAnswers: options.answerStoreDir ? harperAnswerStore(options.answerStoreDir) : null,
    ...(options.scorer ? { scorer: TrainedScorer.fromJSON(options.scorer) } : {}),
  });
  await ensemble.init();
  try {
    return await fn(ensemble);
  } finally {
    await ensemble.close();
  }
}

/**
 * Training rows of the edit scorer (core/engines/scorer-data): the ensemble's options on each pair's
 * source, labelled against its target, and served edits learners marked wrong. Runs the ensemble
 * (Harper here, LanguageTool over HTTP) in the calling pool thread.
 */
export function scorerRows(pairs: LabelledPair[], wrong: WrongEvidence[], options: Omit<EnsembleData, 'scorer'>): Promise<ScorerRow[]> {
  return withEnsemble(options, async (ensemble) => [...(await pairRows(ensemble, pairs)), ...(await wrongEditRows(ensemble, wrong))]);
}

/**
 * Corpus GLEU of the ensemble (with the given patterns and scorer, or the prior without one) on
 * labelled pairs: how the train stage chooses between a trained scorer and the prior on the
 * validation split.
 */
export function ensembleGleu(pairs: LabelledPair[], options: EnsembleData): Promise<number> {
  return withEnsemble(options, async (ensemble) => {
    const outputs: string[] = [];
    for (const p of pairs) outputs.push(tokenize((await ensemble.correct(p.source)).corrected));
    return gleuCorpus({ sources: pairs.map((p) => tokenize(p.source)), references: [pairs.map((p) => tokenize(p.target))], hypotheses: outputs }).gleu;
  });
}
