/**
 * Learner rules for nouns and their articles: uncountable nouns made plural, "one of" with a singular,
 * a missing article before a role noun, a superlative or a countable noun, two determiners, "same"
 * without "the", and "most of" before a bare plural.
 */
import { type LearnerRuleEdit, type Rule, BE, POSSESSIVES, UNCOUNTABLE_PLURALS, caseLike, deletion, edit, indefiniteArticle, isName, pluralOf, wordTags } from './context';

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

/** "advices", "informations": nouns English does not count have no plural. */
export const uncountablePlural: Rule = (c) =>
  c.low.flatMap((w, i) => {
    const singular = UNCOUNTABLE_PLURALS[w];
    if (!singular) return [];
    return [edit(c, i, i, caseLike(c.tokens[i].text, singular), 'LEARNER_UNCOUNTABLE_PLURAL', 'plural', `"${singular}" is uncountable in English: it has no plural "${c.tokens[i].text}".`, 0.85)];
  });

/**
 * Uncountable nouns that take no "a": "a" before them is a learner's error ("a information", "an
 * advice", "a good news"): those a learner also pluralises, and a few more. Not "knowledge" ("a
 * good knowledge of English"), "work" ("a work of art") or "vocabulary" ("a large vocabulary"):
 * those also have a countable sense.
 */
const NO_INDEFINITE_ARTICLE = new Set([...Object.values(UNCOUNTABLE_PLURALS).filter((w) => w !== 'knowledge' && w !== 'vocabulary'), 'news', 'evidence', 'traffic', 'weather']);

/**
 * "Thank you for an advice", "I got a useful information" → "for advice", "a useful information" →
 * "useful information": an uncountable noun takes no "a"/"an" (Korean has no articles, and
 * learners count what English does not). At most one adjective between; not where the noun
 * modifies the next one ("a news article", "a traffic jam", "a furniture store").
 */
export const uncountableArticle: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'a' && c.low[i] !== 'an') continue;
    const adjective = c.tags(i + 1).has('Adjective') && !c.tags(i + 1).has('Noun') ? 1 : 0;
    const n = i + 1 + adjective;
    if (!NO_INDEFINITE_ARTICLE.has(c.low[n] ?? '') || /^[A-Z]/.test(c.tokens[n].text)) continue;
    const next = c.tags(n + 1);
    if (n + 1 < c.low.length && next.has('Noun') && !next.has('Pronoun')) continue;
    out.push(deletion(c, i, i, 'LEARNER_UNCOUNTABLE_ARTICLE', 'article', `"${c.tokens[n].text}" is uncountable: it takes no "${c.tokens[i].text}".`, 0.8));
  }
  return out;
};

/** "one of my friend" → "one of my friends": "one of" takes a plural noun. */
export const oneOfSingular: Rule = (c) => {
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

/** "I am student", "He is honest man" → "a student", "an honest man": a singular role noun needs an article. */
export const roleNounArticle: Rule = (c) => {
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

/** Words after which a superlative noun phrase needs "the": "is best player", "one of most famous city". */
const BEFORE_SUPERLATIVE = new Set(['of', 'is', 'are', 'was', 'were', 'am', 'be', 'been', 'become', 'becomes', 'became']);

/**
 * "He is best player", "one of most beautiful city", "Most important thing is…" → "the best
 * player", "the most beautiful city", "The most important thing": a superlative before a noun
 * takes "the" (Korean has no articles; Swan & Smith list this among the commonest article errors).
 * Only before a singular noun ("Most important decisions are…" can mean most of them) or in "one
 * of most … places"; "It is best to wait" has no noun.
 */
export const superlativeArticle: Rule = (c) => {
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
export const countableNounArticle: Rule = (c) => {
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
export const doubleDeterminer: Rule = (c) => {
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
export const theSame: Rule = (c) => {
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
export const mostOfPlural: Rule = (c) => {
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
