/**
 * Pure CPU work the activities hand to the engine pool's threads (`deps.engines().functions()`),
 * so the worker's event loop stays free to complete workflow tasks, answer queries and heartbeat.
 * Arguments and results are plain data (they are copied between threads); nothing here does I/O.
 * Functions that are pure already and take plain data (pairedBootstrap, scoreSystem,
 * assessDrift) are called in their own modules; this one holds what needs a plain-data wrapper.
 */
import { describe, type Descriptors, FormToneClassifier } from '../core/drift/descriptors';
import { type RuleModelJSON, type TrainingPair, type TrainOptions, trainRuleModel } from '../core/engines/rules';

/** The rules model learnt from training pairs (and checked on validation pairs), as its JSON. */
export function trainRules(pairs: TrainingPair[], options: TrainOptions | undefined, validation: TrainingPair[]): RuleModelJSON {
  return trainRuleModel(pairs, options, validation).toJSON();
}

/** Drift descriptors of (input, output) pairs, form and tone from a classifier over the Text Repository entries. */
export async function describePairs(pairs: { input: string; output: string }[], vocab: string[], entries: { text: string; form: string; tone: string }[]): Promise<Descriptors> {
  return describe(pairs, new Set(vocab), await new FormToneClassifier(entries).init());
}
