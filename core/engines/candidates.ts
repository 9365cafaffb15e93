/**
 * Candidate edits: what every base system (Harper, LanguageTool, learner rules, learned patterns) proposes for a
 * text, in one shape, before anything is applied. One candidate per suggestion: a Harper lint
 * with three spelling suggestions is three candidates of rank 0, 1, 2 over the same span.
 *
 * Offsets are UTF-16 code units into the text the systems saw (`text.slice(start, end) === before`).
 * Each candidate is reduced to its minimal form (the characters it really changes), so the same
 * correction proposed by two systems over different spans ("am agree" → "agree" and "am " → "")
 * compares equal through `editKey`.
 */
import { classifyEdit } from './classify';
import type { RawLint } from './harper';
import type { GrammarMatch } from './grammar-checker';
import { learnerRuleEdits } from './learner-rules';
import { renderMatches, type RuleModel } from './rules';
import { zipf } from '../text/frequency';
import { tokenizeWithOffsets } from '../text/tokenize';
import type { EditType } from './types';

export const SYSTEMS = ['harper', 'languagetool', 'learner', 'patterns'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface Candidate {
  system: SystemName;
  /** The system's rule id: Harper's rule ("SpellCheck"), LanguageTool's ("I_AM_VB[14]"), "pattern". */
  rule: string;
  /** The system's own category: Harper's lint kind, LanguageTool's category id, "pattern". */
  ruleCategory: string;
  /** Our category of the change (article, agreement, spelling…). */
  type: EditType;
  /** The system's message (English), used in the explanation. */
  message: string;
  start: number;
  end: number;
  before: string;
  after: string;
  /** Index of this suggestion among the match's suggestions (0 = the system's first choice). */
  rank: number;
  /** How many suggestions the match offered. */
  alternatives: number;
  /** The whole span the system flagged (before minimisation), for the explanation. */
  flagged: { start: number; end: number };
  /** The system's own estimate of its precision, when it has one (learner rules and learned patterns do). */
  prior?: number;
}

/** The edit as a key: two candidates with the same key make the same change. */
export function editKey(c: Pick<Candidate, 'start' | 'end' | 'after'>): string {
  return `${c.start}:${c.end}:${c.after}`;
}

/**
 * Shrinks a replacement of text[start, end) by `after` to the characters that really change
 * (common prefix and suffix removed), keeping word boundaries whole: "am agree" → "agree"
 * becomes "am " → "" (then extended to whole words by the caller's tokenisation if needed).
 */
export function minimise(text: string, start: number, end: number, after: string): { start: number; end: number; after: string } {
  const before = text.slice(start, end);
  // Keep whole words: each cut moves back to a word boundary, so "agree"→"agreed" stays a word
  // replacement rather than "" → "d".
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  while (p > 0 && isWordChar(before[p - 1]) && (isWordChar(before[p] ?? '') || isWordChar(after[p] ?? ''))) p--;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  while (s > 0 && isWordChar(before[before.length - s]) && (isWordChar(before[before.length - s - 1] ?? '') || isWordChar(after[after.length - s - 1] ?? ''))) s--;
  return { start: start + p, end: end - s, after: after.slice(p, after.length - s) };
}

function isWordChar(ch: string): boolean {
  return /[\p{L}\p{N}']/u.test(ch);
}

function candidate(text: string, base: Omit<Candidate, 'start' | 'end' | 'before' | 'after' | 'type' | 'flagged'> & { fallbackType: EditType }, start: number, end: number, after: string): Candidate | null {
  if (!(start >= 0 && end >= start && end <= text.length)) return null;
  const m = minimise(text, start, end, after);
  const before = text.slice(m.start, m.end);
  if (before === m.after) return null;
  const { fallbackType, ...rest } = base;
  return { ...rest, start: m.start, end: m.end, before, after: m.after, type: classifyEdit(before, m.after, fallbackType), flagged: { start, end } };
}

// ---------------------------------------------------------------------------------------------
// Harper

/** Candidates from Harper's lints (every suggestion of every lint). */
export function harperCandidates(text: string, lints: readonly RawLint[], typeOf: (kind: string, rule: string) => EditType): Candidate[] {
  const out: Candidate[] = [];
  for (const lint of lints) {
    // leave HTML entities alone (&amp; …): they are markup, not words
    if (text[lint.start - 1] === '&' && text[lint.end] === ';') continue;
    lint.suggestions.forEach((s, rank) => {
      const [start, end, after] =
        s.kind === 'insert_after' ? [lint.end, lint.end, s.text] : [lint.start, lint.end, s.kind === 'remove' ? '' : s.text];
      const c = candidate(
        text,
        { system: 'harper', rule: lint.rule, ruleCategory: lint.kind, fallbackType: typeOf(lint.kind, lint.rule), message: lint.message, rank, alternatives: lint.suggestions.length },
        start,
        end,
        after,
      );
      if (c) out.push(c);
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// LanguageTool

const LT_CATEGORY_TYPES: Record<string, EditType> = {
  TYPOS: 'spelling',
  CASING: 'capitalization',
  GRAMMAR: 'grammar',
  PUNCTUATION: 'punctuation',
  TYPOGRAPHY: 'punctuation',
  COLLOCATIONS: 'collocation',
  CONFUSED_WORDS: 'word_choice',
  NONSTANDARD_PHRASES: 'word_choice',
  REDUNDANCY: 'redundancy',
  REPETITIONS: 'redundancy',
  REPETITIONS_STYLE: 'style',
  STYLE: 'style',
  PLAIN_ENGLISH: 'style',
  SEMANTICS: 'word_choice',
  MISC: 'other',
};

const LT_RULE_TYPES: [RegExp, EditType][] = [
  [/^EN_A_VS_AN$|ARTICLE|^THE_/, 'article'],
  [/^CD_NN|^MANY_NN|^THERE_RE_MANY|^THIS_NNS|^A_NNS$|^NNS_/, 'plural'],
  [/^ADMIT_ENJOY_VB|GERUND|^TO_NON_BASE|^PREP_VERBFORM/, 'verb_form'],
  [/^BE_INTEREST_IN|ED_ING|^PRP_JJ/, 'word_form'],
  [/AGREEMENT|AGR|^NON3PRS|_VBZ$|^THERE_S_MANY|^PEOPLE_VBZ|^EVERY_EACH_SINGULAR/, 'agreement'],
  [/^MD_|^DID_PAST|^AUXILIARY_DO|PAST|PARTICIPLE|^I_AM_VB|^PRP_HAVE_VB|^HE_NEED|^CHOOSED/, 'verb_form'],
  [/PREPOSITION|^IN_WEEKDAY|^EXPLAIN_TO|^MISSING_TO/, 'preposition'],
  [/COMPARATIVE|SUPERLATIVE|^COMP_THAN/, 'word_form'],
  [/^MORFOLOGIK|SPELLING|^EN_SPLIT_WORDS|^EN_COMPOUNDS/, 'spelling'],
  [/_LOWERCASE$|UPPERCASE|CASE$/, 'capitalization'],
  [/REPEAT|REDUNDAN/, 'redundancy'],
];

/** Our category of a LanguageTool match: from its rule id, else its category. */
export function languageToolType(category: string, ruleId: string): EditType {
  for (const [re, type] of LT_RULE_TYPES) if (re.test(ruleId)) return type;
  return LT_CATEGORY_TYPES[category] ?? 'other';
}

/** A grammar rule's first replacement this rare (Zipf) gives way to one this much more common. */
const RARE_FIRST = 3.5;
const RARE_FIRST_GAP = 1.5;

/**
 * A grammar rule's one-word replacements with a rare word first moved behind a much more common
 * one: "two brother" → LanguageTool offers "brethren", then "brothers". Phrases are left in the
 * rule's order (they are rewordings, not forms of one word), and so are spelling rules (the
 * ensemble's spelling choice weighs frequency itself).
 */
export function commonReplacementsFirst(m: Pick<GrammarMatch, 'category' | 'ruleId' | 'replacements'>): string[] {
  const r = m.replacements;
  if (r.length < 2 || languageToolType(m.category, m.ruleId) === 'spelling' || !r.every((x) => /^[A-Za-z]+$/.test(x))) return [...r];
  const first = zipf(r[0]);
  if (first >= RARE_FIRST) return [...r];
  const best = r.reduce((b, x) => (zipf(x) > zipf(b) ? x : b), r[0]);
  return zipf(best) - first >= RARE_FIRST_GAP ? [best, ...r.filter((x) => x !== best)] : [...r];
}

/** Candidates from LanguageTool's matches (every replacement of every match). */
export function languageToolCandidates(text: string, matches: readonly GrammarMatch[]): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matches) {
    commonReplacementsFirst(m).forEach((after, rank) => {
      const c = candidate(
        text,
        { system: 'languagetool', rule: m.rule, ruleCategory: m.category, fallbackType: languageToolType(m.category, m.ruleId), message: m.message, rank, alternatives: m.replacements.length },
        m.start,
        m.end,
        after,
      );
      if (c) out.push(c);
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// learner rules

/** Candidates from the hand-written learner rules (./learner-rules), each at its rule's prior. */
export function learnerCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const e of learnerRuleEdits(text)) {
    const c = candidate(text, { system: 'learner', rule: e.rule, ruleCategory: 'learner', fallbackType: e.type, message: e.message, rank: 0, alternatives: 1, prior: e.prior }, e.start, e.end, e.after);
    // the rule knows its category better than the edit's shape does ("a " inserted is an article)
    if (c) out.push({ ...c, type: e.type });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// learned patterns

/** Candidates from a learned pattern model: each firing rule, trusted as its training precision. */
export function patternCandidates(text: string, model: RuleModel): Candidate[] {
  const tokens = tokenizeWithOffsets(text);
  const found = model.match(tokens.map((t) => t.text));
  if (!found.length) return [];
  const out: Candidate[] = [];
  renderMatches(text, tokens, found).forEach((e, i) => {
    const rule = found[i].rule;
    const c = candidate(
      text,
      {
        system: 'patterns',
        rule: `pattern:${[...rule.left, '[', ...rule.before, ']', ...rule.right].join(' ')}`,
        ruleCategory: 'pattern',
        fallbackType: rule.type,
        message: e.part.detail ?? '',
        rank: 0,
        alternatives: 1,
        prior: rule.lowerBound,
      },
      e.start,
      e.end,
      e.after,
    );
    if (c) out.push(c);
  });
  return out;
}
