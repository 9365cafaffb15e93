/**
 * Long inputs, sentence by sentence: a wrapper every engine built by `createCorrector` gets.
 *
 * - A text of at most `wholeUpTo` characters (default 500: every JFLEG dev line, a paragraph of a
 *   few sentences) without an over-long token goes to the engine whole, exactly as before.
 * - A longer text is split into sentences (`Intl.Segmenter`, Unicode sentence boundaries, UAX #29)
 *   and each sentence is corrected on its own; the edits' offsets are shifted back onto the whole
 *   input, so `input.slice(e.start, e.end) === e.before` holds for the whole text.
 * - A sentence holding (part of) a token — a run of non-space characters of the whole text —
 *   longer than `maxTokenChars` (default 64 UTF-16 units) is passed through untouched, in texts of
 *   any length. The longest
 *   English dictionary word has 45 letters (pneumonoultramicroscopicsilicovolcanoconiosis); 64 leaves
 *   room for attached punctuation and hyphenated compounds. Longer runs are URLs, hashes, base64,
 *   keyboard mashing or text without spaces (Chinese, Japanese, Thai): no English correction applies,
 *   and on such a token Harper's WASM linter takes seconds ('a' × 2000: 2.4 s) and can crash
 *   ('abcdefghij' × 200 right after it: `RuntimeError: unreachable`, which poisons the linter).
 *   The whole sentence is kept, not just the token: correcting the words around a cut-out token
 *   would treat sentence fragments as sentences (capitalising the word after it, for one).
 */
import { correctionReason } from './reasons';
import { type CorrectOptions, type Correction, type Corrector, DEFAULT_REASON_LANGUAGE, type Edit } from './types';

export interface SegmentOptions {
  /** Longest run of non-space characters an engine sees; a sentence with a longer one is left as it is. 0: no limit. */
  maxTokenChars?: number;
  /** Texts up to this many characters go to the engine whole; longer ones sentence by sentence. */
  wholeUpTo?: number;
}

export const DEFAULT_MAX_TOKEN_CHARS = 64;
export const DEFAULT_WHOLE_UP_TO = 500;

/** A stretch of the input: a sentence without its surrounding white space. */
export interface Segment {
  start: number;
  end: number;
  /** Left untouched: it holds an over-long token. */
  passThrough: boolean;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The runs of non-space characters longer than `max` (none when max is 0), as [start, end) in the text. */
function longTokens(text: string, max: number): [number, number][] {
  if (!max || text.length <= max) return [];
  return [...text.matchAll(new RegExp(`\\S{${max + 1},}`, 'g'))].map((m) => [m.index, m.index + m[0].length]);
}

/** How a text is corrected: one segment (the whole text) or its sentences. */
export function planSegments(text: string, opts: SegmentOptions = {}): Segment[] {
  const long = longTokens(text, opts.maxTokenChars ?? DEFAULT_MAX_TOKEN_CHARS);
  if (text.length <= (opts.wholeUpTo ?? DEFAULT_WHOLE_UP_TO) && !long.length) return [{ start: 0, end: text.length, passThrough: false }];
  const out: Segment[] = [];
  for (const s of segmenter.segment(text)) {
    let start = s.index;
    let end = s.index + s.segment.length;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    // a long token counts in the whole text: the sentence splitter may cut one ("a.b" … "c.d")
    if (start < end) out.push({ start, end, passThrough: long.some(([a, b]) => a < end && b > start) });
  }
  return out;
}

/** `inner` with long inputs corrected sentence by sentence and over-long tokens left alone (see the top). */
export class SegmentedCorrector implements Corrector {
  readonly name: string;

  constructor(
    readonly inner: Corrector,
    private readonly opts: SegmentOptions = {},
  ) {
    this.name = inner.name;
  }

  async correct(text: string, opts: CorrectOptions = {}): Promise<Correction> {
    const segments = planSegments(text, this.opts);
    if (segments.length === 1 && !segments[0].passThrough && segments[0].start === 0 && segments[0].end === text.length) {
      return this.inner.correct(text, opts);
    }
    const edits: Edit[] = [];
    let corrected = '';
    let pos = 0;
    let engine = this.inner.name;
    // Engines with a trained model say which version they are (RuleCorrector); the others have none.
    let modelVersion = (this.inner as { modelVersion?: string | null }).modelVersion ?? null;
    for (const s of segments) {
      corrected += text.slice(pos, s.start);
      pos = s.end;
      if (s.passThrough) {
        corrected += text.slice(s.start, s.end);
        continue;
      }
      const c = await this.inner.correct(text.slice(s.start, s.end), opts);
      engine = c.engine;
      modelVersion = c.modelVersion;
      corrected += c.corrected;
      for (const e of c.edits) edits.push({ ...e, start: e.start + s.start, end: e.end + s.start });
    }
    corrected += text.slice(pos);
    return { input: text, corrected, edits, reason: correctionReason(edits, opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE), engine, modelVersion };
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

/** Wraps `corrector` (false: returns it as it is). */
export function segmented(corrector: Corrector, opts: SegmentOptions | false = {}): Corrector {
  return opts === false || corrector instanceof SegmentedCorrector ? corrector : new SegmentedCorrector(corrector, opts);
}
