/**
 * Long inputs sentence by sentence (core/engines/segment.ts), with the real Harper engine: edit
 * offsets point into the whole input, sentences with an over-long token are left alone, short
 * texts are corrected whole exactly as before.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorrector } from '../../core/engines';
import { loadConfig } from '../../config';
import { registerOfflineEngines } from '../../adapters/offline-engines';

registerOfflineEngines(loadConfig());
import { planSegments, SegmentedCorrector, segmented } from '../../core/engines/segment';
import { applyEdits, type Correction, type Corrector } from '../../core/engines/types';

let harper: Corrector;
let unsegmented: Corrector;
beforeAll(async () => {
  harper = await createCorrector('harper');
  unsegmented = await createCorrector('harper', { segment: false });
});
afterAll(async () => {
  await harper?.close?.();
  await unsegmented?.close?.();
});

/** The port's promises: edits point into the input and rebuild the output. */
function expectConsistent(c: Correction) {
  for (const e of c.edits) expect(c.input.slice(e.start, e.end)).toBe(e.before);
  expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
}

describe('planSegments', () => {
  it('keeps a short text whole, and splits a long one into its sentences without the spaces around them', () => {
    expect(planSegments('He go to school. She like it.')).toEqual([{ start: 0, end: 29, passThrough: false }]);
    const text = 'He go to school.  She like it! '.repeat(20);
    const segs = planSegments(text);
    expect(segs).toHaveLength(40);
    expect(text.slice(segs[0].start, segs[0].end)).toBe('He go to school.');
    expect(text.slice(segs[1].start, segs[1].end)).toBe('She like it!');
    expect(segs.every((s) => !s.passThrough)).toBe(true);
  });

  it('marks a sentence holding a token longer than 64 characters, in a text of any length', () => {
    const url = `https://example.com/${'a'.repeat(60)}`;
    expect(planSegments(`See ${url} now. He go home.`).map((s) => s.passThrough)).toEqual([true, false]);
    expect(planSegments('a'.repeat(2000))).toEqual([{ start: 0, end: 2000, passThrough: true }]);
    // 45 letters, the longest dictionary word, and 64 non-space characters are still words
    expect(planSegments('pneumonoultramicroscopicsilicovolcanoconiosis is long.')[0].passThrough).toBe(false);
    expect(planSegments(`${'x'.repeat(64)} is long.`)[0].passThrough).toBe(false);
    expect(planSegments(`${'x'.repeat(65)} is long.`)[0].passThrough).toBe(true);
    expect(planSegments('a'.repeat(2000), { maxTokenChars: 0 })[0].passThrough).toBe(false);
    // the sentence splitter cuts this token after "?": both of its parts stay untouched
    const cut = `${'x'.repeat(40)}?${'b'.repeat(40)}. He go home.`;
    expect(planSegments(cut).map((s) => [cut.slice(s.start, s.end), s.passThrough])).toEqual([
      [`${'x'.repeat(40)}?`, true],
      [`${'b'.repeat(40)}.`, true],
      ['He go home.', false],
    ]);
  });
});

describe('SegmentedCorrector with Harper', () => {
  it('corrects a short text exactly as the engine alone does', async () => {
    for (const t of ['He go to school every days.', 'i recieve a apple. She do not like it.']) {
      expect(await harper.correct(t)).toEqual(await unsegmented.correct(t));
    }
  });

  it('corrects a long text sentence by sentence, with offsets into the whole text', async () => {
    const sentences = ['He go to school every days.', 'I recieve a apple yesterday.', 'This is fine.', 'She do not like it.'];
    const text = Array.from({ length: 8 }, (_, i) => sentences[i % 4]).join(' ');
    const long = `${text} ${text} ${text}`;
    expect(long.length).toBeGreaterThan(500);
    const c = await harper.correct(long, { reasonLanguage: 'en' });
    expectConsistent(c);
    // each sentence is corrected as if it were sent alone
    const each: Correction[] = [];
    for (const s of sentences) each.push(await unsegmented.correct(s, { reasonLanguage: 'en' }));
    expect(c.corrected).toBe(Array.from({ length: 24 }, (_, i) => each[i % 4].corrected).join(' '));
    expect(c.edits.length).toBe(6 * each.reduce((n, x) => n + x.edits.length, 0));
    expect(c.edits.length).toBeGreaterThan(0);
    expect(c.reason).not.toBe('');
    expect(c.engine).toBe('harper');
  });

  it('passes the two texts that crash Harper through untouched, fast', async () => {
    for (const t of ['a'.repeat(2000), 'abcdefghij'.repeat(200)]) {
      const t0 = performance.now();
      const c = await harper.correct(t);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(c).toMatchObject({ input: t, corrected: t, edits: [] });
    }
  });

  it('keeps every property on generated long texts: sentences, long tokens, control characters, other scripts', async () => {
    const sentence = fc.constantFrom('He go to school every days.', 'I recieve a apple.', 'The weather is nice today.', '그는 학교에 간다.', 'Это хорошо.', 'She like\tit\u0007 a lot!', '这是一个很长的句子没有空格而且超过了六十四个字符这是一个很长的句子没有空格而且超过了六十四个字符这是一个很长的句子');
    const token = fc.string({ minLength: 65, maxLength: 200, unit: fc.constantFrom('a', 'b', '1', '/', '.', '-') });
    const piece = fc.oneof({ weight: 4, arbitrary: sentence }, { weight: 1, arbitrary: token });
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 40 }), fc.constantFrom(' ', '\n', '  '), async (pieces, sep) => {
        const text = pieces.join(sep);
        const c = await harper.correct(text);
        expect(c.input).toBe(text);
        expectConsistent(c);
        // nothing inside a sentence with an over-long token is changed
        for (const s of planSegments(text).filter((x) => x.passThrough)) {
          expect(c.edits.some((e) => e.start < s.end && e.end > s.start)).toBe(false);
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});

describe('a wrapped engine', () => {
  it('is not wrapped twice, and closes what it wraps', async () => {
    const inner = await createCorrector('harper', { segment: false });
    const outer = new SegmentedCorrector(inner);
    expect(outer.name).toBe('harper');
    expect(segmented(outer)).toBe(outer);
    expect(segmented(inner, false)).toBe(inner);
    await outer.close();
    await expect(inner.correct('x')).rejects.toThrow(/closed/);
  });
});
