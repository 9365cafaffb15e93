import { describe, expect, it } from 'vitest';
import { CandidateSampleSchema, DEFAULT_VALIDATION_CONFIG, runCheapChecks } from '../../core/validation';
import { checkSchema } from '../../core/validation/schema';
import { sample } from './fixtures';

const codes = (raw: unknown) => runCheapChecks(raw, DEFAULT_VALIDATION_CONFIG).reasons.map((r) => r.code);
const schemaFields = (raw: unknown) => checkSchema(raw, '(x)').reasons.map((r) => r.field);

describe('check schema_invalid', () => {
  it('accepts a well-formed Korean and English triple', () => {
    expect(CandidateSampleSchema.safeParse(sample()).success).toBe(true);
    expect(codes(sample())).toEqual([]);
    const en = sample({ reasonLanguage: 'en', reason: 'The past time expression needs the past tense "went".', errorTypes: ['tense', 'agreement'] });
    expect(codes(en)).toEqual([]);
    // An English reason may quote some Korean.
    expect(codes(sample({ reasonLanguage: 'en', reason: 'Korean learners say "갔다" for went; English needs the past tense here.' }))).toEqual([]);
  });

  it('rejects empty and whitespace-only fields, with the zod path in the detail', () => {
    const r = runCheapChecks(sample({ corrected: '   ', reason: '' }), DEFAULT_VALIDATION_CONFIG);
    expect(r.status).toBe('rejected');
    const schema = r.reasons.filter((x) => x.code === 'schema_invalid');
    expect(schema.map((x) => x.field)).toEqual(expect.arrayContaining(['corrected', 'reason']));
    expect(schema.find((x) => x.field === 'corrected')!.detail).toMatch(/^corrected: must not be empty/);
  });

  it('rejects wrong types and missing fields', () => {
    expect(schemaFields({ ...sample(), awkward: 42 })).toContain('awkward');
    const { reason: _, ...noReason } = sample();
    expect(schemaFields(noReason)).toContain('reason');
    expect(schemaFields(null)).toContain('(sample)');
    expect(runCheapChecks(null, DEFAULT_VALIDATION_CONFIG, 'fallback').id).toBe('fallback');
  });

  it('rejects an unknown reason language and unknown, missing or repeated error types', () => {
    expect(schemaFields(sample({ reasonLanguage: 'ja' as 'ko' }))).toContain('reasonLanguage');
    expect(schemaFields(sample({ errorTypes: ['tense', 'grammar'] }))).toEqual(['errorTypes.1']);
    expect(schemaFields(sample({ errorTypes: [] }))).toEqual(['errorTypes']);
    expect(schemaFields(sample({ errorTypes: ['tense', 'tense'] }))).toEqual(['errorTypes']);
    for (const t of ['article', 'preposition', 'agreement', 'tense', 'plural', 'word_order', 'redundancy', 'calque', 'mood', 'spelling', 'capitalization', 'word_choice', 'punctuation', 'other']) {
      expect(schemaFields(sample({ errorTypes: [t] }))).toEqual([]);
    }
  });

  it('requires Hangul in a Korean reason and forbids a mostly-Hangul English reason', () => {
    const ko = runCheapChecks(sample({ reason: 'Use the past tense.' }), DEFAULT_VALIDATION_CONFIG);
    expect(ko.reasons).toEqual([expect.objectContaining({ code: 'schema_invalid', field: 'reason', detail: expect.stringMatching(/Korean .* Hangul/) })]);
    const en = runCheapChecks(sample({ reasonLanguage: 'en', reason: '과거 시제이므로 went를 씁니다.' }), DEFAULT_VALIDATION_CONFIG);
    expect(en.reasons).toEqual([expect.objectContaining({ code: 'schema_invalid', field: 'reason', detail: expect.stringMatching(/English .* mostly Hangul/) })]);
  });

  it('rejects control characters, lone surrogates (invalid UTF-8), U+FFFD and line breaks in sentences', () => {
    expect(schemaFields(sample({ awkward: 'He go\u0000 to school.' }))).toEqual(['awkward']);
    expect(schemaFields(sample({ awkward: 'He go to school\u0007.' }))).toEqual(['awkward']);
    expect(schemaFields(sample({ corrected: 'He went to sch\ud800ool.' }))).toEqual(['corrected']);
    expect(schemaFields(sample({ corrected: 'He went to sch\udc00ool.' }))).toEqual(['corrected']);
    expect(schemaFields(sample({ awkward: 'He go to sch\ufffdool.' }))).toEqual(['awkward']);
    expect(schemaFields(sample({ awkward: 'He go to\nschool.' }))).toEqual(['awkward']);
    expect(schemaFields(sample({ awkward: 'He go to \u202eloohcs.' }))).toEqual(['awkward']);
    expect(checkSchema(sample({ awkward: 'He go\u0000 to school.' }), 'x').reasons[0].detail).toMatch(/control character U\+0000/);
    // Tabs, emoji (valid surrogate pairs) and line breaks inside a reason are fine.
    expect(schemaFields(sample({ awkward: 'He go\tto school 😀.', reason: '과거 시제입니다.\n그래서 went를 씁니다.' }))).toEqual([]);
  });

  it('rejects a repeated id within one batch', async () => {
    const { validateBatch } = await import('../../core/validation');
    const { results } = await validateBatch([sample({ id: 'a' }), sample({ id: 'a', awkward: 'She go to work today.', corrected: 'She goes to work today.' })], { config: { nearDuplicate: { enabled: false } } });
    expect(results[0].status).toBe('accepted');
    expect(results[1].reasons).toEqual([expect.objectContaining({ code: 'schema_invalid', field: 'id' })]);
  });
});
