/**
 * The offline teacher: injects realistic learner errors (as Korean speakers often make them) into
 * a clean sentence, and explains each one in Korean or English. The clean sentence is always the
 * corrected side. Deterministic for a seed.
 *
 * Each error type is a function listing the places in the sentence where it can apply; the
 * teacher picks one or two (weighted by form, and by the one-shot example's error types).
 */
import { containsProfanity } from '../validation/profanity';
import type { ErrorType } from '../validation/types';
import type { Teacher, TeacherRequest, TeacherTriple } from './types';
import { mulberry32 } from '../random';

/** A change to the clean text: `text.slice(start, end)` (right) becomes `wrong`. */
export interface Injection {
  type: ErrorType;
  start: number;
  end: number;
  right: string;
  wrong: string;
}

type Injector = (text: string) => Injection[];

function matches(text: string, re: RegExp, type: ErrorType, wrong: (m: RegExpExecArray) => string | null, group = 0): Injection[] {
  const out: Injection[] = [];
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
    const w = wrong(m as RegExpExecArray);
    if (w === null) continue;
    const start = m.index! + (group ? m[0].indexOf(m[group]) : 0);
    const right = group ? m[group] : m[0];
    if (w !== right) out.push({ type, start, end: start + right.length, right, wrong: w });
  }
  return out;
}

const keepCase = (model: string, w: string) => (model[0] === model[0].toUpperCase() ? w[0].toUpperCase() + w.slice(1) : w);

const PREP_SWAP: Record<string, string> = { in: 'on', on: 'in', at: 'in', to: 'for', for: 'to', of: 'for', with: 'to', about: 'for', from: 'of', by: 'until' };
const PAST_TO_PRESENT: Record<string, string> = { went: 'go', was: 'is', were: 'are', had: 'have', made: 'make', took: 'take', met: 'meet', received: 'receive', sent: 'send', finished: 'finish', started: 'start', enjoyed: 'enjoy', moved: 'move', learned: 'learn', completed: 'complete', asked: 'ask', found: 'find', lost: 'lose', missed: 'miss', forgot: 'forget', raised: 'raise', attracted: 'attract', fell: 'fall', improved: 'improve', caused: 'cause', decreased: 'decrease', increased: 'increase' };
const HAVE_PARTICIPLE: Record<string, string> = { been: 'went', done: 'did', seen: 'saw', gone: 'went', taken: 'took', eaten: 'ate', written: 'wrote', given: 'gave', lived: 'live', worked: 'work' };
const UNCOUNTABLE: Record<string, string> = { information: 'informations', advice: 'advices', equipment: 'equipments', furniture: 'furnitures', feedback: 'feedbacks', homework: 'homeworks', luggage: 'luggages', research: 'researches', software: 'softwares', data: 'datas', news: 'newses' };
const REDUNDANT: Record<string, string> = { return: 'return back', repeat: 'repeat again', combine: 'combine together', join: 'join together', cooperate: 'cooperate together', enter: 'enter into', reply: 'reply back', continue: 'continue on', final: 'final last', share: 'share together' };
const MISSPELL: Record<string, string> = { receive: 'recieve', received: 'recieved', believe: 'beleive', definitely: 'definately', separate: 'seperate', necessary: 'neccessary', until: 'untill', tomorrow: 'tommorow', beginning: 'begining', which: 'wich', because: 'becuase', business: 'buisness', different: 'diffrent', environment: 'enviroment', government: 'goverment', restaurant: 'restaurent', schedule: 'schedual', successful: 'succesful', address: 'adress', really: 'realy', finally: 'finaly', especially: 'especialy', experience: 'experiance', opportunity: 'oppurtunity', recommend: 'reccomend', professional: 'proffesional', weather: 'wheather', meeting: 'meating', coffee: 'cofee', message: 'massage', friend: 'freind', delicious: 'delicous' };
const WORD_CHOICE: Record<string, string> = { do: 'make', did: 'made', told: 'said', tell: 'say', lend: 'borrow', lent: 'borrowed', interested: 'interesting', excited: 'exciting', bored: 'boring', surprised: 'surprising', disappointed: 'disappointing', watch: 'see', listen: 'hear', fun: 'funny', job: 'work', advise: 'advice', affect: 'effect', lose: 'loose', few: 'little' };
const FREQ = 'always|usually|often|never|sometimes|already|still|just|finally|really';

// Misspellings of the kinds learners make, on the longest word of six letters or more: a doubled
// letter written once or a single one doubled, "ie"/"ei" swapped, a silent final "e" dropped, a
// vowel swapped by sound. One candidate per sentence, so spelling does not crowd out other errors.
function typos(t: string): Injection[] {
  const all = matches(t, /\b[a-z]{6,}\b/, 'spelling', (m) => {
    const w = m[0];
    const variants = [
      w.replace(/([bcdfglmnprst])\1/, '$1'),
      w.replace(/([aeiou])([bcdfglmnprt])([aeiou])/, '$1$2$2$3'),
      w.replace(/ie/, 'ei'),
      w.replace(/ei/, 'ie'),
      w.replace(/([^aeiou])e$/, '$1'),
      w.replace(/ent$/, 'ant'),
      w.replace(/ance$/, 'ence'),
    ].filter((v) => v !== w && !containsProfanity(v)); // "analysis" → "annalysis" reads as a slur to the filter
    return variants[w.length % Math.max(1, variants.length)] ?? null;
  });
  return all.sort((x, y) => y.right.length - x.right.length || x.start - y.start).slice(0, 1);
}

export const INJECTORS: Record<string, Injector> = {
  article: (t) => [
    ...matches(t, /\b(a|an|the) (?=[a-z])/i, 'article', () => ''),
    ...matches(t, /\ban (?=[a-z])/i, 'article', (m) => keepCase(m[0], 'a ')),
    ...matches(t, /\ba (?=[aeiou])/i, 'article', (m) => keepCase(m[0], 'an ')),
  ],
  preposition: (t) => matches(t, /\b(in|on|at|to|for|of|with|about|from|by)\b(?= [a-z])/, 'preposition', (m) => PREP_SWAP[m[1]] ?? null),
  agreement: (t) => [
    ...matches(t, /\b(?:he|she|it|this|that|everyone|nobody) (\w+?)(?:es|s)\b/i, 'agreement', (m) => (/^(i|ha|wa|thi|it|a)$/.test(m[1]) ? null : m[1]), 1).map((x) => ({ ...x, right: x.right, start: x.start })),
    ...matches(t, /\b(?:there|they|we|you|people) (are|were)\b/i, 'agreement', (m) => (m[1] === 'are' ? 'is' : 'was'), 1),
    ...matches(t, /\b(?:he|she|it) (is|was|has)\b/i, 'agreement', (m) => ({ is: 'are', was: 'were', has: 'have' })[m[1]] ?? null, 1),
  ],
  tense: (t) => [
    ...matches(t, /\b(went|was|were|had|made|took|met|received|sent|finished|started|enjoyed|moved|learned|completed|asked|found|lost|missed|forgot|raised|attracted|fell|improved|caused|decreased|increased)\b/, 'tense', (m) => PAST_TO_PRESENT[m[1]] ?? null),
    ...matches(t, /\b(?:have|has) (been|done|seen|gone|taken|eaten|written|given|lived|worked)\b/, 'tense', (m) => HAVE_PARTICIPLE[m[1]] ?? null, 1),
  ],
  plural: (t) => [
    ...matches(t, /\b(information|advice|equipment|furniture|feedback|homework|luggage|research|software|data|news)\b/, 'plural', (m) => UNCOUNTABLE[m[1]] ?? null),
    ...matches(t, /\b(?:two|three|four|five|six|ten|many|several|all|these|those|\d+) ([a-z]{3,}s)\b/, 'plural', (m) => (m[1].endsWith('ss') ? null : m[1].replace(/(ies)$/, 'y').replace(/([^e])s$/, '$1').replace(/es$/, 'e')), 1),
  ],
  word_order: (t) => [
    ...matches(t, new RegExp(`\\b(is|are|am|was|were) (${FREQ})\\b`), 'word_order', (m) => `${m[2]} ${m[1]}`),
    ...matches(t, /\b(very much|a lot)\b/, 'word_order', () => null),
  ],
  redundancy: (t) => matches(t, /\b(return|repeat|combine|join|cooperate|enter|reply|continue|final|share)\b/, 'redundancy', (m) => REDUNDANT[m[1]] ?? null),
  calque: (t) => [
    ...matches(t, /\bI agree\b/, 'calque', () => 'I am agree'),
    ...matches(t, /\b(discuss|discussed)\b(?= (?:the|a|an|our|your|their|this|it))/, 'calque', (m) => `${m[1]} about`),
    ...matches(t, /\b(contact|contacted)\b(?= (?:me|us|you|him|her|them|the))/, 'calque', (m) => `${m[1]} to`),
    ...matches(t, /\bmarried to\b/, 'calque', () => 'married with'),
    ...matches(t, /\b(enter|entered) the\b/, 'calque', (m) => `${m[1]} into the`),
    ...matches(t, /\b(like|love|enjoy)( \w+) very much\b/, 'calque', (m) => `very ${m[1]}${m[2]}`),
    ...matches(t, /\b(reach|reached|attend|attended|answer|answered)\b(?= the)/, 'calque', (m) => `${m[1]} to`),
  ],
  mood: (t) => [
    ...matches(t, /\bIf (I|he|she|it) were\b/, 'mood', (m) => `If ${m[1]} was`),
    ...matches(t, /\b[Ii]f (\w+) had (\w+ed|known|been|seen|taken|gone)\b/, 'mood', (m) => `${m[0].slice(0, 2)} ${m[1]} would have ${m[2]}`),
    ...matches(t, /\bI would like to\b/, 'mood', () => 'I want to'),
    ...matches(t, /\bI wish I (could|had)\b/, 'mood', (m) => `I wish I ${m[1] === 'could' ? 'can' : 'have'}`),
    ...matches(t, /\bIt is essential that (\w+) be\b/, 'mood', (m) => `It is essential that ${m[1]} is`),
  ],
  spelling: (t) => [
    ...matches(t, new RegExp(`\\b(${Object.keys(MISSPELL).join('|')})\\b`, 'i'), 'spelling', (m) => keepCase(m[1], MISSPELL[m[1].toLowerCase()])),
    ...typos(t),
  ],
  capitalization: (t) => [
    ...matches(t, /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|English|Korean|Japanese|London|Seoul|Busan|Asia|Southeast|River|Street)\b/, 'capitalization', (m) => m[1].toLowerCase()),
    ...matches(t, /(?<=[a-z,] )I(?= )/, 'capitalization', () => 'i'),
    ...matches(t, /^[A-Z][a-z]+\b/, 'capitalization', (m) => m[0].toLowerCase()),
  ],
  word_choice: (t) => matches(t, /\b(do|did|told|tell|lend|lent|interested|excited|bored|surprised|disappointed|watch|listen|advise|affect|lose|few)\b/, 'word_choice', (m) => WORD_CHOICE[m[1]] ?? null),
  // Learners often leave out the comma between two clauses and after an introductory word.
  punctuation: (t) => [
    ...matches(t, /(?<=\w), (?=(?:but|so|and|or|yet) (?:I|you|he|she|it|we|they|the|this|there|my|our|his|her|their)\b)/, 'punctuation', () => ' '),
    ...matches(t, /^(However|Therefore|Also|First|Finally|Then|Unfortunately|Fortunately|Honestly|Personally|In addition|For example|As a result|In my opinion), /, 'punctuation', (m) => `${m[1]} `),
  ],
};

/** Per-form weights: chat favours capitalization and spelling, essays and reports grammar and mood. */
const FORM_WEIGHTS: Record<string, Partial<Record<string, number>>> = {
  chat: { capitalization: 3, spelling: 2, agreement: 2, tense: 2 },
  social_post: { capitalization: 2, spelling: 2, word_choice: 2 },
  essay: { mood: 3, word_choice: 2, agreement: 2, article: 2, plural: 2 },
  report: { plural: 3, article: 2, preposition: 2, tense: 2 },
  email: { preposition: 2, calque: 2, redundancy: 2, article: 2 },
  interview_answer: { tense: 3, preposition: 2, calque: 2, mood: 2 },
  cover_letter: { calque: 3, word_choice: 2, preposition: 2, article: 2 },
};

const REASONS: Record<string, { ko: string; en: string }> = {
  article: { ko: '관사를 바르게 써야 합니다', en: 'the noun needs the right article' },
  preposition: { ko: '이 표현에 맞는 전치사를 써야 합니다', en: 'this expression takes a different preposition' },
  agreement: { ko: '주어의 수와 인칭에 동사를 일치시켜야 합니다', en: 'the verb must agree with its subject' },
  tense: { ko: '문맥에 맞는 시제(과거·현재완료)를 써야 합니다', en: 'the context calls for a different tense' },
  plural: { ko: '명사의 단수·복수 형태를 바르게 써야 합니다 (셀 수 없는 명사는 복수형이 없습니다)', en: 'the noun has the wrong number (uncountable nouns take no plural)' },
  word_order: { ko: '빈도부사는 be동사 뒤에 오는 등 어순을 바로잡아야 합니다', en: 'the word order is wrong (frequency adverbs go after "be")' },
  redundancy: { ko: '같은 뜻이 반복되므로 불필요한 말을 뺍니다', en: 'the extra word repeats a meaning the verb already has' },
  calque: { ko: '한국어를 직역한 표현이라 영어에서는 어색합니다', en: 'this is a literal translation from Korean that English does not use' },
  mood: { ko: '가정법·조건문에 맞는 동사 형태를 써야 자연스럽습니다', en: 'the hypothetical or conditional needs a different verb form' },
  spelling: { ko: '철자가 틀렸습니다', en: 'the word is misspelled' },
  capitalization: { ko: '고유명사와 문장의 첫 글자, 대명사 I는 대문자로 씁니다', en: 'proper nouns, the first word and the pronoun "I" are capitalized' },
  word_choice: { ko: '문맥에 맞는 단어를 골라야 합니다', en: 'a different word fits this context' },
  punctuation: { ko: '두 절을 접속사로 잇거나 도입어 뒤에는 쉼표를 씁니다', en: 'a comma goes before a conjunction joining two clauses and after an introductory word' },
};

export function reasonFor(inj: Pick<Injection, 'type' | 'right' | 'wrong'>, lang: 'ko' | 'en'): string {
  const wrong = inj.wrong.trim() || (lang === 'ko' ? '(없음)' : '(nothing)');
  const right = inj.right.trim() || (lang === 'ko' ? '(삭제)' : '(delete it)');
  return `'${wrong}' → '${right}': ${REASONS[inj.type][lang]}.`;
}

export interface NoiseOptions {
  /** Most errors injected in one sentence (1 or 2). */
  maxErrors?: number;
}

export class NoiseTeacher implements Teacher {
  readonly name = 'noise';
  constructor(private readonly opts: NoiseOptions = {}) {}

  async generate(req: TeacherRequest): Promise<TeacherTriple | null> {
    return this.generateSync(req);
  }

  generateSync(req: Pick<TeacherRequest, 'text' | 'form' | 'example' | 'reasonLanguage' | 'seed'>): TeacherTriple | null {
    const text = req.text;
    const rand = mulberry32(req.seed);
    const candidates = Object.entries(INJECTORS).flatMap(([, f]) => f(text));
    if (!candidates.length) return null;
    const weights = FORM_WEIGHTS[req.form] ?? {};
    const weightOf = (i: Injection) => (weights[i.type] ?? 1) * (req.example.errorTypes.includes(i.type) ? 2 : 1);
    const want = rand() < 0.35 && (this.opts.maxErrors ?? 2) > 1 ? 2 : 1;
    const chosen: Injection[] = [];
    let pool = candidates;
    while (chosen.length < want && pool.length) {
      const total = pool.reduce((s, c) => s + weightOf(c), 0);
      let r = rand() * total;
      const pick = pool.find((c) => (r -= weightOf(c)) <= 0) ?? pool[pool.length - 1];
      chosen.push(pick);
      // No overlapping or touching edits, and at most one per type.
      pool = pool.filter((c) => c.type !== pick.type && (c.end < pick.start - 1 || c.start > pick.end + 1));
    }
    chosen.sort((a, b) => a.start - b.start);
    let awkward = '';
    let pos = 0;
    for (const c of chosen) {
      awkward += text.slice(pos, c.start) + c.wrong;
      pos = c.end;
    }
    awkward = (awkward + text.slice(pos)).replace(/ {2,}/g, ' ');
    if (awkward === text) return null;
    return {
      awkward,
      corrected: text,
      reason: chosen.map((c) => reasonFor(c, req.reasonLanguage)).join(' '),
      reasonLanguage: req.reasonLanguage,
      errorTypes: [...new Set(chosen.map((c) => c.type))],
    };
  }
}
