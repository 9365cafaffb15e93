/**
 * Reasons for edits — explanations a learner can use: for each edit, its category and one specific sentence that
 * names the words, in Korean or English. Built from the edit itself (what changed, the words
 * around it) and the category the systems gave it; the rule's own message is used in English
 * only where it says more than "possible mistake".
 *
 *   ko: "관사: 'a' → 'an' — 'apple'은(는) 모음 소리로 시작하므로 'a' 대신 'an'을 씁니다."
 *   en: "Article: 'a' → 'an' — use 'an' before a vowel sound: 'an apple'."
 */
import { TEXTSPEAK } from './learner-rules';
import type { EditPart } from './edits';
import type { EditType, ReasonLanguage } from './types';

export interface Explainable {
  type: EditType;
  before: string;
  after: string;
  /** Text just before / after the edit when it was made. */
  context?: { left: string; right: string };
  /** The rule's message (English), if any. */
  message?: string;
}

export const CATEGORY_LABELS: Record<EditType, { ko: string; en: string }> = {
  spelling: { ko: '철자', en: 'Spelling' },
  grammar: { ko: '문법', en: 'Grammar' },
  agreement: { ko: '수 일치', en: 'Agreement' },
  article: { ko: '관사', en: 'Article' },
  preposition: { ko: '전치사', en: 'Preposition' },
  tense: { ko: '시제', en: 'Tense' },
  verb_form: { ko: '동사 형태', en: 'Verb form' },
  word_form: { ko: '어형', en: 'Word form' },
  collocation: { ko: '어울리는 표현', en: 'Collocation' },
  word_order: { ko: '어순', en: 'Word order' },
  punctuation: { ko: '문장 부호', en: 'Punctuation' },
  capitalization: { ko: '대소문자', en: 'Capitalization' },
  redundancy: { ko: '중복 표현', en: 'Redundancy' },
  word_choice: { ko: '단어 선택', en: 'Word choice' },
  mood: { ko: '서법', en: 'Mood' },
  plural: { ko: '단수·복수', en: 'Number' },
  style: { ko: '문체', en: 'Style' },
  other: { ko: '수정', en: 'Correction' },
};

const MODALS = new Set(['can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must', 'do', 'does', 'did', "don't", "doesn't", "didn't", "can't", "won't", 'cannot', 'to', "let's", 'let']);
const HAVE = new Set(['have', 'has', 'had', "haven't", "hasn't", "hadn't", "'ve", "'s"]);
const BE = new Set(['am', 'is', 'are', 'was', 'were', "'m", "'re"]);
const THIRD_SINGULAR = new Set(['he', 'she', 'it', 'this', 'that', 'everyone', 'everybody', 'someone', 'somebody', 'nobody', 'everything', 'something', 'nothing', 'each', 'one']);
const WEEKDAYS = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|birthday)s?$/i;
const MONTHS = /^(january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|fall|winter|\d{4}|morning|afternoon|evening)$/i;
const PROPER_CLASSES = /^(english|korean|japanese|chinese|french|german|spanish|american|british|korea|japan|china|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/i;
const PREPOSITIONS = new Set(['about', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'onto', 'to', 'with', 'within', 'without', 'toward', 'towards', 'over', 'under', 'during', 'since', 'until']);
const CONJUNCTIONS = /^(and|but|or|so|yet|for)$/i;

const q = (s: string) => `'${s.trim()}'`;
const words = (s: string) => s.match(/[\p{L}\p{N}'’]+/gu) ?? [];
const lastWord = (s: string) => words(s).at(-1) ?? '';
const firstWord = (s: string) => words(s)[0] ?? '';
const lower = (s: string) => s.toLowerCase().replace(/’/g, "'");

/** "'a' → 'an'", "'the' 추가", "remove 'the'". */
export function describeChange(before: string, after: string, lang: ReasonLanguage): string {
  const b = before.trim();
  const a = after.trim();
  if (!b && !a) return lang === 'ko' ? '띄어쓰기' : 'spacing';
  if (!b) return lang === 'ko' ? `${q(a)} 추가` : `add ${q(a)}`;
  if (!a) return lang === 'ko' ? `${q(b)} 삭제` : `remove ${q(b)}`;
  return `${q(b)} → ${q(a)}`;
}

function isSentenceStart(left: string): boolean {
  return /(^|[.!?]\s*)["'(]*$/.test(left.trimEnd()) || left.trim() === '';
}

/** Vowel sound at the start of a word (the usual spelling rule, with the common exceptions). */
function startsWithVowelSound(word: string): boolean {
  const w = lower(word);
  if (/^(hour|honest|honou?r|heir)/.test(w)) return true;
  if (/^(uni|use|usu|uti|euro|one|once|ufo)/.test(w)) return false;
  return /^[aeiou]/.test(w);
}

/** The specific sentence for one edit; '' when nothing more specific than the label can be said. */
function specific(e: Explainable, lang: ReasonLanguage): string {
  const ko = lang === 'ko';
  const b = e.before.trim();
  const a = e.after.trim();
  const bl = lower(b);
  const al = lower(a);
  const left = e.context?.left ?? '';
  const right = e.context?.right ?? '';
  // the words next to the change, on the side that is not part of it
  const prev = lastWord(left);
  const next = firstWord(right) || words(a).at(-1) || '';
  const addedWords = words(a).filter((w) => !words(b).map(lower).includes(lower(w)));
  const removedWords = words(b).filter((w) => !words(a).map(lower).includes(lower(w)));

  switch (e.type) {
    case 'capitalization':
      if (a === 'I' || /^I\b/.test(a) && bl.startsWith('i')) return ko ? "대명사 'I'는 문장 어디에서나 대문자로 씁니다." : "The pronoun 'I' is always written with a capital letter.";
      if (isSentenceStart(left) && a[0] !== b[0] && a[0] === a[0]?.toUpperCase()) return ko ? '문장의 첫 글자는 대문자로 씁니다.' : 'A sentence begins with a capital letter.';
      if (PROPER_CLASSES.test(a)) return ko ? `언어·국가·요일·달 이름은 대문자로 시작합니다: ${q(a)}.` : `Names of languages, countries, days and months start with a capital letter: ${q(a)}.`;
      return ko ? `${q(b)}은(는) ${q(a)}(으)로 씁니다. 고유명사만 대문자로 시작합니다.` : `Write ${q(a)}, not ${q(b)}: only proper nouns and sentence starts take a capital letter.`;

    case 'spelling': {
      if (/['’]/.test(a) && !/['’]/.test(b) && lower(a).replace(/['’]/g, '') === bl) return ko ? `축약형에는 아포스트로피(')가 필요합니다: ${q(a)}.` : `A contraction needs an apostrophe: ${q(a)}.`;
      if (b && !/\s/.test(b) && /\s/.test(a)) return ko ? `${q(a)}은(는) 두 단어로 띄어 씁니다.` : `${q(a)} is written as two words.`;
      if (/\s/.test(b) && a && !/\s/.test(a)) return ko ? `${q(a)}은(는) 한 단어로 붙여 씁니다.` : `${q(a)} is written as one word.`;
      if (TEXTSPEAK[b] === a) return ko ? `${q(b)}은(는) 채팅 줄임말입니다. 글에서는 ${q(a)}(으)로 씁니다.` : `${q(b)} is chat shorthand: in writing, ${q(a)}.`;
      return ko ? `${q(b)}의 올바른 철자는 ${q(a)}입니다.` : `${q(b)} is misspelled; the correct spelling is ${q(a)}.`;
    }

    case 'article': {
      const noun = next;
      if (bl === 'a' && al === 'an') return ko ? `${q(noun)}은(는) 모음 소리로 시작하므로 'a' 대신 'an'을 씁니다.` : `Use 'an' before a vowel sound: 'an ${noun}'.`;
      if (bl === 'an' && al === 'a') return ko ? `${q(noun)}은(는) 자음 소리로 시작하므로 'an' 대신 'a'를 씁니다.` : `Use 'a' before a consonant sound: 'a ${noun}'.`;
      const added = lower(addedWords[0] ?? '');
      if (!b && (added === 'a' || added === 'an')) {
        const nounAfter = words(a).at(-1) && lower(words(a).at(-1)!) !== added ? words(a).at(-1)! : next;
        return ko
          ? `셀 수 있는 단수 명사 ${q(nounAfter)} 앞에는 관사 ${q(added)}이(가) 필요합니다.`
          : `A singular countable noun such as ${q(nounAfter)} needs an article: '${added} ${nounAfter}'.`;
      }
      if (!b && added === 'the') return ko ? `정해진 대상을 가리키므로 ${q(next)} 앞에 'the'를 씁니다.` : `${q(next)} refers to something specific here, so it takes 'the'.`;
      if (!a && removedWords.length) return ko ? `이 자리의 ${q(next)} 앞에는 관사 ${q(removedWords[0])}을(를) 쓰지 않습니다.` : `No article ${q(removedWords[0])} is used before ${q(next)} here.`;
      if (startsWithVowelSound(next) && /\ban\b/i.test(a)) return ko ? `${q(next)}은(는) 모음 소리로 시작하므로 'an'을 씁니다.` : `Use 'an' before a vowel sound: 'an ${next}'.`;
      return '';
    }

    case 'agreement': {
      const subject = prev && !MODALS.has(lower(prev)) ? prev : '';
      if (/^(are|were)$/.test(al) && /^(is|was)$/.test(bl)) return ko ? `주어가 복수이므로 ${q(b)} 대신 ${q(a)}을(를) 씁니다${next ? ` ('${a} ${next}')` : ''}.` : `The subject is plural, so the verb is ${q(a)}, not ${q(b)}.`;
      if (/^(is|was)$/.test(al) && /^(are|were)$/.test(bl)) return ko ? `주어가 단수(또는 셀 수 없는 명사)이므로 ${q(a)}을(를) 씁니다.` : `The subject is singular (or uncountable), so the verb is ${q(a)}.`;
      if (/^(this|that)$/.test(al) && /^(these|those)$/.test(bl)) return ko ? `${q(a)}은(는) 단수 명사와 함께 씁니다${next ? `: '${a} ${next}'` : ''}.` : `${q(a)} goes with a singular noun${next ? `: '${a} ${next}'` : ''}.`;
      if (/^(these|those)$/.test(al) && /^(this|that)$/.test(bl)) return ko ? `${q(a)}은(는) 복수 명사와 함께 씁니다${next ? `: '${a} ${next}'` : ''}.` : `${q(a)} goes with a plural noun${next ? `: '${a} ${next}'` : ''}.`;
      const third = /(s|es|has|does|doesn't|is|was)$/.test(al) && !/(s|es)$/.test(bl.replace(/n't$/, ''));
      if (third) {
        const who = subject && (THIRD_SINGULAR.has(lower(subject)) || /^\p{Lu}/u.test(subject) || !/s$/.test(lower(subject))) ? subject : '';
        return ko
          ? `주어${who ? ` ${q(who)}` : ''}이(가) 3인칭 단수이므로 동사는 ${q(a)}(으)로 씁니다.`
          : `With a third-person singular subject${who ? ` (${q(who)})` : ''}, the verb is ${q(a)}.`;
      }
      if (/(s|es)$/.test(bl) && !/(s|es)$/.test(al) && subject) return ko ? `주어 ${q(subject)}에 맞게 동사는 ${q(a)}(으)로 씁니다.` : `The verb agrees with its subject ${q(subject)}: ${q(a)}.`;
      return '';
    }

    case 'plural': {
      const grew = al.length > bl.length && (al === bl + 's' || al === bl + 'es' || (bl.endsWith('y') && al === bl.slice(0, -1) + 'ies'));
      const shrank = bl.length > al.length && (bl === al + 's' || bl === al + 'es' || (al.endsWith('y') && bl === al.slice(0, -1) + 'ies'));
      if (grew) return ko ? `${prev ? `${q(prev)} 뒤의 ` : ''}셀 수 있는 명사는 복수형 ${q(a)}(으)로 씁니다.` : `${prev ? `After ${q(prev)}, a` : 'A'} countable noun is plural here: ${q(a)}.`;
      if (shrank) return ko ? `${q(a)}은(는) 셀 수 없는 명사라서 복수형(-s)을 쓰지 않습니다.` : `${q(a)} is an uncountable noun: it has no plural form.`;
      return '';
    }

    case 'preposition': {
      const p = lower(addedWords[0] ?? '');
      const target = next;
      if (p && removedWords.length) {
        if (p === 'on' && WEEKDAYS.test(target)) return ko ? `요일·날짜 앞에는 'on'을 씁니다: 'on ${target}'.` : `Days and dates take 'on': 'on ${target}'.`;
        if (p === 'in' && MONTHS.test(target)) return ko ? `월·연도·계절 앞에는 'in'을 씁니다: 'in ${target}'.` : `Months, years and seasons take 'in': 'in ${target}'.`;
        return ko ? `이 자리에는 ${q(removedWords[0])}이(가) 아니라 ${q(p)}을(를) 씁니다: '${a}${target && !a.includes(target) ? ` ${target}` : ''}'.` : `Here the preposition is ${q(p)}, not ${q(removedWords[0])}: '${a}${target && !a.includes(target) ? ` ${target}` : ''}'.`;
      }
      if (!a || (removedWords.length && !addedWords.length)) {
        const verb = prev || words(b)[0] || '';
        const dropped = removedWords.find((w) => PREPOSITIONS.has(lower(w))) ?? removedWords[0] ?? b;
        return ko ? `${q(verb)}은(는) 전치사 ${q(dropped)} 없이 목적어를 바로 씁니다.` : `${q(verb)} takes its object directly, without ${q(dropped)}.`;
      }
      if (p) {
        const phrase = [prev, a, next].filter(Boolean).join(' ');
        return ko ? `${q(prev || b)} 뒤에는 ${q(p)}이(가) 필요합니다: '${phrase}'.` : `${q(prev || b)} needs ${q(p)} here: '${phrase}'.`;
      }
      return '';
    }

    case 'verb_form':
    case 'tense': {
      const aux = [...words(left).slice(-2), ...words(b).slice(0, -1)].map(lower).reverse().find((w) => MODALS.has(w) || HAVE.has(w) || BE.has(w)) ?? '';
      const verb = addedWords.at(-1) ?? a;
      if (removedWords.some((w) => BE.has(lower(w))) && !addedWords.length) {
        const main = words(a).at(-1) ?? next;
        const phrase = [prev, a || next].filter(Boolean).join(' ');
        return ko ? `${q(main)}은(는) 동사이므로 be동사(am/is/are) 없이 씁니다: '${phrase}'.` : `${q(main)} is a verb, so it does not follow 'am/is/are': '${phrase}'.`;
      }
      if (MODALS.has(aux) && aux !== 'to') return ko ? `조동사 ${q(aux)} 뒤에는 동사원형 ${q(verb)}을(를) 씁니다.` : `After ${q(aux)}, use the base form of the verb: ${q(verb)}.`;
      if (HAVE.has(aux)) return ko ? `${q(aux)} 뒤에는 과거분사 ${q(verb)}을(를) 씁니다 (현재완료).` : `${q(aux)} takes the past participle: ${q(verb)}.`;
      if (/ing$/.test(lower(verb)) && !/ing$/.test(bl)) {
        const before = words(left);
        const trigger = (PREPOSITIONS.has(lower(before.at(-1) ?? '')) ? before.slice(-3) : before.slice(-1)).join(' ');
        return ko
          ? `${trigger ? `'${trigger}' 뒤에는` : '이 자리에는'} 동명사(-ing) ${q(verb)}을(를) 씁니다.`
          : `${trigger ? `After '${trigger}', use` : 'Use'} the -ing form: ${q(verb)}.`;
      }
      if (aux === 'to' || /^to\b/.test(al)) return ko ? `'to' 뒤에는 동사원형 ${q(verb)}을(를) 씁니다.` : `After 'to', use the base form: ${q(verb)}.`;
      if (e.type === 'tense') return ko ? `문장이 말하는 때에 맞게 ${q(b)} 대신 ${q(a)}을(를) 씁니다.` : `Use ${q(a)} for the time this sentence talks about.`;
      return '';
    }

    case 'word_form':
      if (removedWords.some((w) => /^(more|most)$/i.test(w))) return ko ? `${q(a || next)}이(가) 이미 비교급·최상급이므로 'more/most'를 함께 쓰지 않습니다.` : `${q(a || next)} is already a comparative or superlative: no 'more' or 'most'.`;
      if (/ing$/.test(bl) && /ed$/.test(al)) return ko ? `사람이 느끼는 감정·상태는 '-ed' 형용사로 나타냅니다: ${q(a)}.` : `A feeling a person has is an '-ed' adjective: ${q(a)}.`;
      if (/ed$/.test(bl) && /ing$/.test(al)) return ko ? `감정을 일으키는 대상은 '-ing' 형용사로 나타냅니다: ${q(a)}.` : `Something that causes a feeling takes an '-ing' adjective: ${q(a)}.`;
      return '';

    case 'collocation': {
      const following = words(right);
      const partner = (/^(a|an|the|my|your|his|her|our|their)$/i.test(following[0] ?? '') ? following.slice(0, 2) : following.slice(0, 1)).join(' ');
      return ko ? `영어에서는 ${q(a)}${partner ? `을(를) ${q(partner)}와(과) 함께 씁니다 ('${a} ${partner}')` : `이(가) 자연스러운 표현입니다`}.` : `In English we say '${a}${partner ? ` ${partner}` : ''}'.`;
    }

    case 'word_order':
      if (/\?\s*$/.test(right) || /\?/.test(a)) return ko ? `의문문은 '의문사 + 동사 + 주어' 순서로 씁니다: '${a}'.` : `A question puts the verb before the subject: '${a}'.`;
      return ko ? `영어 어순에 맞게 '${a}'(으)로 씁니다.` : `English word order is '${a}'.`;

    case 'redundancy':
      if (words(a).length && words(b).length > words(a).length) return ko ? `${q(removedWords.join(' '))}은(는) 뜻이 겹치므로 빼는 것이 자연스럽습니다.` : `${q(removedWords.join(' '))} repeats what is already said, so it is left out.`;
      return '';

    case 'punctuation':
      if (a === '.' && !b && !right.trim()) return ko ? '문장이 끝나면 마침표(.)를 찍습니다.' : 'A sentence ends with a full stop.';
      if (a === ',' || (/,/.test(a) && !/,/.test(b))) {
        if (lower(next) === 'which') return ko ? "앞말에 설명을 덧붙이는 'which'(계속적 용법) 앞에는 쉼표를 씁니다." : "A 'which' clause that adds information is set off by a comma.";
        if (CONJUNCTIONS.test(next)) return ko ? `두 절을 ${q(next)}(으)로 이을 때는 그 앞에 쉼표를 씁니다.` : `Put a comma before ${q(next)} when it joins two clauses.`;
        if (isSentenceStart(left.replace(/[\p{L}\s]+$/u, '')) || /^(however|therefore|also|first|then|finally|thus|for example)$/i.test(b || prev)) return ko ? `문장 앞의 연결어·도입구 뒤에는 쉼표를 씁니다.` : 'An introductory word or phrase is followed by a comma.';
        return ko ? '이 자리에는 쉼표가 필요합니다.' : 'A comma is needed here.';
      }
      return '';

    default:
      return '';
  }
}

/** A rule message that says something about this edit (not just "possible mistake"). */
function usefulMessage(message: string | undefined): string {
  const m = (message ?? '').replace(/\s+/g, ' ').trim();
  if (!m || /^(possible (spelling )?(mistake|typo)|did you mean|this word is normally spelled|this sentence does not start with an uppercase letter)/i.test(m)) return '';
  return m.replace(/`/g, "'");
}

/** One edit's explanation: "<category>: <change> — <specific sentence>". */
export function explainEdit(e: Explainable, lang: ReasonLanguage): string {
  const label = CATEGORY_LABELS[e.type] ?? CATEGORY_LABELS.other;
  const change = describeChange(e.before, e.after, lang);
  let why = specific(e, lang);
  if (!why && lang === 'en') why = usefulMessage(e.message);
  if (!why) {
    const a = e.after.trim();
    const b = e.before.trim();
    why =
      lang === 'ko'
        ? a && b
          ? `이 문장에서는 ${q(b)}보다 ${q(a)}이(가) 맞습니다.`
          : a
            ? `이 자리에 ${q(a)}이(가) 필요합니다.`
            : `${q(b)}은(는) 이 문장에 필요하지 않습니다.`
        : a && b
          ? `${q(a)} is right here, not ${q(b)}.`
          : a
            ? `${q(a)} is needed here.`
            : `${q(b)} is not needed here.`;
  }
  return `${lang === 'ko' ? label.ko : label.en}: ${change} — ${why}`;
}

/** What the whole correction says: the edits' explanations, or that the model found no error. */
export function explainCorrection(edits: { reason?: string }[], lang: ReasonLanguage): string {
  if (!edits.length) return lang === 'ko' ? '모델이 이 문장에서 오류를 찾지 못했습니다.' : 'The model found no error in this sentence.';
  return edits.map((e) => e.reason ?? '').filter(Boolean).join(' ');
}

const SYSTEM_NAMES: Record<string, Record<ReasonLanguage, string>> = {
  harper: { ko: 'Harper', en: 'Harper' },
  languagetool: { ko: 'LanguageTool', en: 'LanguageTool' },
  learner: { ko: '학습자 오류 규칙', en: 'learner rule' },
};

/** Which rules made an edit, as a learner-readable tag: "(rule: LanguageTool I_AM_VB + Harper PronounVerbAgreement)". */
export function attribution(parts: Pick<EditPart, 'source' | 'detail'>[], lang: ReasonLanguage): string {
  const names = new Set<string>();
  for (const p of parts) {
    for (const src of (p.source ?? '').split(' + ').filter(Boolean)) {
      const [system, ...rest] = src.split(':');
      if (system === 'rules' || system === 'patterns') {
        const learned = /^learned rule: (\d+) of (\d+)/.exec(p.detail ?? '');
        names.add(lang === 'ko' ? `학습된 패턴${learned ? `: 훈련 데이터 ${learned[2]}번 중 ${learned[1]}번 맞음` : ''}` : `learned pattern${learned ? `: right ${learned[1]} of ${learned[2]} times in training` : ''}`);
      } else names.add(`${SYSTEM_NAMES[system]?.[lang] ?? system} ${rest.join(':').replace(/\[.*\]$/, '')}`.trim());
    }
  }
  if (!names.size) return '';
  return ` (${lang === 'ko' ? '규칙' : 'rule'}: ${[...names].join(' + ')})`;
}

/** Reason for one part of an edit (an engine's single change), with the rule that made it. */
export function partReason(part: Pick<EditPart, 'type' | 'before' | 'after' | 'detail' | 'context' | 'source'>, lang: ReasonLanguage): string {
  return explainEdit({ type: part.type, before: part.before, after: part.after, context: part.context, message: part.detail }, lang) + attribution([part], lang);
}

/**
 * Reason for a composed edit. One part gives its reason; when later passes changed the same
 * place again, the net change is explained under the most specific category, with the words
 * around the first change.
 */
export function editReason(parts: EditPart[], before: string, after: string, lang: ReasonLanguage): string {
  if (parts.length === 1) return partReason(parts[0], lang);
  const typed = [...parts].reverse().find((p) => p.type !== 'other' && p.type !== 'grammar') ?? parts[parts.length - 1];
  return explainEdit({ type: typed.type, before, after, context: parts[0].context, message: typed.detail }, lang) + attribution(parts, lang);
}

/** The whole correction's reason (also used for empty input). */
export const correctionReason = explainCorrection;
