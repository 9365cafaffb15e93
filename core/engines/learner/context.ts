/**
 * What every learner rule shares: the edit a rule proposes (LearnerRuleEdit), the sentence it reads
 * (Ctx), word forms from compromise (verbForms, pluralOf…), closed word classes, and the helpers that
 * build edits and find clauses. Imports no rule file.
 */
import nlp from 'compromise';
import { zipf } from '../../text/frequency';
import type { Token } from '../../text/tokenize';
import type { EditType } from '../types';

export interface LearnerRuleEdit {
  /** Rule id, e.g. "LEARNER_UNCOUNTABLE_PLURAL". */
  rule: string;
  type: EditType;
  /** Replace text[start, end) by `after`. */
  start: number;
  end: number;
  after: string;
  /** Why, in English, naming the words (the explanation is built from the category and this). */
  message: string;
  /** How often the rule is right where it fires (a teacher's prior, like the other systems'). */
  prior: number;
}

/** One sentence of the text: its tokens (offsets into the whole text). */
export interface Ctx {
  text: string;
  tokens: Token[];
  /** Lower-cased token texts. */
  low: string[];
  /** compromise's part-of-speech tags of token i, read in the sentence's context ("lives" a verb after "my friend"). */
  tags(i: number): Set<string>;
}

export type Rule = (c: Ctx) => LearnerRuleEdit[];

// ---------------------------------------------------------------------------------------------
// Word forms (compromise), cached: a sentence asks for a handful.

interface Forms {
  infinitive: string;
  past: string;
  present3: string;
  gerund: string;
  participle: string;
}

const formsCache = new Map<string, Forms | null>();

/** The forms of the verb `word` is a form of, or null when compromise does not know it as a verb. */
export function verbForms(word: string): Forms | null {
  const w = word.toLowerCase();
  if (formsCache.has(w)) return formsCache.get(w)!;
  let forms: Forms | null = null;
  const doc = nlp(w);
  if (doc.has('#Verb')) {
    const c = doc.verbs().conjugate()[0] as Record<string, string> | undefined;
    if (c?.Infinitive && c.PastTense && c.PresentTense && c.Gerund) {
      forms = { infinitive: c.Infinitive, past: c.PastTense, present3: c.PresentTense, gerund: c.Gerund, participle: c.Participle ?? c.PastTense };
    }
  }
  formsCache.set(w, forms);
  return forms;
}

/** `word` is the bare infinitive of a verb compromise knows ("go", "work"; not "goes", "went"). */
export function isBareVerb(word: string): boolean {
  if (MODALS.has(word) || word === 'be') return false;
  const f = verbForms(word);
  return !!f && f.infinitive === word.toLowerCase();
}

/** `word` is an -ing form of a verb compromise knows ("going"). */
export function isGerund(word: string): boolean {
  const f = /ing$/.test(word) ? verbForms(word) : null;
  return !!f && f.gerund === word.toLowerCase();
}

/** Plurals compromise may take for singular nouns ("grandchildren" → "grandchildrens"). */
const IRREGULAR_PLURALS = new Set(['children', 'grandchildren', 'people', 'men', 'women', 'feet', 'teeth', 'mice', 'geese', 'police', 'cattle', 'data', 'media', 'criteria', 'phenomena']);

const tagsCache = new Map<string, Set<string>>();
/** compromise's tags of a word read on its own (lower-cased), cached: rules ask about the same words every pass. */
export function wordTags(word: string): Set<string> {
  const w = word.toLowerCase();
  let tags = tagsCache.get(w);
  if (!tags) {
    tags = new Set((nlp(w).json() as { terms: { tags: string[] }[] }[]).flatMap((s) => s.terms.flatMap((t) => t.tags)));
    tagsCache.set(w, tags);
  }
  return tags;
}

const nounCache = new Map<string, string | null>();
/** The plural of a singular common noun, or null when `word` is not one. */
export function pluralOf(word: string): string | null {
  const w = word.toLowerCase();
  if (nounCache.has(w)) return nounCache.get(w)!;
  const t = wordTags(w);
  let plural: string | null = null;
  if (t.has('Noun') && t.has('Singular') && !t.has('Plural') && !t.has('Uncountable') && !t.has('Pronoun') && !IRREGULAR_PLURALS.has(w)) {
    const p = nlp(w).nouns().toPlural().text().toLowerCase();
    if (p && p !== w) plural = p;
  }
  nounCache.set(w, plural);
  return plural;
}

/** Keeps the first letter's case of `like` ("Went" for "Go"). */
export function caseLike(like: string, word: string): string {
  return /^[A-Z]/.test(like) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

// ---------------------------------------------------------------------------------------------
// Closed word classes

export const MODALS = new Set(['can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must']);
export const POSSESSIVES = new Set(['my', 'your', 'his', 'her', 'our', 'their']);
export const DETERMINERS = new Set(['a', 'an', 'the', 'my', 'your', 'his', 'her', 'our', 'their', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'no', 'every', 'each', 'one']);
export const SUBJECT_PRONOUNS = new Set(['i', 'you', 'we', 'they', 'he', 'she', 'it']);
export const BE = new Set(['am', 'is', 'are', 'was', 'were']);
export const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
export const WH = new Set(['where', 'what', 'which', 'when', 'why', 'how', 'who']);

/** Nouns a learner pluralises that English does not count ("advices" → "advice"). */
export const UNCOUNTABLE_PLURALS: Record<string, string> = {
  advices: 'advice',
  informations: 'information',
  equipments: 'equipment',
  furnitures: 'furniture',
  luggages: 'luggage',
  baggages: 'baggage',
  homeworks: 'homework',
  knowledges: 'knowledge',
  feedbacks: 'feedback',
  softwares: 'software',
  sceneries: 'scenery',
  machineries: 'machinery',
  jewelries: 'jewelry',
  vocabularies: 'vocabulary',
};

/** "an" before a vowel sound: "an honest man", "a university student", "a one-way ticket". */
export function indefiniteArticle(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (/^(hon|hour|heir)/.test(w)) return 'an';
  if (/^(uni|use|usu|uti|ure|eu|one|once)/.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

/** A mid-sentence capitalised word that is a name: capitalised, and rare or unknown as an ordinary word. */
export function isName(tok: string, index: number): boolean {
  if (!/^[A-Z][a-z]+$/.test(tok)) return false;
  if (index > 0) return true;
  // at the start every word is capitalised: a name is one English rarely uses as a word
  return zipf(tok) < 2.5;
}

/** The sentence's own end: a question mark as its last token. */
export const isQuestion = (c: Ctx) => c.low[c.low.length - 1] === '?';

export function edit(c: Ctx, from: number, to: number, after: string, rule: string, type: EditType, message: string, prior: number): LearnerRuleEdit {
  return { rule, type, start: c.tokens[from].start, end: c.tokens[to].end, after, message, prior };
}

/** Deletes tokens [from, to] with the space after them. */
export function deletion(c: Ctx, from: number, to: number, rule: string, type: EditType, message: string, prior: number): LearnerRuleEdit {
  const end = c.tokens[to + 1]?.start ?? c.tokens[to].end;
  return { rule, type, start: c.tokens[from].start, end, after: '', message, prior };
}

// ---------------------------------------------------------------------------------------------
// Clauses: where a verb is, and where a sentence's own words begin

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
/** Token k is a verb, a modal, a copula or an auxiliary (compromise's reading in context). */
export function isVerbAt(c: Ctx, k: number): boolean {
  const t = c.tags(k);
  return !t.has('Noun') && (t.has('Verb') || t.has('Modal') || t.has('Copula') || t.has('Auxiliary'));
}

/** Conjunctions a sentence may start with before its own opening ("And then…", "But for example…"). */
export const AND_BUT = new Set(['and', 'but']);
export const AND_BUT_SO = new Set(['and', 'but', 'so']);
/** Index of a sentence's first own word: 1 after a leading conjunction in `leading`, else 0. */
export const openingAt = (c: Ctx, leading: ReadonlySet<string>): number => (leading.has(c.low[0]) ? 1 : 0);
