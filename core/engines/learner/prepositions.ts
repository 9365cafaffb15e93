/**
 * Learner rules for prepositions: "in" with months and years, verbs that take their object directly
 * ("marry with", "enter into", "discuss about", "reach to"), and prepositions learners leave out or
 * get wrong ("listen music", "arrive to", "went Busan").
 */
import { type LearnerRuleEdit, type Rule, DETERMINERS, MONTHS, POSSESSIVES, caseLike, deletion, edit, isName, isVerbAt, wordTags } from './context';

/** "on July", "at 1998" → "in": months and years take "in" (but "on July 4"). */
export const monthYearPreposition: Rule = (c) => {
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
export const marryWith: Rule = (c) => {
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
export const enterInto: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 3 < c.low.length; i++) {
    if (!/^enter(s|ed|ing)?$/.test(c.low[i]) || c.low[i + 1] !== 'into' || !DETERMINERS.has(c.low[i + 2])) continue;
    if (!PLACES.has(c.low[i + 3]) && !(PLACES.has(c.low[i + 4] ?? '') && wordTags(c.low[i + 3]).has('Adjective'))) continue;
    out.push(deletion(c, i + 1, i + 1, 'LEARNER_ENTER_INTO', 'preposition', `"${c.tokens[i].text}" a place takes no preposition: "${c.tokens[i].text} ${c.tokens[i + 2].text} ${c.tokens[i + 3].text}".`, 0.8));
  }
  return out;
};

/** "arrived to Seoul" → "arrived in Seoul"; "arrived to the station" → "arrived at the station". */
export const arriveTo: Rule = (c) => {
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
export const discussAbout: Rule = (c) => {
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
export const needlessPreposition: Rule = (c) => {
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
export const listenTo: Rule = (c) => {
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

/** Verbs of going that take "to" before a destination (not "visit", "leave", "reach": they take the place as object). */
const MOTION_VERBS = /^(go|goes|went|gone|going|travel|travels|traveled|travelled|traveling|travelling|come|comes|came|coming|return|returns|returned|returning|move|moves|moved|moving|fly|flies|flew|flown|flying)$/;

/**
 * "I went Busan last week", "When I traveled France…" → "went to Busan", "traveled to France":
 * Korean marks a destination with a particle (-에), and learners drop "to". Only before a place
 * name (a capitalised word compromise reads as a place or name, not a day or month: "Come Monday,
 * we…").
 */
export const motionTo: Rule = (c) => {
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
