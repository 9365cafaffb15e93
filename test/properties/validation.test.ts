/**
 * Properties of the validate stage's checks (core/validation), over generated inputs: whatever
 * comes in, validation answers (never throws), its verdicts are consistent with its reasons and its
 * report, redaction leaves no PII behind, and the length/similarity measures keep their bounds.
 */
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  DEFAULT_VALIDATION_CONFIG,
  detectPii,
  ERROR_TYPES,
  parseValidationConfig,
  PII_PLACEHOLDERS,
  REASON_CODES,
  redactPii,
  redactSample,
  runCheapChecks,
  validateBatch,
  type CandidateSample,
} from '../../core/validation';
import { editRatio, lengthRatio, wordOverlap } from '../../core/validation/length';
import { checkUnchanged } from '../../core/validation/unchanged';
import { fc, sentence, spaces } from './settings';

const koReason = fc.constantFrom('주어가 3인칭 단수이므로 동사에 -s를 붙입니다.', '과거 시제이므로 동사를 바꿨습니다.', '관사를 바르게 써야 합니다.');
const validSample: fc.Arbitrary<CandidateSample> = fc.record({
  id: fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/),
  awkward: sentence(),
  corrected: sentence(),
  reason: koReason,
  reasonLanguage: fc.constant('ko' as const),
  errorTypes: fc.uniqueArray(fc.constantFrom(...ERROR_TYPES), { minLength: 1, maxLength: 3 }),
});

/** A sample-like value with any field possibly wrong: missing, another type, junk text. */
const messySample = fc.record(
  {
    id: fc.oneof(fc.string(), fc.integer(), fc.constant('')),
    awkward: fc.oneof(sentence(), fc.string(), fc.constant('  '), fc.integer()),
    corrected: fc.oneof(sentence(), fc.string(), fc.constant('\u0000x'), fc.constant('a\ud800b')),
    reason: fc.oneof(koReason, fc.string(), fc.constant('English only reason.')),
    reasonLanguage: fc.oneof(fc.constantFrom('ko', 'en', 'fr'), fc.integer()),
    errorTypes: fc.oneof(fc.array(fc.constantFrom(...ERROR_TYPES, 'nonsense')), fc.string()),
  },
  { requiredKeys: [] },
);

const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}[a-z0-9]$/), fc.constantFrom('example.com', 'mail.co.kr', 'corp.io')).map(([l, d]) => `${l}@${d}`);
const krPhone = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1000, max: 9999 })).map(([a, b]) => `010-${a}-${b}`);
const pii = fc.oneof(email, krPhone);

describe('validation properties', () => {
  it('answers any input without throwing; accepted exactly when there is no reason; every reason has a known code', () => {
    fc.assert(
      fc.property(fc.oneof(messySample, fc.anything(), validSample), (raw) => {
        const r = runCheapChecks(raw, DEFAULT_VALIDATION_CONFIG, '(fallback)');
        expect(r.status === 'accepted').toBe(r.reasons.length === 0);
        for (const reason of r.reasons) {
          expect(REASON_CODES).toContain(reason.code);
          expect(reason.detail.length).toBeGreaterThan(0);
        }
        expect(typeof r.id).toBe('string');
        expect(r.id.trim().length).toBeGreaterThan(0);
      }),
    );
  });

  it('a schema-valid sample never fails the schema check, and breaking one field names that field', () => {
    const breakers: Record<string, unknown[]> = { awkward: [42, '', '   ', 'tab\u0001'], corrected: [null, 'a\ud800'], reason: ['', 'No Hangul here.'], reasonLanguage: ['fr', 1], errorTypes: [[], ['nonsense'], ['tense', 'tense']] };
    fc.assert(
      fc.property(validSample, fc.constantFrom(...Object.keys(breakers)), fc.nat(), (s, field, pick) => {
        expect(runCheapChecks(s, DEFAULT_VALIDATION_CONFIG).reasons.filter((x) => x.code === 'schema_invalid')).toEqual([]);
        const bad = breakers[field][pick % breakers[field].length];
        const r = runCheapChecks({ ...s, [field]: bad }, DEFAULT_VALIDATION_CONFIG);
        expect(r.status).toBe('rejected');
        const schema = r.reasons.filter((x) => x.code === 'schema_invalid');
        expect(schema.length).toBeGreaterThan(0);
        // reasonLanguage 'fr' is reported on reasonLanguage; a reason in the wrong language on reason.
        expect(schema.some((x) => x.field!.split('.')[0] === field)).toBe(true);
      }),
    );
  });

  it('a correction equal to the awkward sentence up to whitespace is always "unchanged"', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('He', 'go', 'to', 'school', 'yesterday.'), { minLength: 1, maxLength: 8 }), spaces, spaces, spaces, (ws, a, b, c) => {
        const awkward = a + ws.join(b) + c;
        const corrected = ws.join(' ');
        expect(checkUnchanged({ awkward, corrected }).map((x) => x.code)).toEqual(['unchanged']);
        expect(lengthRatio(awkward, corrected)).toBe(1);
      }),
    );
  });

  it('word overlap and edit ratio are symmetric, in [0, 1], and 1 / 0 for identical texts', () => {
    fc.assert(
      fc.property(fc.oneof(sentence(), fc.string()), fc.oneof(sentence(), fc.string()), (a, b) => {
        for (const x of [wordOverlap(a, b), editRatio(a, b)]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
        expect(wordOverlap(a, b)).toBeCloseTo(wordOverlap(b, a), 12);
        expect(editRatio(a, b)).toBeCloseTo(editRatio(b, a), 12);
        expect(wordOverlap(a, a)).toBe(1);
        expect(editRatio(a, a)).toBe(0);
      }),
    );
  });

  it('redaction leaves no detectable PII, every placeholder sits at its offsets, and it is idempotent', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(sentence(1, 4), pii), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.join(' ');
        const { text: out, redactions } = redactPii(text);
        expect(detectPii(out)).toEqual([]);
        for (const r of redactions) expect(out.slice(r.start, r.end)).toBe(PII_PLACEHOLDERS[r.type]);
        expect(redactPii(out)).toEqual({ text: out, redactions: [] });
        // Every generated value was found: none survives verbatim.
        for (const p of parts) if (/[@\d]/.test(p)) expect(out).not.toContain(p);
      }),
    );
  });

  it('a sample\'s PII is redacted in every field alike, so awkward and corrected stay aligned', () => {
    fc.assert(
      fc.property(validSample, pii, (s, value) => {
        const withPii = { ...s, awkward: `${s.awkward} ${value}`, corrected: `${s.corrected} ${value}` };
        const { sample, redactions } = redactSample(withPii);
        for (const f of ['awkward', 'corrected'] as const) {
          expect(sample[f]).not.toContain(value);
          expect(redactions.filter((r) => r.field === f).length).toBeGreaterThan(0);
        }
        for (const r of redactions) expect(sample[r.field].slice(r.start, r.end)).toBe(PII_PLACEHOLDERS[r.type]);
        // Under the reject policy the same sample is rejected for PII; under redact it is not.
        expect(runCheapChecks(withPii, parseValidationConfig({ pii: { policy: 'reject' } })).reasons.map((x) => x.code)).toContain('pii');
        expect(runCheapChecks(withPii, DEFAULT_VALIDATION_CONFIG).reasons.map((x) => x.code)).not.toContain('pii');
      }),
    );
  });

  it('a batch keeps input order, rejects a repeated id, and its report adds up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validSample, messySample), { maxLength: 40 }), async (batch) => {
        const { results, report } = await validateBatch(batch, { config: { nearDuplicate: { enabled: false } } });
        expect(results.length).toBe(batch.length);
        const seen = new Set<string>();
        results.forEach((r, i) => {
          const id = (batch[i] as { id?: unknown }).id;
          if (typeof id === 'string' && id.trim()) expect(r.id).toBe(id);
          if (seen.has(r.id)) expect(r.reasons[0]).toMatchObject({ code: 'schema_invalid', field: 'id' });
          seen.add(r.id);
        });
        expect(report.total).toBe(batch.length);
        expect(report.accepted + report.rejected).toBe(report.total);
        expect(Object.values(report.byFirstReason).reduce((a, b) => a + b, 0)).toBe(report.rejected);
        for (const code of REASON_CODES) expect(report.byReason[code]).toBeGreaterThanOrEqual(report.byFirstReason[code]);
        expect(buildReport(results, report.durationMs, report.timingsMs)).toEqual(report);
      }),
      { numRuns: 60 },
    );
  });

  it('the validation config either parses or fails with one message naming the bad setting', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            tokens: fc.record({ maxSentenceTokens: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double(), fc.string()) }, { requiredKeys: [] }),
            lengthRatio: fc.record({ min: fc.double({ min: -1, max: 3, noNaN: true }), max: fc.double({ min: -1, max: 3, noNaN: true }) }, { requiredKeys: [] }),
            nearDuplicate: fc.record({ threshold: fc.double({ min: -1, max: 2, noNaN: true }), neighbours: fc.integer({ min: 0, max: 200 }) }, { requiredKeys: [] }),
            surprise: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          let parsed: ReturnType<typeof parseValidationConfig> | undefined;
          try {
            parsed = parseValidationConfig(input);
          } catch (e) {
            expect((e as Error).message).toMatch(/^Invalid validation config: \S/);
            return;
          }
          expect('surprise' in input).toBe(false);
          expect(parsed.lengthRatio.min).toBeLessThanOrEqual(parsed.lengthRatio.max);
          expect(Number.isInteger(parsed.tokens.maxSentenceTokens) && parsed.tokens.maxSentenceTokens > 0).toBe(true);
          expect(parsed.nearDuplicate.threshold).toBeGreaterThanOrEqual(0);
          expect(parsed.nearDuplicate.threshold).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
