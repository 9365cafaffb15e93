/**
 * Learner rules for punctuation and linking: commas after an introductory phrase, an opening clause or
 * an opening prepositional phrase, before a non-defining "which", a full stop at the text's end, and a
 * second conjunction where one links the clauses already ("Although…, but…").
 */
import { type Ctx, type LearnerRuleEdit, type Rule, AND_BUT, AND_BUT_SO, BE, MODALS, SUBJECT_PRONOUNS, WH, deletion, isVerbAt, openingAt, range } from './context';

/** Words that open a clause as its subject: a subject pronoun or "there". */
const CLAUSE_SUBJECTS = new Set([...SUBJECT_PRONOUNS, 'there']);
/** Words that join a clause to the one before: a subject and verb after one is not a new main clause. */
const CONJUNCTIONS = new Set(['and', 'but', 'or', 'so', 'because', 'if', 'when', 'while', 'although', 'though', 'since', 'until', 'before', 'after', 'unless', 'that', 'as', 'where', 'whether', 'than']);

/** From token `from` on, a subject pronoun (or "there") and a verb not joined by a conjunction: a clause that may be the main one. */
function laterClause(c: Ctx, from: number): boolean {
  return range(from, c.low.length - 1).some((k) => CLAUSE_SUBJECTS.has(c.low[k]) && isVerbAt(c, k + 1) && !CONJUNCTIONS.has(c.low[k - 1]));
}

/**
 * From token `from` on, a noun right before a finite verb ("…the hero dies", "…people are"): a
 * clause with a noun subject, so the pronoun before it may open a relative clause ("In the book I
 * read yesterday the hero dies").
 */
function laterNounClause(c: Ctx, from: number): boolean {
  return range(Math.max(from, 1), c.low.length).some((k) => {
    const t = c.tags(k);
    const prev = c.tags(k - 1);
    const finite = isVerbAt(c, k) && !t.has('Gerund') && !t.has('Infinitive') && c.low[k - 1] !== 'to';
    return finite && prev.has('Noun') && !prev.has('Pronoun');
  });
}

/** "Although it rained, but we played" → "Although it rained, we played": one linking word is enough. */
export const doubleConjunction: Rule = (c) => {
  const pairs: Record<string, string> = { although: 'but', though: 'but', because: 'so', since: 'so' };
  const first = c.low[0] === 'even' && c.low[1] === 'though' ? 'though' : c.low[0];
  const second = pairs[first];
  if (!second) return [];
  const comma = c.low.indexOf(',');
  const message = (k: number) => `"${c.tokens[0].text}" already links the two clauses: "${c.tokens[k].text}" is not needed.`;
  if (comma < 0) {
    // "Although he is rich but he is unhappy": the second conjunction becomes the comma
    const k = c.low.indexOf(second, 3);
    if (k < 0 || !CLAUSE_SUBJECTS.has(c.low[k + 1])) return [];
    return [{ rule: 'LEARNER_DOUBLE_CONJUNCTION', type: 'redundancy', start: c.tokens[k - 1].end, end: c.tokens[k].end, after: ',', message: message(k), prior: 0.85 }];
  }
  if (comma < 2 || c.low[comma + 1] !== second) return [];
  return [deletion(c, comma + 1, comma + 1, 'LEARNER_DOUBLE_CONJUNCTION', 'redundancy', message(comma + 1), 0.85)];
};

/**
 * Introductory linking phrases that style guides set off with a comma (Swan, "Practical English
 * Usage", discourse markers; the Purdue OWL's list of transitions) and that Korean writers, whose
 * language marks them with a particle instead, often leave bare: "For example many people…",
 * "In my opinion it is…". Conjunctive adverbs (however, therefore, moreover…) are LanguageTool's
 * SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA; these are the phrases and ordinals it leaves out.
 * Each entry: the phrase's words, and the words after it that mean it is not introductory here
 * ("In addition to…", "As a result of…", "Of course not").
 */
const INTRODUCTORY_PHRASES: [string[], Set<string>][] = ([
  ['for example'], ['for instance'], ['in my opinion'], ['in my view'], ['in my experience'], ['in addition', 'to'],
  ['in conclusion'], ['in contrast', 'to with'], ['in fact'], ['in general'], ['in other words'], ['in short'],
  ['in summary'], ['in particular'], ['on the other hand'], ['on the contrary'], ['as a result', 'of'],
  ['as a matter of fact'], ['of course', 'not'], ['to sum up'], ['to begin with'], ['first of all'],
  ['at the same time'], ['by the way'], ['in the end', 'of'], ['in this case'], ['in that case'],
  ['firstly'], ['secondly'], ['thirdly'], ['lastly'], ['unfortunately'], ['fortunately'], ['surprisingly'],
  ['interestingly'], ['personally'], ['nowadays'],
] as const).map(([phrase, not]) => [phrase.split(' '), new Set(((not as string | undefined) ?? '').split(' ').filter(Boolean))]);

/**
 * Conjunctive adverbs (the Purdue OWL's list): LanguageTool's rule for them has exceptions ("Thus
 * even today…" passes it); both proposing the comma is agreement. Not "besides", more often a
 * preposition ("Besides English I study Chinese").
 */
const CONJUNCTIVE_ADVERBS = new Set(['however', 'therefore', 'moreover', 'furthermore', 'nevertheless', 'nonetheless', 'consequently', 'meanwhile', 'otherwise', 'thus', 'hence', 'accordingly', 'additionally', 'similarly', 'likewise', 'indeed', 'instead']);

/** Openers that introduce only before a clause: "Second, the amount…" (not "Second place"), "After that, I…" (not "After that meeting"), "These days, people…" (not "These days are…"). */
const BEFORE_A_CLAUSE: string[][] = [['first'], ['second'], ['third'], ['after', 'that'], ['these', 'days']];
const CLAUSE_OPENERS = new Set([...CLAUSE_SUBJECTS, 'the', 'this', 'these', 'those', 'many', 'most', 'some', 'people', 'my', 'our', 'their', 'his', 'her', 'its', 'if', 'when']);

/** "For example many people…" → "For example, many people…": a comma after an introductory phrase at a sentence's start. */
export const introductoryComma: Rule = (c) => {
  // the phrase opens the sentence, or follows a leading "And" / "But"
  const at = openingAt(c, AND_BUT);
  let words = 0;
  for (const [phrase, notBefore] of INTRODUCTORY_PHRASES) {
    if (phrase.every((w, k) => c.low[at + k] === w) && !notBefore.has(c.low[at + phrase.length])) { words = phrase.length; break; }
  }
  for (const phrase of BEFORE_A_CLAUSE) {
    if (!words && phrase.every((w, k) => c.low[at + k] === w) && CLAUSE_OPENERS.has(c.low[at + phrase.length])) words = phrase.length;
  }
  if (!words && CONJUNCTIVE_ADVERBS.has(c.low[at])) {
    const next = c.tags(at + 1);
    // "However hard you try", "Thus began…", "Instead of", "Thus far": not a linking adverb here
    const modifies = next.has('Verb') || (c.low[at] === 'however' && (next.has('Adjective') || next.has('Adverb')));
    if (!modifies && !/^(of|to|far|than|as|and|or)$/.test(c.low[at + 1] ?? '')) words = 1;
  }
  if (!words) return [];
  const last = at + words - 1;
  const next = c.low[last + 1];
  // a clause must follow (at least two words), and nothing that already separates the phrase
  if (!next || !/^[a-z]/.test(next) || next === 'and' || next === 'or' || c.low.length - (last + 1) < 3) return [];
  const phrase = c.tokens.slice(at, last + 1).map((t) => t.text).join(' ');
  return [{ rule: 'LEARNER_INTRODUCTORY_COMMA', type: 'punctuation', start: c.tokens[last].end, end: c.tokens[last].end, after: ',', message: `"${phrase}" introduces the sentence: a comma follows it.`, prior: 0.8 }];
};

/** Words that open an adverbial clause; its end is marked by a comma before the main clause. */
const SUBORDINATORS = new Set(['if', 'when', 'although', 'though', 'because', 'since', 'while', 'before', 'after', 'once', 'unless', 'whenever']);
/** Verbs whose object can be a clause without "that" ("If you think you are…", "When I told him he…"): a pronoun after them starts no main clause. */
const CLAUSE_TAKING = /^(think|thought|thinks|know|knew|knows|known|believe|believed|believes|say|said|says|tell|told|tells|hope|hoped|hopes|feel|felt|feels|find|found|finds|see|saw|sees|seen|hear|heard|hears|mean|meant|means|guess|guessed|suppose|supposed|realize|realized|realise|realised|notice|noticed|understand|understood|remember|remembered|forget|forgot|wish|wished|show|showed|shown|shows|promise|promised|ask|asked|asks|teach|taught|learn|learned|learnt|decide|decided|explain|explained|agree|agreed|doubt|imagine|imagined|expect|expected|prove|proved|worry|worried|sure|afraid|glad|sorry|happy|surprised)$/;

/**
 * "If you want a product you give…" → "If you want a product, you give…": an adverbial clause at
 * the start of a sentence ends with a comma. The main clause is found only where it cannot be
 * anything else: a subject pronoun and a verb right after a noun, adjective or adverb, an opening
 * clause with a verb of its own and no clause-taking verb, no later subject and verb that would be
 * the main clause instead, and no comma anywhere in the sentence.
 */
export const openingClauseComma: Rule = (c) => {
  const at = openingAt(c, AND_BUT);
  const opener = c.low[at] === 'even' && (c.low[at + 1] === 'if' || c.low[at + 1] === 'though') ? at + 1 : at;
  if (!SUBORDINATORS.has(c.low[opener]) || c.low.includes(',') || c.low.includes(';')) return [];
  for (let i = opener + 3; i + 1 < c.low.length; i++) {
    if (CLAUSE_TAKING.test(c.low[i - 1]) || c.low[i - 1] === 'that') return []; // "If you think you…"
    if (!CLAUSE_SUBJECTS.has(c.low[i])) continue;
    const before = c.tags(i - 1);
    const after = c.tags(i + 1);
    const endsClause = (before.has('Noun') && !before.has('Pronoun')) || before.has('Adjective') || before.has('Adverb');
    if (!endsClause || before.has('Preposition') || before.has('Determiner') || before.has('Conjunction')) return [];
    if (!(after.has('Verb') || after.has('Modal') || after.has('Copula') || after.has('Auxiliary'))) return [];
    // the opening clause has its own verb: "If the food we ate was bad…" is a noun and its relative clause
    if (!range(opener + 1, i).some((k) => isVerbAt(c, k))) return [];
    // no later subject and verb that is not joined by a conjunction: in "If you like the food we
    // make you will come back", "you will" is the main clause and "we make" a relative clause
    if (laterClause(c, i + 2)) return [];
    const last = c.tokens[i - 1];
    return [{ rule: 'LEARNER_OPENING_CLAUSE_COMMA', type: 'punctuation', start: last.end, end: last.end, after: ',', message: `The clause "${c.tokens.slice(opener, i).map((t) => t.text).join(' ')}" opens the sentence: a comma ends it before "${c.tokens[i].text}".`, prior: 0.75 }];
  }
  return [];
};

/** Prepositions that open an adverbial phrase ("In the commercials", "With the money", "According to the study"). */
const OPENING_PREPOSITIONS: string[][] = ['in', 'at', 'on', 'during', 'after', 'before', 'from', 'by', 'with', 'without', 'through', 'throughout', 'despite', 'for', 'under', 'among', 'unlike', 'according to', 'because of', 'due to', 'thanks to'].map((p) => p.split(' '));
/** Words a noun phrase in an opening phrase may not contain: they start or join clauses. */
const NOT_IN_PHRASE = new Set([...CONJUNCTIONS, 'which', 'who', 'whom', 'whose', 'what', 'how', 'why', 'not', 'to']);

/**
 * "In the commercials they are all…" → "In the commercials, they are all…": a prepositional phrase
 * that opens a sentence ends with a comma before the main clause. Only where its end is certain:
 * the phrase is a preposition and a noun phrase of two to six words with no verb, ending in a
 * noun, and a subject pronoun (or "there") and a verb follow; nothing later can be the main clause
 * instead ("In the house they built we lived…" is left alone), and the sentence has no comma. One-word
 * phrases ("In Korea we…", "On Monday I…") are left alone: style guides make that comma optional.
 */
export const openingPhraseComma: Rule = (c) => {
  const at = openingAt(c, AND_BUT_SO);
  const prep = OPENING_PREPOSITIONS.find((p) => p.every((w, k) => c.low[at + k] === w));
  // "In my opinion" is the other rule's; a comma anywhere may close a longer phrase ("Thanks to the
  // hours you put in, the client…")
  if (!prep || introductoryComma(c).length || c.low.includes(',') || c.low.includes(';')) return [];
  const from = at + prep.length;
  for (let i = from + 2; i <= from + 6 && i + 1 < c.low.length; i++) {
    const w = c.low[i - 1];
    if (!/^[a-z0-9'-]+$/.test(w) || NOT_IN_PHRASE.has(w) || SUBJECT_PRONOUNS.has(w) || isVerbAt(c, i - 1)) return [];
    if (!CLAUSE_SUBJECTS.has(c.low[i])) continue;
    const before = c.tags(i - 1);
    if (!before.has('Noun') || before.has('Pronoun') || before.has('Determiner') || before.has('Preposition')) return [];
    if (!isVerbAt(c, i + 1) || laterClause(c, i + 2) || laterNounClause(c, i + 3)) return [];
    const last = c.tokens[i - 1];
    return [{ rule: 'LEARNER_OPENING_PHRASE_COMMA', type: 'punctuation', start: last.end, end: last.end, after: ',', message: `The phrase "${c.tokens.slice(at, i).map((t) => t.text).join(' ')}" opens the sentence: a comma ends it before "${c.tokens[i].text}".`, prior: 0.75 }];
  }
  return [];
};

/**
 * "…study about disease which means that…" → "…disease, which means that…", "I went to Kyoto
 * which is…" → "Kyoto, which is…": a "which" clause about a whole clause ("which means") or about
 * a name (a name needs no clause to tell which one) adds information, and a comma sets it off.
 * A "which" after a common noun may define it ("the car which I bought"): left alone.
 */
export const nonDefiningWhich: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 2; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'which' || !/^[A-Za-z]/.test(c.low[i - 1])) continue;
    const prev = c.tokens[i - 1].text;
    const name = /^[A-Z][a-z]+$/.test(prev) && c.tags(i - 1).has('ProperNoun') && !c.tags(i - 1).has('Pronoun');
    const aboutClause = c.low[i + 1] === 'means' || c.low[i + 1] === 'meant' || (c.low[i + 1] === 'is' && c.low[i + 2] === 'why');
    if (!name && !aboutClause) continue;
    const before = c.tags(i - 1);
    if (before.has('Preposition') || before.has('Determiner') || before.has('Conjunction')) continue; // "in which", "of which"
    out.push({ rule: 'LEARNER_NON_DEFINING_WHICH', type: 'punctuation', start: c.tokens[i - 1].end, end: c.tokens[i - 1].end, after: ',', message: name ? `"which" adds information about "${prev}": a comma comes before it.` : `"which ${c.tokens[i + 1].text}" refers to the whole clause before it: a comma comes before "which".`, prior: 0.75 });
  }
  return out;
};

/** Words that may open a question: a sentence starting with one may want "?" rather than ".". */
const QUESTION_OPENERS = new Set([...WH, ...BE, ...MODALS, 'whom', 'whose', 'do', 'does', 'did', 'have', 'has', 'had']);

/**
 * "We must trust ourselves" → "We must trust ourselves.": a written sentence ends with a full
 * stop. Only the text's last sentence, when it is a statement with a verb of at least four words
 * that starts with a capital letter and ends in a word (not "…", a bracket or a quote); a possible
 * question ("Where you are going", "Can I…") is left alone rather than guessed.
 */
export const finalPeriod: Rule = (c) => {
  const last = c.tokens[c.tokens.length - 1];
  if (c.tokens.length < 4 || last.end !== c.text.trimEnd().length || !/^[A-Za-z]+$/.test(last.text)) return [];
  if (!/^[A-Z]/.test(c.tokens[0].text) || QUESTION_OPENERS.has(c.low[0]) || !range(1, c.tokens.length).some((k) => isVerbAt(c, k))) return [];
  return [{ rule: 'LEARNER_FINAL_PERIOD', type: 'punctuation', start: last.end, end: last.end, after: '.', message: `The sentence ends after "${last.text}": a full stop closes it.`, prior: 0.8 }];
};
