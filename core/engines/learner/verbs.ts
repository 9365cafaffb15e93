/**
 * Learner rules for verb forms and tense: a present verb after a past-time phrase, the perfect with a
 * finished time, -ing or bare forms after "how about", "let's", "want", "make me", "my hobby is",
 * "very" before a verb, and "make homework".
 */
import { type Ctx, type LearnerRuleEdit, type Rule, BE, DETERMINERS, MODALS, POSSESSIVES, SUBJECT_PRONOUNS, caseLike, deletion, edit, isBareVerb, isGerund, isName, verbForms, wordTags } from './context';

/** "He made me to cry", "Let me to go" → "made me cry", "let me go": "make" and "let" take a bare infinitive. */
export const causativeBareInfinitive: Rule = (c) => {
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
export const hobbyGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (!/^(hobby|hobbies)$/.test(c.low[i]) || !/^(is|are|was|were)$/.test(c.low[i + 1]) || !isBareVerb(c.low[i + 2])) continue;
    const f = verbForms(c.low[i + 2]);
    if (!f) continue;
    out.push(edit(c, i + 2, i + 2, f.gerund, 'LEARNER_HOBBY_GERUND', 'verb_form', `An activity after "${c.tokens[i].text} ${c.tokens[i + 1].text}" is a gerund: "${f.gerund}", not "${c.tokens[i + 2].text}".`, 0.85));
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
export const pastTimePresentVerb: Rule = (c) => {
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
export const perfectWithPastTime: Rule = (c) => {
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
export const gerundAfter: Rule = (c) => {
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
export const letsGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 0; i + 2 < c.low.length; i++) {
    if (c.low[i] !== 'let' || c.low[i + 1] !== "'s" || !isGerund(c.low[i + 2])) continue;
    const f = verbForms(c.low[i + 2])!;
    out.push(edit(c, i + 2, i + 2, f.infinitive, 'LEARNER_LETS_BASE', 'verb_form', `"Let's" takes the base form of the verb: "Let's ${f.infinitive}", not "Let's ${c.tokens[i + 2].text}".`, 0.85));
  }
  return out;
};

/** "I want going home" → "I want to go home". */
export const wantGerund: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i + 1 < c.low.length; i++) {
    if (!/^(want|wants|wanted|decide|decided|hope|hoped|plan|planned|need|needs|needed)$/.test(c.low[i]) || !isGerund(c.low[i + 1])) continue;
    if (!(SUBJECT_PRONOUNS.has(c.low[i - 1]) || MODALS.has(c.low[i - 1]) || c.low[i - 1] === "n't")) continue;
    const f = verbForms(c.low[i + 1])!;
    out.push(edit(c, i + 1, i + 1, `to ${f.infinitive}`, 'LEARNER_TO_INFINITIVE', 'verb_form', `"${c.tokens[i].text}" takes "to" and the base form: "${c.tokens[i].text} to ${f.infinitive}", not "${c.tokens[i].text} ${c.tokens[i + 1].text}".`, 0.8));
  }
  return out;
};

/** "I very like" → "I really like": "very" does not modify a verb. */
export const veryVerb: Rule = (c) => {
  const out: LearnerRuleEdit[] = [];
  for (let i = 1; i + 1 < c.low.length; i++) {
    if (c.low[i] !== 'very' || !SUBJECT_PRONOUNS.has(c.low[i - 1]) || !/^(like|likes|love|loves|enjoy|enjoys|want|wants|hate|hates|appreciate|need|liked|loved|enjoyed|wanted|hated)$/.test(c.low[i + 1])) continue;
    out.push(edit(c, i, i, caseLike(c.tokens[i].text, 'really'), 'LEARNER_VERY_VERB', 'word_choice', `"very" cannot modify a verb: "really ${c.tokens[i + 1].text}" (or "${c.tokens[i + 1].text} … very much").`, 0.8));
  }
  return out;
};

/** "make my homework" → "do my homework". */
export const doHomework: Rule = (c) => {
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
