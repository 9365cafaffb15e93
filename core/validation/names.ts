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

type Compromise = ((text: string) => { people(): { json(o: { offset: true }): { offset: { start: number; length: number } }[] } }) & {
  model(): { one: { lexicon: Record<string, string> } };
};
let nlp: Compromise | undefined;
function compromise(): Compromise {
  nlp ??= createRequire(import.meta.url)('compromise') as Compromise;
  return nlp;
}

const GIVEN_NAME = new Set(['FirstName', 'MaleName', 'FemaleName']);
const SURNAME_TAG = new Set(['LastName', 'Person', 'FirstName', 'MaleName', 'FemaleName']);

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
  // compromise reads English: other scripts become spaces (same offsets), so "Smith,입니다" is "Smith,".
  const latin = text.replace(/[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/gu, (c) => ' '.repeat(c.length));
  const lexicon = compromise().model().one.lexicon;
  const words = [...latin.matchAll(/\p{Lu}[\p{Ll}'’]+(?:-\p{Ll}+)?/gu)];
  const sentenceStart = (at: number) => /(^|[.!?:"“(])$/.test(latin.slice(0, at).trimEnd());
  // Parsing costs ~2–5 ms a sentence: only when some capitalised word may be a name (not just a
  // sentence's first word that compromise knows as something else).
  const maybeName = words.some((w) => !sentenceStart(w.index) || [undefined, ...GIVEN_NAME, 'LastName', 'Person'].includes(lexicon[w[0].toLowerCase()]));
  for (const p of maybeName ? compromise()(latin).people().json({ offset: true }) : []) {
    const span = trimToName(latin, p.offset.start, p.offset.start + p.offset.length);
    if (span) out.push(span);
  }
  // compromise's lexicon where its parser reads a name as something else ("David Miller The garden"
  // is a Place to it): a known given name, with a capitalised surname after it (not a word it knows
  // as something else), or alone when it does not start a sentence ("Mark the answer" stays).
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!GIVEN_NAME.has(lexicon[w[0].toLowerCase()])) continue;
    const next = words[i + 1];
    const between = next ? latin.slice(w.index + w[0].length, next.index) : '';
    const nextTag = next ? lexicon[next[0].toLowerCase()] : 'none';
    if (next && /^ +$/.test(between) && (nextTag === undefined || SURNAME_TAG.has(nextTag))) out.push([w.index, next.index + next[0].length]);
    else if (!sentenceStart(w.index)) out.push([w.index, w.index + w[0].length]);
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
