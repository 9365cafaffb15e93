/**
 * The port through which a base system's answers are kept by text beyond one process: Harper's lints
 * of a sentence do not depend on the model being trained or evaluated, so evaluation and training
 * (which ask about the same JFLEG and held-out sentences pipeline after pipeline, in fresh threads)
 * lint each text once per Harper version. adapters/answer-store.ts keeps them in files.
 *
 * Besides the time, a store makes comparisons exact: Harper orders a few suggestions by what its
 * linter saw before ("chose, chosen" or "chosen, chose"), so two systems linting the same text in
 * different threads could disagree; reading one stored answer, they cannot.
 */
export interface AnswerStore<T> {
  /** The answer kept for `text`, or undefined (never kept, unreadable or malformed: asked again). */
  get(text: string): T | undefined;
  set(text: string, answer: T): void;
}
