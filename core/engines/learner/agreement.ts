/**
 * Learner rules for subject–verb agreement: a singular subject with a plural verb ("My father
 * work", "Everyone have"), a plural one with a singular verb ("My friends is", "People is"), "there
 * is many", "the news are".
 */
import { zipf } from '../../text/frequency';
import { type LearnerRuleEdit, type Rule, AND_BUT_SO, BE, DETERMINERS, POSSESSIVES, SUBJECT_PRONOUNS, caseLike, edit, isBareVerb, isName, isQuestion, openingAt, pluralOf, range, verbForms, wordTags } from './context';

/** Indefinite pronouns that take a singular verb ("Everyone have" → "has"). */
const SINGULAR_INDEFINITES = new Set(['everyone', 'everybody', 'someone', 'somebody', 'nobody', 'anyone', 'anybody', 'everything', 'nothing', 'something']);

/** "People is kind" → "People are kind": "people" is plural. */
export const peopleAre: Rule = (c) => {
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
export const singularSubjectAgreement: Rule = (c) => {
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
export const pluralSubjectAgreement: Rule = (c) => {
  const starts = [openingAt(c, AND_BUT_SO)];
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
export const thereIsMany: Rule = (c) => {
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
export const newsIs: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'the' || c.low[i + 1] !== 'news' || (c.low[i + 2] !== 'are' && c.low[i + 2] !== 'were')) continue;
    const to = c.low[i + 2] === 'are' ? 'is' : 'was';
    out.push(edit(c, i + 2, i + 2, to, 'LEARNER_NEWS_SINGULAR', 'agreement', `"news" is singular: "the news ${to}", not "the news ${c.tokens[i + 2].text}".`, 0.85));
  }
  return out;
};
