/**
 * The hand-set prior scorer: what the ensemble uses before any model is trained (engine
 * `ensemble`), and the fallback of a trained scorer. Its numbers are a teacher's priors, not
 * fitted to any evaluation set:
 *  - each system's rules have a reliability by category (grammar rules that name the fix are
 *    trusted; comma, style and typography advice is not a learner's error and is not applied
 *    unless two systems agree);
 *  - a suggestion other than the system's first is much less likely to be right, and a Harper
 *    lint that offers several different fixes is less sure of each;
 *  - agreement between systems multiplies the evidence: 1 − Π (1 − reliability);
 *  - for a misspelt word, the suggestions of every system compete on one scale (weighted edit
 *    distance + word surprisal, see ./spelling), and only the best is a candidate, unless the list
 *    of common misspellings names the word meant ("teached" → "taught", not the nearer "reached");
 *  - a learned pattern is as reliable as the lower bound of its precision in training, a learner
 *    rule as its author's prior (./learner-rules).
 */
import { supportBySystem, type Cluster, type EditOption, type EditScorer } from './merge';
import { type Candidate } from './candidates';
import { KNOWN_MISSPELLING_RULE } from './learner-rules';
import { DEFAULT_SPELLING_RANK, spellingCost } from './spelling';

export const HARPER_KIND: Record<string, number> = {
  Agreement: 0.6,
  Grammar: 0.6,
  Usage: 0.6,
  WordChoice: 0.55,
  Miscellaneous: 0.6,
  Redundancy: 0.55,
  Repetition: 0.6,
  Capitalization: 0.65,
  Eggcorn: 0.5,
  Malapropism: 0.5,
  Nonstandard: 0.5,
  BoundaryError: 0.5,
  Punctuation: 0.4,
  WordOrder: 0.45,
  // confusable-word and word-boundary guesses ("Where" → "Were", "informations" → "in formations")
  Typo: 0.3,
  Style: 0.1,
  Enhancement: 0.1,
  Formatting: 0.1,
  Regionalism: 0.1,
  Readability: 0.05,
};

export const LANGUAGETOOL_CATEGORY: Record<string, number> = {
  GRAMMAR: 0.7,
  COLLOCATIONS: 0.65,
  NONSTANDARD_PHRASES: 0.65,
  MISC: 0.65,
  CASING: 0.65,
  TYPOS: 0.55,
  CONFUSED_WORDS: 0.5,
  REDUNDANCY: 0.5,
  SEMANTICS: 0.3,
  PUNCTUATION: 0.55,
  REPETITIONS: 0.4,
  REPETITIONS_STYLE: 0.1,
  STYLE: 0.1,
  PLAIN_ENGLISH: 0.1,
  TYPOGRAPHY: 0.1,
};

/**
 * LanguageTool rules that misfire on learner text: LETS_LET turns "Let's going" into "Lets going"
 * (the error is "going"; found on our learner suite); FIRST_OF_ALL deletes "of all" from "First of
 * all", which is standard English, not an error a teacher marks; ALL_MOST_SOME_OF_NOUN turns "All
 * of student" into "All student" (both its fixes leave the noun singular).
 */
const UNRELIABLE_RULES = new Set(['LETS_LET', 'FIRST_OF_ALL', 'ALL_MOST_SOME_OF_NOUN']);

/** A suggestion that is not the system's first choice. */
const LATER_RANK = 0.35;

export function isSpellingCandidate(c: Candidate): boolean {
  return c.rule === 'SpellCheck' || /^MORFOLOGIK_RULE/.test(c.rule);
}

/** How far one candidate alone should be trusted. */
export function candidateReliability(c: Candidate): number {
  let r: number;
  if (c.system === 'patterns' || c.system === 'learner') r = c.prior ?? 0.5;
  else if (c.system === 'harper') r = HARPER_KIND[c.ruleCategory] ?? 0.3;
  else r = UNRELIABLE_RULES.has(c.rule.replace(/\[.*$/, '')) ? 0.05 : LANGUAGETOOL_CATEGORY[c.ruleCategory] ?? 0.3;
  if (c.alternatives > 1 && c.system === 'harper') r *= SEVERAL_FIXES;
  return c.rank === 0 ? r : r * LATER_RANK;
}

/** Evidence of several systems together. */
export function combine(reliabilities: number[]): number {
  return 1 - reliabilities.reduce((p, r) => p * (1 - r), 1);
}

/**
 * A suggestion both spell checkers list is cheaper by this much: on 800 common misspellings
 * (bench/spelling.bench.ts, not JFLEG) the right word is picked 89.0% of the time, 87.9% without.
 */
const LISTED_BY_BOTH = 0.5;


/**
 * A Harper lint that offers several different fixes for one place is less sure of each ("arrived
 * to" → "at" or "in": it cannot tell). LanguageTool's rule authors order their replacements, so
 * its first one keeps full weight.
 */
const SEVERAL_FIXES = 0.8;

/** A spelling option is trusted like this when one / two spell checkers flag the word. */
const SPELLING_ONE = 0.75;
const SPELLING_BOTH = 0.9;

export class PriorScorer implements EditScorer {
  readonly name = 'prior';
  readonly threshold = 0.5;

  scoreCluster(_text: string, cluster: Cluster): number[] {
    const flaggedBy = new Set(cluster.options.flatMap((o) => o.support.filter(isSpellingCandidate).map((c) => c.system)));
    // the list of common misspellings names the word meant, but only for a word a spell checker
    // flags: "critic" is a word, whatever the list says
    const known = cluster.options.map((o) => flaggedBy.size > 0 && o.support.some((c) => c.rule === KNOWN_MISSPELLING_RULE));
    const spelling = cluster.options.map((o, i) => known[i] || o.support.some(isSpellingCandidate));
    // among the spelling suggestions for one word, only the cheapest competes
    let best = -1;
    let bestCost = Infinity;
    cluster.options.forEach((o, i) => {
      if (!spelling[i]) return;
      const listedBy = new Set(o.support.filter(isSpellingCandidate).map((c) => c.system)).size;
      const cost = known[i] ? -Infinity : spellingCost(o.before.trim(), o.after.trim(), DEFAULT_SPELLING_RANK) - (listedBy > 1 ? LISTED_BY_BOTH : 0) + i * 1e-9;
      if (cost < bestCost) {
        bestCost = cost;
        best = i;
      }
    });
    return cluster.options.map((o, i) => {
      const others = [...supportBySystem(withoutSpelling(o)).values()].filter((c) => c.rule !== KNOWN_MISSPELLING_RULE).map(candidateReliability);
      if (spelling[i]) {
        if (i !== best) return combine(others) * LATER_RANK;
        return combine([flaggedBy.size > 1 ? SPELLING_BOTH : SPELLING_ONE, ...others]);
      }
      return combine([...supportBySystem(o).values()].map(candidateReliability));
    });
  }
}

function withoutSpelling(o: EditOption): EditOption {
  return { ...o, support: o.support.filter((c) => !isSpellingCandidate(c)) };
}

/**
 * Every system's first suggestion, leftmost first: what a checker does when its suggestions are
 * applied as they come. Used for baselines ("LanguageTool alone"), not by the ensemble.
 */
export class FirstSuggestionScorer implements EditScorer {
  readonly name = 'first-suggestion';
  readonly threshold = 0.5;
  scoreCluster(_text: string, cluster: Cluster): number[] {
    return cluster.options.map((o) => (o.support.some((c) => c.rank === 0) ? 1 - o.start * 1e-9 : 0));
  }
}
