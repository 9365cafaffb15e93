/** The Harper engine: known errors, edit offsets, reasons in Korean and English, one shared linter. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EditComposer } from '../../core/engines/edits';
import { HarperCorrector, lintEditType } from '../../core/engines/harper';
import { bestSpelling } from '../../core/engines/spelling';
import { applyEdits, correctionSchema, type Correction } from '../../core/engines/types';

let harper: HarperCorrector;

beforeAll(async () => {
  harper = new HarperCorrector();
  await harper.init();
});
afterAll(async () => {
  await harper.close();
});

/** Offsets point into the input and rebuild the output; the record matches the port's schema. */
function checkEdits(c: Correction) {
  correctionSchema.parse(c);
  for (const e of c.edits) expect(c.input.slice(e.start, e.end)).toBe(e.before);
  expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
  for (let i = 1; i < c.edits.length; i++) expect(c.edits[i].start).toBeGreaterThanOrEqual(c.edits[i - 1].end);
}

describe('HarperCorrector', () => {
  it('corrects known errors', async () => {
    const cases: [string, string[]][] = [
      ['He go to school every days.', ['He goes to school']],
      ['I recieve a apple yesterday.', ['receive', 'an apple']],
      ['i think she dont like it.', ['I think', "doesn't"]],
      ['This is is a good idea, isnt it?', ['This is a good idea', "isn't"]],
      ['We went there on monday.', ['Monday']],
    ];
    for (const [input, expected] of cases) {
      const c = await harper.correct(input);
      checkEdits(c);
      for (const fragment of expected) expect(c.corrected).toContain(fragment);
      expect(c.engine).toBe('harper');
      expect(c.modelVersion).toBeNull();
    }
  });

  it('edits carry types and reasons in Korean by default and in English on request', async () => {
    const ko = await harper.correct('I recieve a apple.');
    checkEdits(ko);
    const spelling = ko.edits.find((e) => e.before === 'recieve');
    expect(spelling).toMatchObject({ after: 'receive', type: 'spelling' });
    expect(spelling!.reason).toBe("철자: 'recieve' → 'receive' — 'recieve'의 올바른 철자는 'receive'입니다. (규칙: Harper SpellCheck)");
    const article = ko.edits.find((e) => e.before === 'a');
    expect(article).toMatchObject({ after: 'an', type: 'article' });
    expect(article!.reason).toMatch(/^관사: 'a' → 'an'/);
    expect(ko.reason).toContain("'recieve' → 'receive'");

    const en = await harper.correct('I recieve a apple.', { reasonLanguage: 'en' });
    expect(en.edits.find((e) => e.before === 'recieve')!.reason).toMatch(/^Spelling: 'recieve' → 'receive'/);
    expect(en.edits.find((e) => e.before === 'a')!.reason).toMatch(/^Article: 'a' → 'an'/);
    expect(en.corrected).toBe(ko.corrected);
  });

  it('reports agreement edits with their own reason, not a canned sentence', async () => {
    const c = await harper.correct('He go to school.', { reasonLanguage: 'ko' });
    expect(c.edits).toHaveLength(1);
    expect(c.edits[0]).toMatchObject({ start: 3, end: 5, before: 'go', after: 'goes', type: 'agreement' });
    expect(c.edits[0].reason).toContain("'go' → 'goes'");
  });

  it('leaves correct text alone and says so', async () => {
    const ko = await harper.correct('She goes to school every day.');
    expect(ko.corrected).toBe(ko.input);
    expect(ko.edits).toEqual([]);
    expect(ko.reason).toBe('모델이 이 문장에서 오류를 찾지 못했습니다.');
    const en = await harper.correct('She goes to school every day.', { reasonLanguage: 'en' });
    expect(en.reason).toBe('The model found no error in this sentence.');
    expect((await harper.correct('')).corrected).toBe('');
  });

  it('keeps UTF-16 offsets right around astral characters', async () => {
    const c = await harper.correct('😀 i recieve it 😀 and i eat it.');
    checkEdits(c);
    expect(c.corrected).toBe('😀 I receive it 😀 and I eat it.');
  });

  it('composes edits over several passes into edits on the input', async () => {
    for (const input of ['i recieve a apple and i eat it .', 'Me and him goes to the the park on monday', 'teh cat are sleeping']) {
      checkEdits(await harper.correct(input));
    }
  });

  it('returns consistent edits for arbitrary text (property)', async () => {
    const piece = fc.oneof(
      fc.constantFrom('i', 'recieve', 'a', 'apple', 'He', 'go', 'the', 'the', ',', ' ,', '.', '  ', '\n', "dont", '😀', 'é', '"', '(', 'monday'),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        checkEdits(await harper.correct(pieces.join(' ')));
      }),
      { numRuns: 80 },
    );
  });

  it('reuses one linter: a second corrector is ready at once', async () => {
    const t0 = performance.now();
    const second = new HarperCorrector();
    await second.init();
    const c = await second.correct('He go to school.');
    expect(c.corrected).toBe('He goes to school.');
    expect(performance.now() - t0).toBeLessThan(500);
    await second.close();
    // the shared linter survives the second corrector's close
    expect((await harper.correct('He go to school.')).corrected).toBe('He goes to school.');
  });

  it('corrects a sentence in well under a second', async () => {
    const sentences = ['I has a apple.', 'They was happy becouse of the wheather.', 'She like to reads books in the libary.'];
    const t0 = performance.now();
    for (const s of sentences) await harper.correct(s + ' '); // distinct text: not cached
    expect((performance.now() - t0) / sentences.length).toBeLessThan(500);
  });
});

describe('spelling re-ranking', () => {
  it('prefers common, close words over Harper’s first suggestion', () => {
    const pick = (word: string, cands: string[]) => cands[bestSpelling(word, cands)];
    expect(pick('comming', ['cumming', 'combing', 'coming'])).toBe('coming');
    expect(pick('wich', ['wish', 'which', 'wick'])).toBe('which');
    expect(pick('writting', ['writhing', 'witting', 'writing'])).toBe('writing');
    expect(pick('isnt', ['int', "isn't", 'inst'])).toBe("isn't");
    expect(pick('problemes', ["problem's", 'problems', 'problem'])).toBe('problems');
  });
});

describe('lint kind → edit type', () => {
  it('maps rules and kinds', () => {
    expect(lintEditType('Miscellaneous', 'AnA')).toBe('article');
    expect(lintEditType('Agreement', 'PronounVerbAgreement')).toBe('agreement');
    expect(lintEditType('Spelling', 'SpellCheck')).toBe('spelling');
    expect(lintEditType('Capitalization', 'SentenceCapitalization')).toBe('capitalization');
    expect(lintEditType('Unheard', 'Whatever')).toBe('other');
  });
});

describe('EditComposer', () => {
  it('merges a later edit that touches an earlier one and keeps offsets on the input', () => {
    const c = new EditComposer('abc def ghi');
    const part = (before: string, after: string) => ({ type: 'other' as const, before, after });
    c.apply([{ start: 4, end: 7, after: 'DEFX', part: part('def', 'DEFX') }]);
    expect(c.text).toBe('abc DEFX ghi');
    c.apply([
      { start: 0, end: 3, after: 'A', part: part('abc', 'A') },
      { start: 7, end: 8, after: 'Y', part: part('X', 'Y') },
      { start: 9, end: 12, after: '', part: part('ghi', '') },
    ]);
    expect(c.text).toBe('A DEFY ');
    const edits = c.composed();
    expect(edits.map((e) => [e.start, e.end, e.after])).toEqual([
      [0, 3, 'A'],
      [4, 7, 'DEFY'],
      [8, 11, ''],
    ]);
    expect(edits[1].parts).toHaveLength(2);
  });

  it('drops an edit a later pass undid', () => {
    const c = new EditComposer('color');
    const part = { type: 'spelling' as const, before: '', after: '' };
    c.apply([{ start: 0, end: 5, after: 'colour', part }]);
    c.apply([{ start: 0, end: 6, after: 'color', part }]);
    expect(c.composed()).toEqual([]);
  });
});
