/**
 * Names of people, for the places where text meets an LLM (see pii.ts). `compromise` (a maintained
 * English NLP library, rule- and lexicon-based, no model download) tags people; three patterns add
 * what it misses in learners' text: a title before a name ("Mr. Park"), a self-introduction
 * ("my name is Minji"), and romanized Korean names with a hyphenated given name ("Lee Seo-yeon",
 * "Ji-hoon Lee"). Recall is good, not perfect (test/validation/pii.test.ts measures it on a list).
 *
 * compromise takes ~0.3 s to load, so it is loaded on the first name search, not at import.
 */
import { createRequire } from 'node:module';

type Compromise = (text: string) => { people(): { json(o: { offset: true }): { offset: { start: number; length: number } }[] } };
let nlp: Compromise | undefined;
function compromise(): Compromise {
  nlp ??= createRequire(import.meta.url)('compromise') as Compromise;
  return nlp;
}

const CAP = "[A-Z][\\p{Ll}'’]+(?:-[\\p{Ll}]+)?";
const HONORIFIC = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Dame)\\.?\\s+(${CAP}(?:\\s+${CAP})?)`, 'gu');
const SELF_INTRO = new RegExp(`\\b(?:[Mm]y name is|[Mm]y name's|I am called|I'm called|[Cc]all me)\\s+(${CAP}(?:\\s+${CAP})?)`, 'gu');
// Surnames that are not also common English words ("Do", "Go", "Song", "Moon" are left out).
const SURNAME = 'Kim|Lee|Yi|Park|Pak|Choi|Choe|Jung|Jeong|Chung|Kang|Cho|Yoon|Yun|Jang|Lim|Han|Seo|Suh|Shin|Kwon|Hwang|Ahn|Yoo|Ryu|Hong|Jeon|Yang|Bae|Baek|Heo|Huh|Nam|Noh|Roh|Kwak|Sung|Seong|Cha|Joo|Chae|Cheon|Hyun|Byun|Yeom|Choo|Sohn';
const GIVEN = '[A-Z][a-z]{1,4}-[a-z]{2,5}';
const KOREAN = new RegExp(`\\b(?:(?:${SURNAME})\\s+${GIVEN}|${GIVEN}\\s+(?:${SURNAME}))\\b`, 'g');

/** [start, end) of each person's name in `text`, unsorted, possibly overlapping. */
export function findNames(text: string): [number, number][] {
  const out: [number, number][] = [];
  if (!/\p{Lu}/u.test(text)) return out; // every pattern and compromise's people start with a capital
  for (const p of compromise()(text).people().json({ offset: true })) {
    const span = trimToName(text, p.offset.start, p.offset.start + p.offset.length);
    if (span) out.push(span);
  }
  for (const re of [HONORIFIC, SELF_INTRO]) {
    for (const m of text.matchAll(re)) {
      const start = m.index + m[0].length - m[1].length;
      out.push([start, start + m[1].length]);
    }
  }
  for (const m of text.matchAll(KOREAN)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** compromise's spans carry punctuation ("Sarah,") and may stop at a hyphen ("Min-"): keep the name itself. */
function trimToName(text: string, start: number, end: number): [number, number] | null {
  while (start < end && !/[\p{L}]/u.test(text[start])) start++;
  while (end > start && !/[\p{L}]/u.test(text[end - 1])) end--;
  if (text[end] === '-' || text[end - 1] === '-') while (end < text.length && /[\p{L}-]/u.test(text[end])) end++;
  return end > start ? [start, end] : null;
}
