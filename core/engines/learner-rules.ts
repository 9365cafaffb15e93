/**
 * Learner rules: hand-written rules for errors that Korean learners of English make again and
 * again and that neither Harper nor LanguageTool flags ("I am student", "My father work at a
 * bank", "Yesterday I go…", "Where you are going?", "Thank you for your advices"). A fourth base
 * system of the ensemble: each rule proposes candidate edits like the others, with its own
 * reliability, and the same precision vetoes and merge decide.
 *
 * Precision first (a wrong edit costs a learner more than a missed one): every rule fires only in
 * a narrow, unambiguous context (the subject at the start of the sentence, a past-time phrase
 * before it, a closed list of role nouns, a question mark at the end…), and a rule that cannot
 * tell leaves the sentence alone. Word forms (goes, went, going, friends) come from compromise's
 * lexicon and conjugation rules (MIT, github.com/spencermountain/compromise), not from lists here.
 *
 * Written from the error types of Korean learners of English (Swan & Smith, "Learner English",
 * ch. Korean; our learner suite core/eval/learner-suite.json) and grammar references. No word
 * list, threshold or prior is set on JFLEG; but which kinds of rule to add in stops 22 and 23 was
 * chosen by reading what the ensemble missed on JFLEG dev (docs/benchmarks.md says so where it
 * reports the scores).
 *
 * The rules live by kind in ./learner/ (agreement, prepositions, verbs, word order, nouns and
 * articles, punctuation, spelling; shared helpers in ./learner/context); this file orders them
 * and runs them sentence by sentence. A new rule goes into the file of its kind and into RULES.
 */
import nlp from 'compromise';
import { type Token, tokenizeWithOffsets } from '../text/tokenize';
import { countableNounArticle, doubleDeterminer, mostOfPlural, oneOfSingular, roleNounArticle, superlativeArticle, theSame, uncountableArticle, uncountablePlural } from './learner/nouns-articles';
import { arriveTo, discussAbout, enterInto, listenTo, marryWith, monthYearPreposition, motionTo, needlessPreposition } from './learner/prepositions';
import { newsIs, peopleAre, pluralSubjectAgreement, singularSubjectAgreement, thereIsMany } from './learner/agreement';
import { causativeBareInfinitive, doHomework, gerundAfter, hobbyGerund, letsGerund, pastTimePresentVerb, perfectWithPastTime, veryVerb, wantGerund } from './learner/verbs';
import { questionWordOrder } from './learner/word-order';
import { doubleConjunction, finalPeriod, introductoryComma, nonDefiningWhich, openingClauseComma, openingPhraseComma } from './learner/punctuation';
import { knownMisspelling, textspeak } from './learner/spelling';
import type { Ctx, LearnerRuleEdit, Rule } from './learner/context';

export type { LearnerRuleEdit } from './learner/context';
export { indefiniteArticle, pluralOf, verbForms } from './learner/context';
export { KNOWN_MISSPELLING_RULE, TEXTSPEAK } from './learner/spelling';

/** Every rule, in the order they run (./learner/ holds them by kind: agreement, prepositions, verbs…). */
const RULES: Rule[] = [
  uncountablePlural, oneOfSingular, monthYearPreposition, marryWith, enterInto, arriveTo, discussAbout,
  singularSubjectAgreement, thereIsMany, newsIs, pastTimePresentVerb, perfectWithPastTime, gerundAfter,
  letsGerund, wantGerund, questionWordOrder, doubleConjunction, veryVerb, doHomework, roleNounArticle,
  introductoryComma, openingClauseComma, knownMisspelling, superlativeArticle, countableNounArticle,
  doubleDeterminer, theSame, mostOfPlural, needlessPreposition, listenTo, causativeBareInfinitive, peopleAre, hobbyGerund,
  openingPhraseComma, nonDefiningWhich, finalPeriod, textspeak, pluralSubjectAgreement, motionTo, uncountableArticle,
];

/** Sentences of more than this many tokens are left to the other systems (the rules read short clauses). */
const MAX_TOKENS = 120;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Every learner rule's edits for `text` (one sentence or a few), in text order. */
export function learnerRuleEdits(text: string): LearnerRuleEdit[] {
  let tagsByOffset: Map<number, Set<string>> | null = null;
  const tagsAt = (t: Token): Set<string> => {
    if (!tagsByOffset) {
      tagsByOffset = new Map();
      for (const s of nlp(text).json({ offset: true }) as { terms: { offset: { start: number }; tags: string[] }[] }[]) {
        for (const term of s.terms) tagsByOffset.set(term.offset.start, new Set(term.tags));
      }
    }
    return tagsByOffset.get(t.start) ?? new Set();
  };
  // sentence by sentence (Unicode sentence boundaries): several rules read a sentence's start or end
  const out: LearnerRuleEdit[] = [];
  for (const { segment, index } of sentenceSegmenter.segment(text)) {
    const tokens = tokenizeWithOffsets(segment).map((t) => ({ ...t, start: t.start + index, end: t.end + index }));
    if (!tokens.length || tokens.length > MAX_TOKENS) continue;
    const ctx: Ctx = { text, tokens, low: tokens.map((t) => t.text.toLowerCase()), tags: (i) => tagsAt(tokens[i]) };
    for (const rule of RULES) out.push(...rule(ctx));
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
