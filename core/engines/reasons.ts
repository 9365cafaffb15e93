/**
 * Reasons for edits, in Korean (default) or English, built from the edit's type and its
 * before/after text (plus an engine detail such as Harper's message in English):
 *   ko: "철자 오류: 'recieve' → 'receive' (철자를 바로잡았습니다)"
 *   en: "Spelling: 'recieve' → 'receive' (Did you mean to spell `recieve` this way?)"
 */
import type { EditPart } from './edits';
import type { EditType, ReasonLanguage } from './types';

const LABELS: Record<EditType, { ko: string; en: string; koWhy: string }> = {
  spelling: { ko: '철자 오류', en: 'Spelling', koWhy: '철자를 바로잡았습니다' },
  grammar: { ko: '문법', en: 'Grammar', koWhy: '문법에 맞는 형태로 고쳤습니다' },
  agreement: { ko: '수 일치', en: 'Agreement', koWhy: '주어의 인칭·수에 맞게 동사나 명사의 형태를 맞췄습니다' },
  article: { ko: '관사', en: 'Article', koWhy: '명사와 문맥에 맞는 관사(a/an/the)를 썼습니다' },
  preposition: { ko: '전치사', en: 'Preposition', koWhy: '동사·명사와 어울리는 전치사를 썼습니다' },
  tense: { ko: '시제', en: 'Tense', koWhy: '문맥에 맞는 시제·동사 형태로 고쳤습니다' },
  word_order: { ko: '어순', en: 'Word order', koWhy: '영어 어순에 맞게 단어 순서를 바꿨습니다' },
  punctuation: { ko: '문장 부호', en: 'Punctuation', koWhy: '문장 부호와 띄어쓰기를 규칙에 맞췄습니다' },
  capitalization: { ko: '대소문자', en: 'Capitalization', koWhy: '대문자로 써야 할 자리(문장 첫머리, 대명사 I, 고유명사)를 고쳤습니다' },
  redundancy: { ko: '중복 표현', en: 'Redundancy', koWhy: '불필요하게 반복되거나 겹치는 표현을 정리했습니다' },
  word_choice: { ko: '단어 선택', en: 'Word choice', koWhy: '문맥에 더 맞는 단어로 바꿨습니다' },
  mood: { ko: '서법', en: 'Mood', koWhy: '가정법·명령법 등 문장의 서법에 맞는 형태로 고쳤습니다' },
  plural: { ko: '단수·복수', en: 'Number', koWhy: '가산·불가산 여부와 수량에 맞게 단수·복수 형태를 고쳤습니다' },
  style: { ko: '문체', en: 'Style', koWhy: '더 자연스럽고 간결한 표현으로 다듬었습니다' },
  other: { ko: '수정', en: 'Correction', koWhy: '더 자연스러운 표현으로 고쳤습니다' },
};

const q = (s: string) => `'${s.trim() || s}'`;

/** "'go' → 'goes'", "'the' 추가", "remove 'the'"… */
export function describeChange(before: string, after: string, lang: ReasonLanguage): string {
  const b = before.trim();
  const a = after.trim();
  if (!b && !a) return lang === 'ko' ? '띄어쓰기 수정' : 'spacing';
  if (!b) return lang === 'ko' ? `${q(after)} 추가` : `add ${q(after)}`;
  if (!a) return lang === 'ko' ? `${q(before)} 삭제` : `remove ${q(before)}`;
  return `${q(before)} → ${q(after)}`;
}

/** Reason for one part: "<label>: <change> (<why>)". */
export function partReason(part: EditPart, lang: ReasonLanguage): string {
  const label = LABELS[part.type];
  const change = describeChange(part.before, part.after, lang);
  if (lang === 'ko') return `${label.ko}: ${change} (${label.koWhy})`;
  return part.detail ? `${label.en}: ${change} (${part.detail})` : `${label.en}: ${change}`;
}

/** Reason for a composed edit: one part gives its reason; several are joined. */
export function editReason(parts: EditPart[], before: string, after: string, lang: ReasonLanguage): string {
  if (parts.length === 1) return partReason(parts[0], lang);
  // several passes touched the same span: name the net change, then each step's label
  const labels = [...new Set(parts.map((p) => (lang === 'ko' ? LABELS[p.type].ko : LABELS[p.type].en)))];
  const change = describeChange(before, after, lang);
  const why = lang === 'ko' ? [...new Set(parts.map((p) => LABELS[p.type].koWhy))].join('; ') : parts.map((p) => p.detail).filter(Boolean).join(' ');
  return `${labels.join(' + ')}: ${change}${why ? ` (${why})` : ''}`;
}

/** The whole correction's reason: the edits' reasons joined, or a no-change note. */
export function correctionReason(edits: { reason?: string }[], lang: ReasonLanguage): string {
  if (!edits.length) return lang === 'ko' ? '고칠 부분이 없습니다.' : 'No corrections needed.';
  return edits.map((e) => e.reason ?? '').filter(Boolean).join(lang === 'ko' ? ' / ' : '; ');
}
