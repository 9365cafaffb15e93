import { describe, expect, it } from 'vitest';
import { containsProfanity, countTokens, DEFAULT_VALIDATION_CONFIG, maskProfanity, parseValidationConfig, runCheapChecks } from '../../core/validation';
import { editRatio, lengthRatio, wordOverlap } from '../../core/validation/length';
import { editDistance } from '../../core/validation/text';
import { sample } from './fixtures';

const codes = (over: Parameters<typeof sample>[0], config = DEFAULT_VALIDATION_CONFIG) => runCheapChecks(sample(over), config).reasons.map((r) => r.code);

describe('check profanity', () => {
  it('flags profanity in any field, including obfuscated forms', () => {
    expect(codes({ awkward: 'This fucking bus are always late.', corrected: 'This fucking bus is always late.' })).toEqual(['profanity', 'profanity']);
    expect(runCheapChecks(sample({ reason: '주어가 단수이므로 is를 씁니다. shit' }), DEFAULT_VALIDATION_CONFIG).reasons).toEqual([
      expect.objectContaining({ code: 'profanity', field: 'reason' }),
    ]);
    expect(containsProfanity('you are a b1tch')).toBe(true);
    expect(containsProfanity('ffuk you')).toBe(true);
    expect(containsProfanity('ｆｕｃｋ this')).toBe(true);
  });

  it('does not flag innocent words that contain profane substrings', () => {
    for (const t of ['The class assessment is in Scunthorpe.', 'I ate grapes with the therapist.', 'The pen is mightier than the sword.', 'He passed the analysis.', 'Cocktails at the Dickens museum.']) {
      expect(containsProfanity(t), t).toBe(false);
    }
    expect(codes({ awkward: 'The class assessment are tomorrow.', corrected: 'The class assessment is tomorrow.', reason: '주어가 단수이므로 is를 씁니다.', errorTypes: ['agreement'] })).toEqual([]);
  });

  it('maskProfanity hides the words and keeps the rest', () => {
    expect(maskProfanity('what the fuck is this')).toBe('what the **** is this');
    expect(maskProfanity('nothing to see here')).toBe('nothing to see here');
  });

  it('can be switched off', () => {
    expect(codes({ awkward: 'This fucking bus are late.', corrected: 'This fucking bus is late.' }, parseValidationConfig({ profanity: { enabled: false } }))).toEqual([]);
  });
});

describe('check unchanged', () => {
  it('rejects a correction equal to the awkward sentence up to whitespace', () => {
    expect(codes({ corrected: 'He go to school yesterday.' })).toEqual(['unchanged']);
    expect(codes({ awkward: ' He go  to school\tyesterday. ', corrected: 'He go to school yesterday.' })).toEqual(['unchanged']);
  });
  it('accepts corrections that change only case or punctuation', () => {
    expect(codes({ awkward: 'i live in seoul.', corrected: 'I live in Seoul.', errorTypes: ['capitalization'] })).toEqual([]);
    expect(codes({ awkward: 'However I stayed.', corrected: 'However, I stayed.', errorTypes: ['punctuation'] })).toEqual([]);
  });
});

describe('check length_ratio', () => {
  it('computes len(awkward)/len(corrected) on normalised text', () => {
    expect(lengthRatio('ab  cd', 'abcd')).toBeCloseTo(5 / 4);
  });
  it('rejects a correction much shorter or longer than the sentence', () => {
    expect(codes({ awkward: 'He go to school yesterday with all of his many good friends from the village.', corrected: 'He went.' })).toContain('length_ratio');
    expect(codes({ awkward: 'He go.', corrected: 'He went to school yesterday with all of his friends.' })).toContain('length_ratio');
    expect(runCheapChecks(sample({ awkward: 'He go.', corrected: 'He went to school yesterday with all of his friends.' }), DEFAULT_VALIDATION_CONFIG).reasons[0].detail).toMatch(/outside \[0\.5, 2\]/);
  });
  it('accepts ordinary corrections and honours configured bounds', () => {
    expect(codes({ awkward: 'Can you explain me?', corrected: 'Can you explain it to me?' })).toEqual([]);
    expect(codes({ awkward: 'Can you explain me?', corrected: 'Can you explain it to me?' }, parseValidationConfig({ lengthRatio: { min: 0.9, max: 1.1 } }))).toEqual(['length_ratio']);
  });
  it('refuses bounds the wrong way round', () => {
    expect(() => parseValidationConfig({ lengthRatio: { min: 2, max: 1 } })).toThrow(/lengthRatio/);
  });
});

describe('check too_different', () => {
  it('rejects a "correction" that is another sentence', () => {
    expect(codes({ awkward: 'The cat sit on the mat.', corrected: 'I like to eat apples in the morning.' })).toEqual(['too_different']);
    expect(codes({ awkward: 'I am agree with your opinion.', corrected: 'The weather is very nice today.', errorTypes: ['word_choice'] })).toEqual(['too_different']);
  });
  it('accepts heavy but genuine corrections: reordering, many small fixes', () => {
    expect(codes({ awkward: 'I very like it.', corrected: 'I like it very much.', errorTypes: ['word_order'] })).toEqual([]);
    expect(codes({ awkward: 'Informations are importants.', corrected: 'Information is important.', errorTypes: ['plural', 'agreement'] })).toEqual([]);
    expect(codes({ awkward: 'In my country there is many beautiful place which you can visit them.', corrected: 'There are many beautiful places in my country that you can visit.', errorTypes: ['agreement', 'plural', 'redundancy'] })).toEqual([]);
  });
  it('measures overlap and edit distance as documented', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance(['a', 'b'], ['b'])).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(wordOverlap('I very like it.', 'I like it very much.')).toBeCloseTo(8 / 9);
    expect(editRatio('abc', 'abd')).toBeCloseTo(1 / 3);
  });
});

describe('check too_many_tokens', () => {
  it('counts o200k_base tokens (the GPT-4o encoding)', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    // Special-token text is counted as plain text, not refused.
    expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
    expect(runCheapChecks(sample(), DEFAULT_VALIDATION_CONFIG).tokens).toEqual({
      awkward: countTokens('He go to school yesterday.'),
      corrected: countTokens('He went to school yesterday.'),
      reason: countTokens('과거 시제이므로 go를 went로 바꿨습니다.'),
      total: countTokens('He go to school yesterday.') + countTokens('He went to school yesterday.') + countTokens('과거 시제이므로 go를 went로 바꿨습니다.'),
    });
  });
  it('rejects a field over its limit, and a total over the total limit', () => {
    const long = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
    const r = runCheapChecks(sample({ awkward: `He go to ${long}.`, corrected: `He went to ${long}.` }), DEFAULT_VALIDATION_CONFIG);
    expect(r.reasons.map((x) => [x.code, x.field])).toEqual([
      ['too_many_tokens', 'awkward'],
      ['too_many_tokens', 'corrected'],
    ]);
    expect(r.reasons[0].detail).toMatch(/^awkward: \d+ tokens > 128$/);
    const tight = parseValidationConfig({ tokens: { maxSentenceTokens: 1000, maxReasonTokens: 1000, maxTotalTokens: 20 } });
    expect(runCheapChecks(sample(), tight).reasons.map((x) => [x.code, x.field])).toEqual([['too_many_tokens', 'total']]);
    expect(codes({}, parseValidationConfig({ tokens: { maxReasonTokens: 3 } }))).toEqual(['too_many_tokens']);
  });
  it('accepts a sample within the limits', () => {
    expect(codes({})).toEqual([]);
  });
});

describe('cheap checks together', () => {
  it('a sample collects every cheap reason, in check order', () => {
    const r = runCheapChecks(sample({ awkward: 'Shit.', corrected: 'Shit.', errorTypes: ['bogus'] }), parseValidationConfig({ tokens: { maxSentenceTokens: 1 } }));
    expect(r.reasons.map((x) => x.code)).toEqual(['schema_invalid', 'unchanged', 'profanity', 'profanity', 'too_many_tokens', 'too_many_tokens']);
  });
});
