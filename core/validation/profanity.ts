/**
 * Check `profanity`, and profanity helpers shared with serving: obscenity's English dataset with
 * its recommended transformers (catches l33t speak, confusable Unicode, repeated letters, spacing)
 * and its whitelist (no match in "Scunthorpe", "grapes", "the pen is").
 */
import { asteriskCensorStrategy, englishDataset, englishRecommendedTransformers, RegExpMatcher, TextCensor } from 'obscenity';
import type { CandidateSample, RejectionReason } from './types';
import { TEXT_FIELDS } from './types';

let matcher: RegExpMatcher | undefined;
function getMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

const censor = new TextCensor().setStrategy(asteriskCensorStrategy());

/** True when `text` contains English profanity. */
export function containsProfanity(text: string): boolean {
  return getMatcher().hasMatch(text);
}

/** `text` with every profane span replaced by asterisks (same length in code points: "fuck you" → "**** you"). */
export function maskProfanity(text: string): string {
  const matches = getMatcher().getAllMatches(text);
  return matches.length ? censor.applyTo(text, matches) : text;
}

/** Words found, as the dataset's original terms (for logs and reports; never the raw text). */
export function profaneTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const m of getMatcher().getAllMatches(text, true)) {
    const word = englishDataset.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord;
    if (word) terms.add(word);
  }
  return [...terms];
}

export function checkProfanity(s: Pick<CandidateSample, 'awkward' | 'corrected' | 'reason'>): RejectionReason[] {
  // One pass over the three fields together (the matcher has a high per-call cost); only on a
  // hit, field by field, which also drops any match made across the joins.
  if (!containsProfanity(`${s.awkward}\n${s.corrected}\n${s.reason}`)) return [];
  return TEXT_FIELDS.filter((f) => containsProfanity(s[f])).map((f) => ({ code: 'profanity', field: f, detail: `${f}: contains profanity` }));
}
