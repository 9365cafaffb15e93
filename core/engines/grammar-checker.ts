/**
 * The port through which the ensemble asks a grammar checker for matches. LanguageTool's HTTP
 * client (adapters/languagetool.ts) implements it; the match shape is LanguageTool's, as plain data.
 */

/** One match: a span of the text, what is wrong with it, and the replacements offered. */
export interface GrammarMatch {
  /** Rule id, with the sub-rule when there is one: "I_AM_VB[14]". */
  rule: string;
  /** Rule id alone: "I_AM_VB". */
  ruleId: string;
  /** The checker's category id: GRAMMAR, TYPOS, CASING, PUNCTUATION, COLLOCATIONS… */
  category: string;
  /** The checker's issue type: misspelling, grammar, typographical, style… */
  issueType: string;
  message: string;
  shortMessage: string;
  /** Offsets in UTF-16 code units, like JavaScript strings. */
  start: number;
  end: number;
  /** Replacements in the checker's order (its best first). */
  replacements: string[];
}

export interface GrammarChecker {
  /** The matches found in `text`, sorted by position; rejects when the checker cannot be reached. */
  check(text: string, signal?: AbortSignal): Promise<GrammarMatch[]>;
}
