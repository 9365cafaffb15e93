/** Pure parts of the providers: diff edits, PII restoration, Retry-After, usage and cost, judge scores, JSON schema. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, editSchema } from '../../core/engines/types';
import { diffEdits, restorePii } from '../../adapters/providers/corrector';
import { scoreJudgement, summarizeJudgements } from '../../adapters/providers/judge';
import { jsonSchemaOf, parseReply } from '../../adapters/providers/llm';
import { CorrectionReplySchema } from '../../adapters/providers/prompts';
import { retryAfterMs, sleep } from '../../adapters/providers/retry';
import { callCost, UsageLedger } from '../../adapters/providers/usage';

describe('diffEdits', () => {
  it('merges changes separated by whitespace into one edit, with offsets into the input', () => {
    const input = 'If I had to assess someone like a job interview, I would ask.';
    const output = 'If I were evaluating someone in a job interview, I would ask.';
    const edits = diffEdits(input, output, 'en');
    expect(edits.map((e) => [e.before, e.after])).toEqual([
      ['had to assess', 'were evaluating'],
      ['like', 'in'],
    ]);
    expect(edits[1]).toMatchObject({ type: 'preposition' });
    expect(edits[1]!.reason).toMatch(/^Preposition: 'like' → 'in' — /);
    for (const e of edits) expect(input.slice(e.start, e.end)).toBe(e.before);
    expect(applyEdits(input, edits)).toBe(output);
  });

  it('types articles, punctuation and capitalization; no edits when unchanged', () => {
    expect(diffEdits('I saw a apple', 'I saw an apple', 'ko')[0]).toMatchObject({ type: 'article', reason: expect.stringContaining('관사') });
    expect(diffEdits('hello world', 'Hello world.')).toHaveLength(2);
    expect(diffEdits('same.', 'same.')).toEqual([]);
  });

  it('always rebuilds the output and gives valid edits (property)', () => {
    const word = fc.constantFrom('the', 'a', 'cat', 'go', 'goes', ',', '.', "don't", '한국', ' ', '  ', 'I', 'i', 'e-mail');
    const text = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const edits = diffEdits(a, b);
        expect(applyEdits(a, edits)).toBe(b);
        for (const e of edits) expect(editSchema.safeParse(e).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('restorePii', () => {
  it('puts originals back in order, leaving missing placeholders alone', () => {
    const original = 'Mail a@b.com and c@d.org, call 010-1234-5678.';
    expect(restorePii(original, 'Mail [EMAIL] and [EMAIL]; call [PHONE].')).toBe('Mail a@b.com and c@d.org; call 010-1234-5678.');
    expect(restorePii(original, 'No placeholders.')).toBe('No placeholders.');
  });
});

describe('retry-after', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150' }))).toBe(150);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
  it('sleep ends early on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 20);
    const t0 = Date.now();
    await expect(sleep(5000, ac.signal)).rejects.toThrow('stop');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('usage ledger', () => {
  it('prices gpt-4o-mini, leaves unknown models unpriced, and aggregates', () => {
    expect(callCost('openai', 'gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75);
    expect(callCost('openai', 'gpt-4o-mini', 1_000_000, 0, 1_000_000)).toBeCloseTo(0.075);
    expect(callCost('ollama', 'gemma3:1b', 1e6, 1e6)).toBe(0);
    expect(callCost('openai', 'some-new-model', 10, 10)).toBeNaN();
    const l = new UsageLedger();
    l.record({ provider: 'openai', model: 'gpt-4o-mini', purpose: 'baseline', promptTokens: 100, completionTokens: 50, cachedTokens: 0, latencyMs: 500, reasks: 0, ok: true });
    l.record({ provider: 'openai', model: 'gpt-4o-mini', purpose: 'judge', promptTokens: 300, completionTokens: 50, cachedTokens: 0, latencyMs: 1500, reasks: 1, ok: true });
    expect(l.totals()).toMatchObject({ calls: 2, promptTokens: 400, completionTokens: 100, reasks: 1, priced: true, latencyMs: 2000, tokensPerSecond: 50 });
    expect(Object.keys(l.by('purpose'))).toEqual(['baseline', 'judge']);
    expect(l.costPer1000((r) => r.purpose === 'baseline')).toBeCloseTo(((100 * 0.15 + 50 * 0.6) / 1e6) * 1000);
    l.record({ provider: 'openai', model: 'mystery', purpose: 'baseline', promptTokens: 1, completionTokens: 1, cachedTokens: 0, latencyMs: 1, reasks: 0, ok: true });
    expect(l.totals().priced).toBe(false);
    expect(l.costPer1000()).toBeNaN();
  });
});

describe('judge scores', () => {
  it('explanation score and correctness follow the rubric', () => {
    const good = { covered: true, correct: true, wrongErrorType: false };
    expect(scoreJudgement([good, good], [], false)).toMatchObject({ explanationScore: 1, correctness: 1 });
    expect(scoreJudgement([good, { ...good, wrongErrorType: true }], ['x'], false).explanationScore).toBeCloseTo(1 / 3);
    expect(scoreJudgement([], [], true).explanationScore).toBe(1);
    expect(scoreJudgement([], [], false).explanationScore).toBe(0);
    const s = summarizeJudgements([scoreJudgement([good], [], false), scoreJudgement([{ ...good, covered: false, correct: false }], ['y'], false)]);
    expect(s).toMatchObject({ judged: 2, edits: 2, coveredRate: 0.5, correctRate: 0.5, hallucinationsPerCorrection: 0.5, explanationScore: 0.5 });
  });
});

describe('structured output helpers', () => {
  it('turns the zod schema into a strict JSON schema and parses replies', () => {
    expect(jsonSchemaOf(CorrectionReplySchema)).toEqual({
      type: 'object',
      properties: { corrected: expect.objectContaining({ type: 'string' }), reason: expect.objectContaining({ type: 'string' }) },
      required: ['corrected', 'reason'],
      additionalProperties: false,
    });
    expect(parseReply('{"corrected":"a","reason":""}', CorrectionReplySchema)).toEqual({ ok: true, value: { corrected: 'a', reason: '' } });
    expect(parseReply('{"corrected":"a","reason":"","extra":1}', CorrectionReplySchema)).toMatchObject({ ok: false });
    expect(parseReply('nope', CorrectionReplySchema)).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });
});
