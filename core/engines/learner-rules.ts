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
 * ch. Korean; our learner suite core/eval/learner-suite.json); JFLEG is never used to write or
 * weigh them.
 */
import nlp from 'compromise';
import { zipf } from '../text/frequency';
import { commonMisspelling } from '../text/misspellings';
import { type Token, tokenizeWithOffsets } from '../text/tokenize';
import type { EditType } from './types';

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
interface Ctx {
  text: string;
  tokens: Token[];
  /** Lower-cased token texts. */
  low: string[];
  /** compromise's part-of-speech tags of token i, read in the sentence's context ("lives" a verb after "my friend"). */
  tags(i: number): Set<string>;
}

type Rule = (c: Ctx) => LearnerRuleEdit[];

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
function isBareVerb(word: string): boolean {
  if (MODALS.has(word) || word === 'be') return false;
  const f = verbForms(word);
  return !!f && f.infinitive === word.toLowerCase();
}

/** `word` is an -ing form of a verb compromise knows ("going"). */
function isGerund(word: string): boolean {
  const f = /ing$/.test(word) ? verbForms(word) : null;
  return !!f && f.gerund === word.toLowerCase();
}

/** Plurals compromise may take for singular nouns ("grandchildren" → "grandchildrens"). */
const IRREGULAR_PLURALS = new Set(['children', 'grandchildren', 'people', 'men', 'women', 'feet', 'teeth', 'mice', 'geese', 'police', 'cattle', 'data', 'media', 'criteria', 'phenomena']);

const tagsCache = new Map<string, Set<string>>();
/** compromise's tags of a word read on its own (lower-cased), cached: rules ask about the same words every pass. */
function wordTags(word: string): Set<string> {
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
function caseLike(like: string, word: string): string {
  return /^[A-Z]/.test(like) ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

// ---------------------------------------------------------------------------------------------
// Closed word classes

const MODALS = new Set(['can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must']);
const POSSESSIVES = new Set(['my', 'your', 'his', 'her', 'our', 'their']);
const DETERMINERS = new Set(['a', 'an', 'the', 'my', 'your', 'his', 'her', 'our', 'their', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'no', 'every', 'each', 'one']);
const SUBJECT_PRONOUNS = new Set(['i', 'you', 'we', 'they', 'he', 'she', 'it']);
const BE = new Set(['am', 'is', 'are', 'was', 'were']);
const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
const WH = new Set(['where', 'what', 'which', 'when', 'why', 'how', 'who']);

/** Nouns a learner pluralises that English does not count ("advices" → "advice"). */
const UNCOUNTABLE_PLURALS: Record<string, string> = {
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

/** Indefinite pronouns that take a singular verb ("Everyone have" → "has"). */
const SINGULAR_INDEFINITES = new Set(['everyone', 'everybody', 'someone', 'somebody', 'nobody', 'anyone', 'anybody', 'everything', 'nothing', 'something']);

/**
 * People's roles and jobs: singular count nouns that need an article after "I am", "He is"…
 * ("I am student" → "I am a student"). A closed list, because "He is ___" also takes uncountable
 * and mass nouns ("It is water", "She is trouble") where no article is missing.
 */
const ROLE_NOUNS = new Set([
  'student', 'teacher', 'doctor', 'nurse', 'engineer', 'lawyer', 'worker', 'singer', 'actor', 'actress', 'writer', 'programmer', 'developer', 'designer',
  'scientist', 'artist', 'farmer', 'pilot', 'driver', 'chef', 'cook', 'officer', 'soldier', 'businessman', 'businesswoman', 'housewife', 'man', 'woman',
  'boy', 'girl', 'person', 'friend', 'member', 'tourist', 'foreigner', 'beginner', 'fan', 'liar', 'adult', 'child', 'baby', 'professor', 'dentist',
  'accountant', 'manager', 'employee', 'salesman', 'waiter', 'waitress', 'musician', 'player', 'painter', 'photographer', 'journalist', 'reporter',
  'police officer', 'firefighter', 'president', 'volunteer', 'vegetarian', 'doctor', 'freshman', 'sophomore', 'teenager', 'genius', 'hero',
]);
/** Nouns that make a compound with a role noun ("university student", "high school teacher"). */
const ROLE_MODIFIERS = new Set(['university', 'college', 'school', 'high', 'middle', 'elementary', 'graduate', 'english', 'math', 'science', 'music', 'art', 'computer', 'office', 'factory', 'exchange', 'soccer', 'baseball', 'tennis', 'piano', 'bus', 'taxi', 'truck', 'korean', 'famous', 'good', 'great', 'kind', 'nice', 'honest', 'new', 'young', 'old', 'smart', 'diligent', 'hardworking', 'lazy', 'big', 'small', 'strict', 'friendly', 'busy', 'careful', 'excellent', 'talented', 'handsome', 'beautiful', 'tall', 'short', 'funny', 'brave', 'rich', 'poor', 'popular', 'professional', 'international']);

/** "an" before a vowel sound: "an honest man", "a university student", "a one-way ticket". */
export function indefiniteArticle(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (/^(hon|hour|heir)/.test(w)) return 'an';
  if (/^(uni|use|usu|uti|ure|eu|one|once)/.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

/** A mid-sentence capitalised word that is a name: capitalised, and rare or unknown as an ordinary word. */
function isName(tok: string, index: number): boolean {
  if (!/^[A-Z][a-z]+$/.test(tok)) return false;
  if (index > 0) return true;
  // at the start every word is capitalised: a name is one English rarely uses as a word
  return zipf(tok) < 2.5;
}

/** The sentence's own end: a question mark as its last token. */
const isQuestion = (c: Ctx) => c.low[c.low.length - 1] === '?';

function edit(c: Ctx, from: number, to: number, after: string, rule: string, type: EditType, message: string, prior: number): LearnerRuleEdit {
  return { rule, type, start: c.tokens[from].start, end: c.tokens[to].end, after, message, prior };
}

/** Deletes tokens [from, to] with the space after them. */
function deletion(c: Ctx, from: number, to: number, rule: string, type: EditType, message: string, prior: number): LearnerRuleEdit {
  const end = c.tokens[to + 1]?.start ?? c.tokens[to].end;
  return { rule, type, start: c.tokens[from].start, end, after: '', message, prior };
}

// ---------------------------------------------------------------------------------------------
// The rules

/** "advices", "informations": nouns English does not count have no plural. */
const uncountablePlural: Rule = (c) =>
  c.low.flatMap((w, i) => {
    const singular = UNCOUNTABLE_PLURALS[w];
    if (!singular) return [];
    return [edit(c, i, i, caseLike(c.tokens[i].text, singular), 'LEARNER_UNCOUNTABLE_PLURAL', 'plural', `"${singular}" is uncountable in English: it has no plural "${c.tokens[i].text}".`, 0.85)];
  });

/** "one of my friend" → "one of my friends": "one of" takes a plural noun. */
const oneOfSingular: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 3 < c.low.length; i++) {
    if (c.low[i] !== 'one' || c.low[i + 1] !== 'of' || !['the', 'my', 'your', 'his', 'her', 'our', 'their', 'these', 'those', 'its'].includes(c.low[i + 2])) continue;
    // up to two modifiers ("one of the most popular place")
    let n = i + 3;
    while (n < c.low.length - 1 && n < i + 5 && (c.low[n] === 'most' || c.low[n] === 'best' || wordTags(c.low[n]).has('Adjective')) && !pluralOf(c.low[n])) n++;
    const noun = c.low[n];
    const next = c.low[n + 1] ?? '';
    // "one of the team members": the noun is a modifier of the next one
    if (!noun || /^[A-Z]/.test(c.tokens[n].text) || next === "'s" || (next && c.tags(n + 1).has('Noun'))) continue;
    const plural = pluralOf(noun);
    if (!plural) continue;
    out.push(edit(c, n, n, plural, 'LEARNER_ONE_OF_PLURAL', 'plural', `After "one of ${c.low[i + 2]}", the noun is plural: "${plural}", not "${c.tokens[n].text}".`, 0.8));
  }
  return out;
};

/** "on July", "at 1998" → "in": months and years take "in" (but "on July 4"). */
const monthYearPreposition: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'on' && c.low[i] !== 'at') continue;
    // (tokens split digits as JFLEG does: a year is read from the text)
    const rest = c.text.slice(c.tokens[i + 1].start);
    const year = /^((?:1[89]|20)\d\d)(?![\d:])\s*([^\s]?)/.exec(rest);
    const next = year ? year[1] : c.tokens[i + 1].text;
    const after = c.low[i + 2] ?? '';
    const month = MONTHS.has(next.toLowerCase()) && /^[A-Z]/.test(next) && next !== 'May' && !/^\d/.test(after);
    // "at 1998." yes; "at 1998 prices", "at 2000 meters" no
    if (!month && !(year && !/[a-z0-9]/i.test(year[2]))) continue;
    out.push(edit(c, i, i, caseLike(c.tokens[i].text, 'in'), 'LEARNER_IN_MONTH_YEAR', 'preposition', `A month or a year takes "in": "in ${next}", not "${c.tokens[i].text} ${next}".`, 0.85));
  }
  return out;
};

/** "married with a doctor" → "married a doctor"; "got married with him" → "got married to him". */
const marryWith: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!/^marr(y|ies|ied|ying)$/.test(c.low[i]) || c.low[i + 1] !== 'with') continue;
    const obj = c.tokens[i + 2].text;
    if (!(DETERMINERS.has(obj.toLowerCase()) || ['him', 'her', 'me', 'them', 'you'].includes(obj.toLowerCase()) || isName(obj, i + 2)) || /^(two|three|four|five|children|kids)$/i.test(obj)) continue;
    const copula = ['get', 'got', 'gets', 'getting', 'gotten', 'be', 'am', 'is', 'are', 'was', 'were', 'been'].includes(c.low[i - 1] ?? '');
    if (copula) out.push(edit(c, i + 1, i + 1, 'to', 'LEARNER_MARRIED_TO', 'preposition', `One gets married "to" someone: "married to ${obj}", not "married with ${obj}".`, 0.8));
    else out.push(deletion(c, i + 1, i + 1, 'LEARNER_MARRY_WITH', 'preposition', `"${c.tokens[i].text}" takes its object directly: "${c.tokens[i].text} ${obj}", not "${c.tokens[i].text} with ${obj}".`, 0.8));
  }
  return out;
};

const PLACES = new Set(['room', 'house', 'classroom', 'building', 'office', 'school', 'hall', 'kitchen', 'bedroom', 'store', 'shop', 'restaurant', 'library', 'hospital', 'church', 'elevator', 'car', 'bus', 'train', 'subway', 'cafe', 'theater', 'museum', 'bank', 'apartment', 'gym', 'station', 'airport', 'stadium', 'park', 'hotel']);

/** "entered into the room" → "entered the room" (but "entered into an agreement" stays). */
const enterInto: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 3 < c.low.length; i++) {
    if (!/^enter(s|ed|ing)?$/.test(c.low[i]) || c.low[i + 1] !== 'into' || !DETERMINERS.has(c.low[i + 2])) continue;
    if (!PLACES.has(c.low[i + 3]) && !(PLACES.has(c.low[i + 4] ?? '') && wordTags(c.low[i + 3]).has('Adjective'))) continue;
    out.push(deletion(c, i + 1, i + 1, 'LEARNER_ENTER_INTO', 'preposition', `"${c.tokens[i].text}" a place takes no preposition: "${c.tokens[i].text} ${c.tokens[i + 2].text} ${c.tokens[i + 3].text}".`, 0.8));
  }
  return out;
};

/** "arrived to Seoul" → "arrived in Seoul"; "arrived to the station" → "arrived at the station". */
const arriveTo: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!/^arriv(e|es|ed|ing)$/.test(c.low[i]) || c.low[i + 1] !== 'to') continue;
    const obj = c.tokens[i + 2].text;
    const prep = isName(obj, i + 2) ? 'in' : DETERMINERS.has(obj.toLowerCase()) ? 'at' : null;
    if (!prep) continue;
    out.push(edit(c, i + 1, i + 1, prep, 'LEARNER_ARRIVE_TO', 'preposition', `One arrives "in" a city or country and "at" a place, never "arrive to": "${c.tokens[i].text} ${prep} ${obj}".`, 0.8));
  }
  return out;
};

/** "discuss about the plan" → "discuss the plan". */
const discussAbout: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!/^discuss(es|ed|ing)?$/.test(c.low[i]) || c.low[i + 1] !== 'about') continue;
    out.push(deletion(c, i + 1, i + 1, 'LEARNER_DISCUSS_ABOUT', 'preposition', `"${c.tokens[i].text}" takes its object directly: "${c.tokens[i].text} ${c.tokens[i + 2].text}", not "${c.tokens[i].text} about".`, 0.85));
  }
  return out;
};

/**
 * Verbs that take their object directly, and the preposition learners put after them ("reach to
 * the station"). "contact to" is left for the learners to teach: the level-2 loop's test
 * (test/loop/loop.test.ts) shows the model learning it from their feedback.
 */
const NO_PREPOSITION_AFTER: [RegExp, string][] = [
  [/^reach(es|ed|ing)?$/, 'to'],
  [/^emphasi[sz](e|es|ed|ing)$/, 'on'],
  [/^answer(s|ed|ing)?$/, 'to'],
];

/** "We reached to the station", "She emphasized on it" → the verb takes its object directly. */
const needlessPreposition: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!NO_PREPOSITION_AFTER.some(([verb, prep]) => verb.test(c.low[i]) && c.low[i + 1] === prep)) continue;
    // "reach to get it", "an answer to the question": only a verb before a noun phrase
    if (isVerbAt(c, i + 2) || (i > 0 && DETERMINERS.has(c.low[i - 1]))) continue;
    if (!(DETERMINERS.has(c.low[i + 2]) || POSSESSIVES.has(c.low[i + 2]) || /^(him|her|them|us|me)$/.test(c.low[i + 2]) || c.tags(i + 2).has('Noun'))) continue;
    out.push(deletion(c, i + 1, i + 1, 'LEARNER_NEEDLESS_PREPOSITION', 'preposition', `"${c.tokens[i].text}" takes its object directly: "${c.tokens[i].text} ${c.tokens[i + 2].text}", not "${c.tokens[i].text} ${c.tokens[i + 1].text}".`, 0.85));
  }
  return out;
};

/** "I listen music", "Listen me" → "listen to": "listen" needs "to" before its object. */
const listenTo: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (!/^listen(s|ed|ing)?$/.test(c.low[i])) continue;
    const next = c.low[i + 1];
    if (!(next === 'music' || DETERMINERS.has(next) || POSSESSIVES.has(next) || /^(him|her|them|us|me|it)$/.test(next))) continue;
    if (next === 'that' || next === 'this' || next === 'one') continue; // "listen, that…", "listen this way"
    out.push({ rule: 'LEARNER_LISTEN_TO', type: 'preposition', start: c.tokens[i].end, end: c.tokens[i].end, after: ' to', message: `"${c.tokens[i].text}" needs "to" before what is heard: "${c.tokens[i].text} to ${c.tokens[i + 1].text}".`, prior: 0.85 });
  }
  return out;
};

/** "He made me to cry", "Let me to go" → "made me cry", "let me go": "make" and "let" take a bare infinitive. */
const causativeBareInfinitive: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 3 < c.low.length; i++) {
    if (!/^(make|makes|made|making|let|lets|letting)$/.test(c.low[i])) continue;
    // an object pronoun ("made it to the final" is another verb: reach)
    if (!/^(me|him|her|us|them|you)$/.test(c.low[i + 1]) || c.low[i + 2] !== 'to' || !isBareVerb(c.low[i + 3])) continue;
    out.push(deletion(c, i + 2, i + 2, 'LEARNER_CAUSATIVE_BARE', 'verb_form', `After "${c.tokens[i].text} ${c.tokens[i + 1].text}" the verb has no "to": "${c.tokens[i].text} ${c.tokens[i + 1].text} ${c.tokens[i + 3].text}".`, 0.85));
  }
  return out;
};

/** "My hobby is play soccer" → "My hobby is playing soccer": after "hobby is", an activity is a gerund. */
const hobbyGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!/^(hobby|hobbies)$/.test(c.low[i]) || !/^(is|are|was|were)$/.test(c.low[i + 1]) || !isBareVerb(c.low[i + 2])) continue;
    const f = verbForms(c.low[i + 2]);
    if (!f) continue;
    out.push(edit(c, i + 2, i + 2, f.gerund, 'LEARNER_HOBBY_GERUND', 'verb_form', `An activity after "${c.tokens[i].text} ${c.tokens[i + 1].text}" is a gerund: "${f.gerund}", not "${c.tokens[i + 2].text}".`, 0.85));
  }
  return out;
};

/** "People is kind" → "People are kind": "people" is plural. */
const peopleAre: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'people' || !(c.low[i + 1] === 'is' || c.low[i + 1] === 'was')) continue;
    // the subject is "people" itself: at the start, or after a determiner or an adjective ("Korean people is")
    if (i > 0 && !(DETERMINERS.has(c.low[i - 1]) || c.low[i - 1] === 'many' || c.low[i - 1] === 'most' || (c.tags(i - 1).has('Adjective') && !c.tags(i - 1).has('Verb')))) continue;
    const to = c.low[i + 1] === 'is' ? 'are' : 'were';
    out.push(edit(c, i + 1, i + 1, caseLike(c.tokens[i + 1].text, to), 'LEARNER_PEOPLE_PLURAL', 'agreement', `"people" is plural: "people ${to}", not "people ${c.tokens[i + 1].text}".`, 0.85));
  }
  return out;
};

/** The 3rd-person singular of a bare verb token ("do" → "does"), keeping its case. */
function thirdPerson(tok: string): string | null {
  if (!isBareVerb(tok.toLowerCase())) return null;
  const f = verbForms(tok)!;
  // "My daughter read her first book": "read", "put", "cut" are their own past tense
  if (f.past === f.infinitive) return null;
  return caseLike(tok, f.present3);
}

/**
 * Subject–verb agreement where the subject starts the sentence and is singular: a possessive and a
 * person noun ("My father work"), a name ("Minji don't"), an indefinite pronoun ("Everyone have").
 */
const singularSubjectAgreement: Rule = (c) => {
  let verb = -1;
  let subject = '';
  if (POSSESSIVES.has(c.low[0]) && c.low.length > 3 && wordTags(c.low[1]).has('Actor') && pluralOf(c.low[1])) {
    verb = 2;
    subject = `${c.tokens[0].text} ${c.tokens[1].text}`;
  } else if (isName(c.tokens[0]?.text ?? '', 0) && c.low.length > 2 && !SUBJECT_PRONOUNS.has(c.low[0]) && !/s$/.test(c.low[0])) {
    verb = 1;
    subject = c.tokens[0].text;
  } else if (SINGULAR_INDEFINITES.has(c.low[0])) {
    verb = 1;
    subject = c.tokens[0].text;
  }
  // "Anyone know a good place?": a question may drop its "Does"
  if (verb < 0 || isQuestion(c)) return [];
  const v = c.low[verb];
  const next = c.low[verb + 1] ?? '';
  const message = (to: string) => `With a singular subject ("${subject}") the verb takes -s: "${to}", not "${c.tokens[verb].text}".`;
  if (v === 'are' || v === 'were') {
    const to = v === 'are' ? 'is' : 'was';
    return [edit(c, verb, verb, to, 'LEARNER_SINGULAR_SUBJECT', 'agreement', `With a singular subject ("${subject}") the verb is "${to}", not "${c.tokens[verb].text}".`, 0.8)];
  }
  // the verb must be followed by what follows a verb, not be the first noun of a compound subject
  if (v === 'have' && next && verbForms(next)?.participle === next) {
    return [edit(c, verb, verb, caseLike(c.tokens[verb].text, 'has'), 'LEARNER_SINGULAR_SUBJECT', 'agreement', message('has'), 0.8)];
  }
  // What follows a verb; or anything but a verb when no other verb comes later in the sentence
  // ("My father work schedule is busy": "work" is a noun there, "is" the verb).
  const followsVerb = next === "n't" || next === '.' || next === ',' || DETERMINERS.has(next) || ['at', 'in', 'on', 'for', 'to', 'with', 'from', 'every', 'very', 'hard', 'late', 'early', 'here', 'there', 'home'].includes(next);
  const laterVerb = c.low.slice(verb + 1).some((w, k) => BE.has(w) || ['has', 'have', 'does', 'did', 'will', 'can'].includes(w) || (c.tags(verb + 1 + k).has('Verb') && !c.tags(verb + 1 + k).has('Infinitive') && !c.tags(verb + 1 + k).has('Gerund')));
  if (!followsVerb && (c.tags(verb + 1).has('Verb') || laterVerb)) return [];
  const to = thirdPerson(c.tokens[verb].text);
  if (!to) return [];
  return [edit(c, verb, verb, to, 'LEARNER_SINGULAR_SUBJECT', 'agreement', message(to), 0.8)];
};

/** Determiners that may open a plural subject ("These students", "My friends"); not "this", "a", "each", "every". */
const PLURAL_DETERMINERS = new Set(['the', 'these', 'those', 'my', 'our', 'your', 'their', 'his', 'her', 'its', 'many', 'some', 'all', 'most', 'both', 'few', 'several', 'other']);
/** Nouns ending in -s that take a singular verb ("Mathematics is", "The news is"). */
const SINGULAR_IN_S = new Set(['news', 'physics', 'mathematics', 'maths', 'economics', 'politics', 'ethics', 'athletics', 'gymnastics', 'linguistics', 'statistics', 'series', 'species', 'means', 'measles', 'diabetes', 'billiards', 'genetics', 'electronics', 'aerobics', 'logistics']);

/**
 * "My friends is kind", "One reason is that endangered animals is…" → "are": a plural noun that
 * heads the subject takes a plural verb. Only a subject at the start of the sentence (or after "is
 * that"), a determiner, at most two adjectives and the plural noun right before "is", "was",
 * "has" or "doesn't": in "The number of students is…" the head is "number", and "Ten dollars is a
 * lot" (an amount) and "Mathematics is" (singular in -s) are left alone, like names ("The United
 * States is").
 */
const pluralSubjectAgreement: Rule = (c) => {
  const starts = [c.low[0] === 'and' || c.low[0] === 'but' || c.low[0] === 'so' ? 1 : 0];
  for (let k = 2; k < c.low.length; k++) if (c.low[k - 1] === 'that' && BE.has(c.low[k - 2])) starts.push(k);
  for (const start of starts) {
    let i = PLURAL_DETERMINERS.has(c.low[start]) ? start + 1 : start;
    // modifiers: adjectives and -ed participles ("endangered animals")
    while (i < start + 3 && !c.tags(i).has('Noun') && (c.tags(i).has('Adjective') || (c.tags(i).has('PastTense') && /ed$/.test(c.low[i])))) i++;
    const noun = c.low[i];
    const verb = c.low[i + 1];
    if (!noun || !/^[a-z]+s$/.test(c.tokens[i].text) || SINGULAR_IN_S.has(noun)) continue;
    const t = c.tags(i);
    // compromise may read a sentence's first plural as a verb ("Details is…"): its lexicon knows the noun
    if (!(t.has('Plural') || (t.has('PresentTense') && wordTags(noun).has('Plural'))) || t.has('Pronoun') || t.has('Value') || range(start, i).some((k) => c.tags(k).has('Value'))) continue;
    // a regular plural of a common word ("animals", "stories", "boxes"), read as a plural noun here
    if (![noun.replace(/ies$/, 'y'), noun.replace(/es$/, ''), noun.slice(0, -1)].some((w) => w !== noun && zipf(w) >= 3 && !/s$/.test(w))) continue;
    const to = ({ is: 'are', was: 'were', has: 'have', does: c.low[i + 2] === "n't" ? 'do' : '' } as Record<string, string>)[verb];
    if (!to || (verb === 'has' && c.low[i + 2] === 'to')) continue; // "has to" agrees too, but reads as one verb: kept simple
    return [edit(c, i + 1, i + 1, to, 'LEARNER_PLURAL_SUBJECT', 'agreement', `The subject "${c.tokens.slice(start, i + 1).map((x) => x.text).join(' ')}" is plural: the verb is "${to}", not "${c.tokens[i + 1].text}".`, 0.8)];
  }
  return [];
};

/** "There is many people" → "There are many people". */
const thereIsMany: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'there' || (c.low[i + 1] !== 'is' && c.low[i + 1] !== 'was')) continue;
    const q = c.low[i + 2];
    const plural = ['many', 'several', 'few', 'numerous', 'various', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'lots'].includes(q);
    if (!plural || (q === 'few' && c.low[i + 1] === 'is')) continue;
    const to = c.low[i + 1] === 'is' ? 'are' : 'were';
    out.push(edit(c, i + 1, i + 1, to, 'LEARNER_THERE_ARE', 'agreement', `"${c.tokens[i + 2].text} …" is plural: "there ${to}", not "there ${c.tokens[i + 1].text}".`, 0.85));
  }
  return out;
};

/** "The news are" → "The news is": "news" is singular. */
const newsIs: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'the' || c.low[i + 1] !== 'news' || (c.low[i + 2] !== 'are' && c.low[i + 2] !== 'were')) continue;
    const to = c.low[i + 2] === 'are' ? 'is' : 'was';
    out.push(edit(c, i + 2, i + 2, to, 'LEARNER_NEWS_SINGULAR', 'agreement', `"news" is singular: "the news ${to}", not "the news ${c.tokens[i + 2].text}".`, 0.85));
  }
  return out;
};

/** A past-time phrase at the start: "Yesterday", "Last night", "Two days ago". Returns the index after it. */
function pastTimeOpening(c: Ctx): number {
  let i = 0;
  if (c.low[0] === 'yesterday') i = 1;
  else if (c.low[0] === 'last' && ['night', 'week', 'month', 'year', 'summer', 'winter', 'spring', 'fall', 'weekend', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'time'].includes(c.low[1])) i = 2;
  else if (c.low[2] === 'ago' && /^(two|three|four|five|a|few|\d+)$/.test(c.low[0])) i = 3;
  else return -1;
  if (c.low[i] === 'morning' || c.low[i] === 'evening' || c.low[i] === 'afternoon') i++;
  return c.low[i] === ',' ? i + 1 : i;
}

/** "Yesterday I go to the market" → "went": a past-time phrase before the subject. */
const pastTimePresentVerb: Rule = (c) => {
  const s = pastTimeOpening(c);
  if (s < 0 || !SUBJECT_PRONOUNS.has(c.low[s]) || c.low[s] === 'it') return [];
  const v = s + 1;
  const tok = c.tokens[v]?.text;
  if (!tok) return [];
  const low = tok.toLowerCase();
  const f = verbForms(low);
  if (!f || MODALS.has(low) || BE.has(low) || ['have', 'has', 'do', 'does'].includes(low)) return [];
  if (low !== f.infinitive && low !== f.present3) return [];
  if (f.past === low) return []; // "put", "read": the same in the past
  const opening = c.tokens.slice(0, c.low[s - 1] === ',' ? s - 1 : s).map((t) => t.text).join(' ');
  return [edit(c, v, v, caseLike(tok, f.past), 'LEARNER_PAST_TIME_TENSE', 'tense', `"${opening}" is a past time: "${f.past}", not "${tok}".`, 0.8)];
};

/** "I have seen that movie yesterday" → "I saw": the present perfect does not take a finished time. */
const perfectWithPastTime: Rule = (c) => {
  const marker = c.low.findIndex((w, i) => w === 'yesterday' || w === 'ago' || (w === 'last' && ['night', 'week', 'month', 'year', 'weekend', 'summer'].includes(c.low[i + 1])));
  if (marker < 0) return [];
  for (let i = 1; i + 1 < marker; i++) {
    if ((c.low[i] !== 'have' && c.low[i] !== 'has') || !(SUBJECT_PRONOUNS.has(c.low[i - 1]) || isName(c.tokens[i - 1].text, i - 1))) continue;
    const part = c.low[i + 1];
    const f = verbForms(part);
    if (!f || f.participle !== part || part === 'been') continue;
    // the finished time must belong to this verb: near it, in the same clause
    // ("I have presented … at several conferences, including one in Vienna last year": not)
    if (marker - (i + 1) > 6 || c.low.slice(i + 2, marker).includes(',')) continue;
    const end = c.tokens[i + 1].end;
    return [{ rule: 'LEARNER_PERFECT_PAST_TIME', type: 'tense', start: c.tokens[i].start, end, after: f.past, message: `"${c.tokens[marker].text}" is a finished time: the simple past "${f.past}", not "${c.tokens[i].text} ${c.tokens[i + 1].text}".`, prior: 0.8 }];
  }
  return [];
};

/** "How about go", "good at play soccer", "look forward to meet" → the -ing form. */
const gerundAfter: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i < c.low.length; i++) {
    const prev2 = `${c.low[i - 2] ?? ''} ${c.low[i - 1]}`;
    const lookForwardTo = c.low[i - 1] === 'to' && c.low[i - 2] === 'forward' && /^look/.test(c.low[i - 3] ?? '');
    if (!(prev2 === 'how about' || prev2 === 'what about' || prev2 === 'good at' || prev2 === 'bad at' || lookForwardTo)) continue;
    const w = c.low[i];
    if (!isBareVerb(w)) continue;
    // "good at play soccer": the verb must take an object or an adverb, not be a noun ("good at math")
    const next = c.low[i + 1] ?? '';
    if (prev2.endsWith(' at') && !(DETERMINERS.has(next) || ['soccer', 'baseball', 'tennis', 'basketball', 'golf', 'games', 'music', 'piano', 'guitar', 'english', 'korean', 'chess', 'cards'].includes(next) || wordTags(next).has('Plural'))) continue;
    const f = verbForms(w)!;
    out.push(edit(c, i, i, caseLike(c.tokens[i].text, f.gerund), 'LEARNER_GERUND_AFTER', 'verb_form', `After "${lookForwardTo ? 'look forward to' : prev2}" the verb takes -ing: "${f.gerund}", not "${c.tokens[i].text}".`, 0.8));
  }
  return out;
};

/** "Let's going" → "Let's go". */
const letsGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'let' || c.low[i + 1] !== "'s" || !isGerund(c.low[i + 2])) continue;
    const f = verbForms(c.low[i + 2])!;
    out.push(edit(c, i + 2, i + 2, f.infinitive, 'LEARNER_LETS_BASE', 'verb_form', `"Let's" takes the base form of the verb: "Let's ${f.infinitive}", not "Let's ${c.tokens[i + 2].text}".`, 0.85));
  }
  return out;
};

/** "I want going home" → "I want to go home". */
const wantGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i + 1 < c.low.length; i++) {
    if (!/^(want|wants|wanted|decide|decided|hope|hoped|plan|planned|need|needs|needed)$/.test(c.low[i]) || !isGerund(c.low[i + 1])) continue;
    if (!(SUBJECT_PRONOUNS.has(c.low[i - 1]) || MODALS.has(c.low[i - 1]) || c.low[i - 1] === "n't")) continue;
    const f = verbForms(c.low[i + 1])!;
    out.push(edit(c, i + 1, i + 1, `to ${f.infinitive}`, 'LEARNER_TO_INFINITIVE', 'verb_form', `"${c.tokens[i].text}" takes "to" and the base form: "${c.tokens[i].text} to ${f.infinitive}", not "${c.tokens[i].text} ${c.tokens[i + 1].text}".`, 0.8));
  }
  return out;
};

/** "Where you are going?" → "Where are you going?": a question puts the verb before the subject. */
const questionWordOrder: Rule = (c) => {
  if (!isQuestion(c) || !WH.has(c.low[0])) return [];
  // "What time it is", "Which bus it is": one word may follow the question word
  const s = (c.low[0] === 'what' || c.low[0] === 'which') && SUBJECT_PRONOUNS.has(c.low[2]) && BE.has(c.low[3]) ? 2 : 1;
  const subj = c.low[s];
  const verb = c.low[s + 1];
  if (!SUBJECT_PRONOUNS.has(subj) || !BE.has(verb ?? '')) return [];
  const a = c.tokens[s];
  const b = c.tokens[s + 1];
  return [{ rule: 'LEARNER_QUESTION_ORDER', type: 'word_order', start: a.start, end: b.end, after: `${b.text} ${a.text}`, message: `A question puts the verb before the subject: "${b.text} ${a.text}", not "${a.text} ${b.text}".`, prior: 0.8 }];
};

/** "Although it rained, but we played" → "Although it rained, we played": one linking word is enough. */
const doubleConjunction: Rule = (c) => {
  const pairs: Record<string, string> = { although: 'but', though: 'but', because: 'so', since: 'so' };
  const first = c.low[0] === 'even' && c.low[1] === 'though' ? 'though' : c.low[0];
  const second = pairs[first];
  if (!second) return [];
  const comma = c.low.indexOf(',');
  const message = (k: number) => `"${c.tokens[0].text}" already links the two clauses: "${c.tokens[k].text}" is not needed.`;
  if (comma < 0) {
    // "Although he is rich but he is unhappy": the second conjunction becomes the comma
    const k = c.low.indexOf(second, 3);
    if (k < 0 || !(SUBJECT_PRONOUNS.has(c.low[k + 1]) || c.low[k + 1] === 'there')) return [];
    return [{ rule: 'LEARNER_DOUBLE_CONJUNCTION', type: 'redundancy', start: c.tokens[k - 1].end, end: c.tokens[k].end, after: ',', message: message(k), prior: 0.85 }];
  }
  if (comma < 2 || c.low[comma + 1] !== second) return [];
  return [deletion(c, comma + 1, comma + 1, 'LEARNER_DOUBLE_CONJUNCTION', 'redundancy', message(comma + 1), 0.85)];
};

/** "I very like" → "I really like": "very" does not modify a verb. */
const veryVerb: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'very' || !SUBJECT_PRONOUNS.has(c.low[i - 1]) || !/^(like|likes|love|loves|enjoy|enjoys|want|wants|hate|hates|appreciate|need|liked|loved|enjoyed|wanted|hated)$/.test(c.low[i + 1])) continue;
    out.push(edit(c, i, i, caseLike(c.tokens[i].text, 'really'), 'LEARNER_VERY_VERB', 'word_choice', `"very" cannot modify a verb: "really ${c.tokens[i + 1].text}" (or "${c.tokens[i + 1].text} … very much").`, 0.8));
  }
  return out;
};

/** "make my homework" → "do my homework". */
const doHomework: Rule = (c) => {
  const DO: Record<string, string> = { make: 'do', makes: 'does', made: 'did', making: 'doing' };
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    const to = DO[c.low[i]];
    if (!to) continue;
    const n = POSSESSIVES.has(c.low[i + 1]) || c.low[i + 1] === 'the' ? i + 2 : i + 1;
    if (c.low[n] !== 'homework') continue;
    out.push(edit(c, i, i, caseLike(c.tokens[i].text, to), 'LEARNER_DO_HOMEWORK', 'collocation', `One "does" homework: "${to} … homework", not "${c.tokens[i].text} … homework".`, 0.85));
  }
  return out;
};

/** "I am student", "He is honest man" → "a student", "an honest man": a singular role noun needs an article. */
const roleNounArticle: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i + 1 < c.low.length; i++) {
    if (!BE.has(c.low[i]) || c.low[i] === 'are' || c.low[i] === 'were') continue;
    const subj = c.low[i - 1];
    if (!(subj === 'i' || subj === 'he' || subj === 'she' || subj === 'it' || subj === 'this' || subj === 'that' || (i === 2 && POSSESSIVES.has(c.low[0])) || isName(c.tokens[i - 1].text, i - 1))) continue;
    // modifiers, then the role noun, then the end of the phrase
    let n = i + 1;
    while (n < c.low.length && n < i + 4 && ROLE_MODIFIERS.has(c.low[n]) && !ROLE_NOUNS.has(c.low[n])) n++;
    // "university student": a modifier that is itself followed by a role noun
    if (!ROLE_NOUNS.has(c.low[n])) continue;
    const end = c.low[n + 1] ?? '.';
    if (!(end === '.' || end === ',' || end === '!' || end === 'at' || end === 'in' || end === 'from' || end === 'and' || end === 'who' || end === 'for')) continue; // not "of": "teacher of the year" wants "the"
    if (/^[A-Z]/.test(c.tokens[i + 1].text)) continue; // "He is Korean teacher"? a name or nationality: leave it
    const first = c.tokens[i + 1];
    const art = indefiniteArticle(first.text);
    out.push({ rule: 'LEARNER_ROLE_ARTICLE', type: 'article', start: first.start, end: first.start, after: `${art} `, message: `"${c.tokens.slice(i + 1, n + 1).map((t) => t.text).join(' ')}" is one person: it needs "${art}".`, prior: 0.8 });
  }
  return out;
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
const CLAUSE_OPENERS = new Set([...SUBJECT_PRONOUNS, 'there', 'the', 'this', 'these', 'those', 'many', 'most', 'some', 'people', 'my', 'our', 'their', 'his', 'her', 'its', 'if', 'when']);

/** "For example many people…" → "For example, many people…": a comma after an introductory phrase at a sentence's start. */
const introductoryComma: Rule = (c) => {
  // the phrase opens the sentence, or follows a leading "And" / "But"
  const at = c.low[0] === 'and' || c.low[0] === 'but' ? 1 : 0;
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

/** Words after which a superlative noun phrase needs "the": "is best player", "one of most famous city". */
const BEFORE_SUPERLATIVE = new Set(['of', 'is', 'are', 'was', 'were', 'am', 'be', 'been', 'become', 'becomes', 'became']);

/**
 * "He is best player", "one of most beautiful city", "Most important thing is…" → "the best
 * player", "the most beautiful city", "The most important thing": a superlative before a noun
 * takes "the" (Korean has no articles; Swan & Smith list this among the commonest article errors).
 * Only before a singular noun ("Most important decisions are…" can mean most of them) or in "one
 * of most … places"; "It is best to wait" has no noun.
 */
const superlativeArticle: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    const prev = i === 0 ? null : c.low[i - 1];
    if (prev !== null && !BEFORE_SUPERLATIVE.has(prev)) continue;
    // "best", "worst", "biggest"; or "most" / "least" and an adjective
    let noun: number;
    if (c.low[i] === 'best' || c.low[i] === 'worst' || (/est$/.test(c.low[i]) && c.tags(i).has('Superlative'))) noun = i + 1;
    else if ((c.low[i] === 'most' || c.low[i] === 'least') && c.tags(i + 1).has('Adjective')) noun = i + 2;
    else continue;
    const t = c.tags(noun);
    // a plural noun only in "one of (the) most … places"
    const oneOf = i >= 2 && c.low[i - 2] === 'one';
    if (!(t.has('Singular') || (oneOf && t.has('Plural'))) || t.has('Pronoun') || t.has('ProperNoun') || t.has('Adjective')) continue;
    // at a sentence's start, only "Most important thing is…": "Best day ever!" is a title, not an error
    if (i === 0 && !(c.low[i] === 'most' && (c.tags(noun + 1).has('Verb') || c.tags(noun + 1).has('Copula')))) continue;
    const first = c.tokens[i];
    const article = i === 0 ? 'The ' : 'the ';
    const replaced = i === 0 ? first.text.toLowerCase() : first.text;
    out.push({ rule: 'LEARNER_SUPERLATIVE_THE', type: 'article', start: first.start, end: first.end, after: article + replaced, message: `A superlative before a noun takes "the": "the ${c.tokens.slice(i, noun + 1).map((x) => x.text.toLowerCase()).join(' ')}".`, prior: 0.8 });
  }
  return out;
};

/**
 * Everyday nouns that are countable in every sense a learner uses them, so a bare singular is an
 * error ("I have job", "This is important thing"); nouns that are also uncountable (time,
 * experience, work, information), adverbs ("way better"), idioms' nouns ("for example", "take
 * place") and compounds' first halves ("school", "computer", "city": "for computer science") are not here.
 */
const COUNTABLE_NOUNS = new Set([
  'job', 'thing', 'place', 'idea', 'problem', 'question', 'reason', 'chance', 'decision', 'choice', 'mistake', 'story', 'situation',
  'opportunity', 'country', 'book', 'movie', 'car', 'house', 'score', 'tour', 'trip', 'plan', 'dream', 'goal', 'habit', 'hobby',
  'answer', 'advantage', 'disadvantage', 'benefit', 'effect', 'result', 'solution', 'method', 'guide', 'apartment', 'phone', 'gift',
  'party', 'meeting', 'test', 'exam', 'lot', 'bit', 'creation', 'illusion', 'drug', 'word', 'sentence',
  // what learners say they have: "I have headache", "I have appointment", "Do you have pen?"
  'headache', 'stomachache', 'toothache', 'appointment', 'reservation', 'interview', 'accident', 'promise', 'boyfriend', 'girlfriend',
  'pen', 'pencil', 'ticket', 'passport', 'umbrella', 'camera', 'bicycle', 'bike', 'dog', 'cat', 'pet', 'brother', 'sister', 'son', 'daughter',
]);
/** Where a noun phrase needs its article: after these verbs and prepositions ("have a job", "without a guide"). */
const BEFORE_NOUN_PHRASE = new Set(['have', 'has', 'had', 'got', 'get', 'gets', 'is', 'was', 'be', 'been', 'am', 'become', 'became', 'make', 'makes', 'made', 'without', 'into', 'for', 'buy', 'bought', 'need', 'needs', 'needed', 'find', 'found']);
/** "very" / "really" may come between the article and the adjective: "a very good idea". */
const INTENSIFIERS = new Set(['very', 'really']);

/**
 * "I have job", "This is important thing", "without tour guide" → "a job", "an important thing",
 * "a tour guide": a singular countable noun needs an article (Korean has none; Swan & Smith). Only
 * the closed list of COUNTABLE_NOUNS, right after a verb or preposition that takes a noun phrase,
 * with at most an intensifier and two adjectives between, and no determiner, number or
 * possessive anywhere in the phrase.
 */
const countableNounArticle: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i < c.low.length; i++) {
    if (!BEFORE_NOUN_PHRASE.has(c.low[i - 1])) continue;
    // a listed noun within reach before anything is tagged (tagging a sentence costs milliseconds)
    if (![0, 1, 2, 3].some((k) => COUNTABLE_NOUNS.has(c.low[i + k]))) continue;
    let n = i;
    if (INTENSIFIERS.has(c.low[n])) n++;
    let adjectives = 0;
    while (n < c.low.length && adjectives < 2 && !COUNTABLE_NOUNS.has(c.low[n]) && c.tags(n).has('Adjective') && !c.tags(n).has('Noun') && !c.tags(n).has('Superlative') && !/^(best|worst|most|least|such|so|enough|more|less|much|many|few|little|own|other|same|next|last|first|only)$/.test(c.low[n])) {
      n++;
      adjectives++;
    }
    if (!COUNTABLE_NOUNS.has(c.low[n])) continue;
    if (n === i && (c.low[i - 1] === 'is' || c.low[i - 1] === 'was' || c.low[i - 1] === 'be' || c.low[i - 1] === 'am' || c.low[i - 1] === 'been')) continue; // "is school" (a name?) / "is subject to": only with an adjective
    if (c.low[n] === 'lot' && c.low[n + 1] !== 'of') continue;
    if (c.low[n] === 'bit' && n === i) continue;
    if (/^[A-Z]/.test(c.tokens[n].text)) continue;
    // the phrase ends at the noun, or at a second listed noun ("a tour guide"); not "job's", and
    // not a compound that may be uncountable ("phone service")
    const after = c.low[n + 1] ?? '.';
    if (after === "'s" || after === '-') continue;
    const next = c.tags(n + 1);
    if (next.has('Noun') && !next.has('Date') && !next.has('Pronoun') && !COUNTABLE_NOUNS.has(after)) continue;
    const first = c.tokens[i];
    const art = indefiniteArticle(first.text);
    out.push({ rule: 'LEARNER_COUNTABLE_ARTICLE', type: 'article', start: first.start, end: first.start, after: `${art} `, message: `"${c.tokens.slice(i, n + 1).map((t) => t.text).join(' ')}" is one countable thing: it needs "${art}".`, prior: 0.75 });
  }
  return out;
};

/** Determiners an article cannot stand before ("the these", "a my"). */
const NO_ARTICLE_BEFORE = new Set(['this', 'these', 'those', 'my', 'your', 'his', 'our', 'their', 'its']);

/** "For the these reasons", "a my friend" → "these reasons", "my friend": one determiner is enough. */
const doubleDeterminer: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (!(c.low[i] === 'the' || c.low[i] === 'a' || c.low[i] === 'an') || !NO_ARTICLE_BEFORE.has(c.low[i + 1])) continue;
    if (i === 0) continue; // the capital would have to move to the next word; rare at a start
    out.push(deletion(c, i, i, 'LEARNER_DOUBLE_DETERMINER', 'article', `"${c.tokens[i + 1].text}" already determines the noun: "${c.tokens[i].text}" goes.`, 0.85));
  }
  return out;
};

/** Verbs after which "same" needs "the": "They are same" → "They are the same". */
const BEFORE_SAME = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'am', 'look', 'looks', 'looked', 'seem', 'seems', 'seemed', 'remain', 'remains', 'stay', 'stays']);

/** "Our results are same", "It is not same" → "the same": "same" always takes "the". */
const theSame: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i < c.low.length; i++) {
    if (c.low[i] !== 'same') continue;
    const prev = c.low[i - 1] === 'not' || c.low[i - 1] === 'exactly' || c.low[i - 1] === 'almost' ? i - 2 : i - 1;
    if (prev < 0 || !BEFORE_SAME.has(c.low[prev])) continue;
    out.push({ rule: 'LEARNER_THE_SAME', type: 'article', start: c.tokens[i].start, end: c.tokens[i].start, after: 'the ', message: `"same" takes "the": "the same", not "${c.tokens[i - 1].text} same".`, prior: 0.85 });
  }
  return out;
};

/** "Most of people like it" → "Most people like it": "most of" needs a determiner ("most of the people") or goes. */
const mostOfPlural: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'most' || c.low[i + 1] !== 'of') continue;
    const t = c.tags(i + 2);
    if (!t.has('Plural') || t.has('Pronoun') || t.has('ProperNoun') || /^[A-Z]/.test(c.tokens[i + 2].text)) continue;
    if (c.low[i - 1] === 'the' || c.low[i - 1] === 'at') continue; // "the most of", "at most of"
    out.push(deletion(c, i + 1, i + 1, 'LEARNER_MOST_OF', 'article', `"most of" is followed by "the", "my", "them"…; with a bare plural it is "most ${c.tokens[i + 2].text}".`, 0.8));
  }
  return out;
};

/** The rule id of a common misspelling's known correction (the spelling competition lets it win). */
export const KNOWN_MISSPELLING_RULE = 'LEARNER_COMMON_MISSPELLING';

/**
 * Alone, below the ensemble's threshold: "critic" is a word whatever the list says. Where a spell
 * checker flags the word, the prior scorer lets the list's correction win the spelling choice.
 */
const KNOWN_MISSPELLING_PRIOR = 0.4;

/** "teached", "alot", "familys" → "taught", "a lot", "families": a common misspelling with one known correction (../text/misspellings). */
const knownMisspelling: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  c.tokens.forEach((t, i) => {
    // an uncountable noun made plural ("advices") is its own rule, with its own explanation
    const right = /^[A-Za-z]+$/.test(t.text) && !(c.low[i] in UNCOUNTABLE_PLURALS) ? commonMisspelling(t.text) : undefined;
    if (!right) return;
    out.push(edit(c, i, i, caseLike(t.text, right), KNOWN_MISSPELLING_RULE, 'spelling', `"${t.text}" is a common misspelling of "${right}".`, KNOWN_MISSPELLING_PRIOR));
  });
  return out;
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
const CONJUNCTIONS = new Set(['and', 'but', 'or', 'so', 'because', 'if', 'when', 'while', 'although', 'though', 'since', 'until', 'before', 'after', 'unless', 'that', 'as', 'where', 'whether', 'than']);
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
/** Token k is a verb, a modal, a copula or an auxiliary (compromise's reading in context). */
function isVerbAt(c: Ctx, k: number): boolean {
  const t = c.tags(k);
  return !t.has('Noun') && (t.has('Verb') || t.has('Modal') || t.has('Copula') || t.has('Auxiliary'));
}

/** From token `from` on, a subject pronoun (or "there") and a verb not joined by a conjunction: a clause that may be the main one. */
function laterClause(c: Ctx, from: number): boolean {
  return range(from, c.low.length - 1).some((k) => (SUBJECT_PRONOUNS.has(c.low[k]) || c.low[k] === 'there') && isVerbAt(c, k + 1) && !CONJUNCTIONS.has(c.low[k - 1]));
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

const openingClauseComma: Rule = (c) => {
  const at = c.low[0] === 'and' || c.low[0] === 'but' ? 1 : 0;
  const opener = c.low[at] === 'even' && (c.low[at + 1] === 'if' || c.low[at + 1] === 'though') ? at + 1 : at;
  if (!SUBORDINATORS.has(c.low[opener]) || c.low.includes(',') || c.low.includes(';')) return [];
  for (let i = opener + 3; i + 1 < c.low.length; i++) {
    if (CLAUSE_TAKING.test(c.low[i - 1]) || c.low[i - 1] === 'that') return []; // "If you think you…"
    if (!SUBJECT_PRONOUNS.has(c.low[i]) && c.low[i] !== 'there') continue;
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
const openingPhraseComma: Rule = (c) => {
  const at = c.low[0] === 'and' || c.low[0] === 'but' || c.low[0] === 'so' ? 1 : 0;
  const prep = OPENING_PREPOSITIONS.find((p) => p.every((w, k) => c.low[at + k] === w));
  // "In my opinion" is the other rule's; a comma anywhere may close a longer phrase ("Thanks to the
  // hours you put in, the client…")
  if (!prep || introductoryComma(c).length || c.low.includes(',') || c.low.includes(';')) return [];
  const from = at + prep.length;
  for (let i = from + 2; i <= from + 6 && i + 1 < c.low.length; i++) {
    const w = c.low[i - 1];
    if (!/^[a-z0-9'-]+$/.test(w) || NOT_IN_PHRASE.has(w) || SUBJECT_PRONOUNS.has(w) || isVerbAt(c, i - 1)) return [];
    if (!SUBJECT_PRONOUNS.has(c.low[i]) && c.low[i] !== 'there') continue;
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
const nonDefiningWhich: Rule = (c) => {
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
const QUESTION_OPENERS = new Set(['what', 'where', 'when', 'why', 'how', 'who', 'whom', 'whose', 'which', 'do', 'does', 'did', 'is', 'are', 'am', 'was', 'were', 'can', 'could', 'would', 'will', 'should', 'shall', 'may', 'might', 'must', 'have', 'has', 'had', "isn't", "aren't", "don't", "doesn't", "didn't", "can't", "won't"]);

/**
 * "We must trust ourselves" → "We must trust ourselves.": a written sentence ends with a full
 * stop. Only the text's last sentence, when it is a statement with a verb of at least four words
 * that starts with a capital letter and ends in a word (not "…", a bracket or a quote); a possible
 * question ("Where you are going", "Can I…") is left alone rather than guessed.
 */
const finalPeriod: Rule = (c) => {
  const last = c.tokens[c.tokens.length - 1];
  if (c.tokens.length < 4 || last.end !== c.text.trimEnd().length || !/^[A-Za-z]+$/.test(last.text)) return [];
  if (!/^[A-Z]/.test(c.tokens[0].text) || QUESTION_OPENERS.has(c.low[0]) || !range(1, c.tokens.length).some((k) => isVerbAt(c, k))) return [];
  return [{ rule: 'LEARNER_FINAL_PERIOD', type: 'punctuation', start: last.end, end: last.end, after: '.', message: `The sentence ends after "${last.text}": a full stop closes it.`, prior: 0.8 }];
};

/** Chat shorthand a learner carries into writing, and the word it stands for. */
export const TEXTSPEAK: Readonly<Record<string, string>> = { u: 'you', ur: 'your', pls: 'please', plz: 'please', thx: 'thanks', coz: 'because', cuz: 'because' };

/**
 * "I think u will agree" → "I think you will agree": chat shorthand is not written English, and a
 * spell checker takes "u" for a typo of "up". Lower-case, between words only ("U-turn", "Ur" the
 * city, "u." in an abbreviation are left alone).
 */
const textspeak: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  c.tokens.forEach((t, i) => {
    const word = TEXTSPEAK[t.text];
    if (!word || c.text[t.end] === '.' || c.text[t.start - 1] === '-' || c.text[t.end] === '-') return;
    out.push(edit(c, i, i, word, 'LEARNER_TEXTSPEAK', 'spelling', `"${t.text}" is chat shorthand: in writing, "${word}".`, 0.8));
  });
  return out;
};

/** Verbs of going that take "to" before a destination (not "visit", "leave", "reach": they take the place as object). */
const MOTION_VERBS = /^(go|goes|went|gone|going|travel|travels|traveled|travelled|traveling|travelling|come|comes|came|coming|return|returns|returned|returning|move|moves|moved|moving|fly|flies|flew|flown|flying)$/;

/**
 * "I went Busan last week", "When I traveled France…" → "went to Busan", "traveled to France":
 * Korean marks a destination with a particle (-에), and learners drop "to". Only before a place
 * name (a capitalised word compromise reads as a place or name, not a day or month: "Come Monday,
 * we…").
 */
const motionTo: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (!MOTION_VERBS.test(c.low[i]) || !isVerbAt(c, i)) continue;
    const place = c.tokens[i + 1];
    const t = c.tags(i + 1);
    if (!/^[A-Z][a-z]+$/.test(place.text) || !(t.has('Place') || t.has('Country') || t.has('City')) || t.has('Date') || t.has('Person')) continue;
    out.push({ rule: 'LEARNER_MOTION_TO', type: 'preposition', start: place.start, end: place.start, after: 'to ', message: `"${c.tokens[i].text}" takes "to" before a place: "${c.tokens[i].text} to ${place.text}".`, prior: 0.8 });
  }
  return out;
};

const RULES: Rule[] = [
  uncountablePlural, oneOfSingular, monthYearPreposition, marryWith, enterInto, arriveTo, discussAbout,
  singularSubjectAgreement, thereIsMany, newsIs, pastTimePresentVerb, perfectWithPastTime, gerundAfter,
  letsGerund, wantGerund, questionWordOrder, doubleConjunction, veryVerb, doHomework, roleNounArticle,
  introductoryComma, openingClauseComma, knownMisspelling, superlativeArticle, countableNounArticle,
  doubleDeterminer, theSame, mostOfPlural, needlessPreposition, listenTo, causativeBareInfinitive, peopleAre, hobbyGerund,
  openingPhraseComma, nonDefiningWhich, finalPeriod, textspeak, pluralSubjectAgreement, motionTo,
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
