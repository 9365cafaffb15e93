/**
 * Learner rules for spelling: common misspellings with one known correction ("teached", "alot") and chat
 * shorthand ("u", "ur", "pls"). Exports the rule id and the shorthand list the scorer and the
 * explanations read.
 */
import { commonMisspelling } from '../../text/misspellings';
import { type LearnerRuleEdit, type Rule, UNCOUNTABLE_PLURALS, caseLike, edit } from './context';

/** The rule id of a common misspelling's known correction (the spelling competition lets it win). */
export const KNOWN_MISSPELLING_RULE = 'LEARNER_COMMON_MISSPELLING';

/**
 * Alone, below the ensemble's threshold: "critic" is a word whatever the list says. Where a spell
 * checker flags the word, the prior scorer lets the list's correction win the spelling choice.
 */
const KNOWN_MISSPELLING_PRIOR = 0.4;

/** "teached", "alot", "familys" → "taught", "a lot", "families": a common misspelling with one known correction (../text/misspellings). */
export const knownMisspelling: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  c.tokens.forEach((t, i) => {
    // an uncountable noun made plural ("advices") is its own rule, with its own explanation
    const right = /^[A-Za-z]+$/.test(t.text) && !(c.low[i] in UNCOUNTABLE_PLURALS) ? commonMisspelling(t.text) : undefined;
    if (!right) return;
    out.push(edit(c, i, i, caseLike(t.text, right), KNOWN_MISSPELLING_RULE, 'spelling', `"${t.text}" is a common misspelling of "${right}".`, KNOWN_MISSPELLING_PRIOR));
  });
  return out;
};

/** Chat shorthand a learner carries into writing, and the word it stands for. */
export const TEXTSPEAK: Readonly<Record<string, string>> = { u: 'you', ur: 'your', pls: 'please', plz: 'please', thx: 'thanks', coz: 'because', cuz: 'because' };

/**
 * "I think u will agree" → "I think you will agree": chat shorthand is not written English, and a
 * spell checker takes "u" for a typo of "up". Lower-case, between words only ("U-turn", "Ur" the
 * city, "u." in an abbreviation are left alone).
 */
export const textspeak: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  c.tokens.forEach((t, i) => {
    const word = TEXTSPEAK[t.text];
    if (!word || c.text[t.end] === '.' || c.text[t.start - 1] === '-' || c.text[t.end] === '-') return;
    out.push(edit(c, i, i, word, 'LEARNER_TEXTSPEAK', 'spelling', `"${t.text}" is chat shorthand: in writing, "${word}".`, 0.8));
  });
  return out;
};
