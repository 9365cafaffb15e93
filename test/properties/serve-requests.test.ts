/**
 * Properties of the serving API's request parsing (serve/): every body, whatever its shape, is
 * either parsed into exactly what the route expects or refused with a 400 naming the field; every
 * text either passes the safety layer clean (no PII left, valid Unicode) or is refused with its own
 * code; and any thrown value becomes an API error that reveals nothing internal.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../../serve/errors';
import { reloadRequestSchema } from '../../serve/routes/admin';
import { correctionRequestSchema } from '../../serve/routes/corrections';
import { feedbackRequestSchema } from '../../serve/routes/feedback';
import { chatRequestSchema } from '../../serve/routes/openai';
import { parseBody, type SafetyPolicy, screenText } from '../../serve/safety';
import { detectPii } from '../../core/validation';
import { fc, sentence } from './settings';

/** Parses, or returns the ApiError it threw (anything else thrown fails the property). */
function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: ApiError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { ok: false, error: e as ApiError };
  }
}

function expectInvalidRequest(error: ApiError) {
  expect(error.statusCode).toBe(400);
  expect(error.code).toBe('invalid_request');
  expect(error.type).toBe('invalid_request_error');
  // "field: problem" for each problem; the first field is the error's param.
  expect(error.message).toMatch(/^[\w.[\]]+: \S/);
  if (error.param) expect(error.message.startsWith(`${error.param}: `)).toBe(true);
}

const lang = fc.constantFrom('ko', 'en');

describe('serving API request parsing properties', () => {
  it('POST /v1/corrections: any body parses to {text, reasonLanguage?} or is refused naming the field', () => {
    const body = fc.oneof(
      fc.anything(),
      fc.record({ text: fc.oneof(fc.string(), fc.anything()), reasonLanguage: fc.oneof(lang, fc.string(), fc.integer()), extra: fc.anything() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(body, (b) => {
        const r = attempt(() => parseBody(correctionRequestSchema, b));
        if (!r.ok) return expectInvalidRequest(r.error);
        expect(typeof r.value.text).toBe('string');
        expect(r.value.reasonLanguage === undefined || ['ko', 'en'].includes(r.value.reasonLanguage)).toBe(true);
        // Strict: a parsed body had no key beyond the two.
        expect(Object.keys(b as object).every((k) => k === 'text' || k === 'reasonLanguage')).toBe(true);
      }),
    );
  });

  it('POST /v1/corrections: every well-formed body is accepted unchanged', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(lang, { nil: undefined }), (text, reasonLanguage) => {
        const b = reasonLanguage ? { text, reasonLanguage } : { text };
        expect(parseBody(correctionRequestSchema, b)).toEqual(b);
      }),
    );
  });

  it('POST /v1/feedback: a UUID, a feedback token and up/down pass; anything else is refused naming the field', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            requestId: fc.oneof(fc.uuid(), fc.string()),
            feedbackToken: fc.oneof(fc.base64String({ minLength: 44, maxLength: 44 }), fc.string({ maxLength: 30 })),
            rating: fc.oneof(fc.constantFrom('up', 'down'), fc.string()),
            comment: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null), fc.string({ minLength: 2001, maxLength: 2100 })),
          },
          { requiredKeys: [] },
        ),
        (b) => {
          const r = attempt(() => parseBody(feedbackRequestSchema, b));
          const valid =
            typeof b.requestId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(b.requestId) &&
            typeof b.feedbackToken === 'string' && b.feedbackToken.length >= 16 && b.feedbackToken.length <= 200 &&
            (b.rating === 'up' || b.rating === 'down') && (b.comment == null || b.comment.length <= 2000);
          expect(r.ok).toBe(valid);
          if (!r.ok) {
            expectInvalidRequest(r.error);
            if (b.rating !== undefined && b.rating !== 'up' && b.rating !== 'down') expect(r.error.message).toContain('rating: must be "up" or "down"');
            if (b.feedbackToken === undefined) expect(r.error.message).toContain('feedbackToken: required');
          }
        },
      ),
    );
  });

  it('POST /admin/reload: version is a model version number (1 to 9 digits, no leading zero) or absent', () => {
    fc.assert(
      fc.property(fc.record({ modelName: fc.string(), version: fc.oneof(fc.nat().map(String), fc.string(), fc.integer()) }, { requiredKeys: [] }), (b) => {
        const r = attempt(() => parseBody(reloadRequestSchema, b));
        const valid = (b.modelName === undefined || b.modelName.length > 0) && (b.version === undefined || (typeof b.version === 'string' && /^[1-9]\d{0,8}$/.test(b.version)));
        expect(r.ok).toBe(valid);
        if (!r.ok) expectInvalidRequest(r.error);
      }),
    );
  });

  it('POST /v1/chat/completions: needs a model and at least one message with a known role', () => {
    const message = fc.record({ role: fc.oneof(fc.constantFrom('system', 'user', 'assistant'), fc.string()), content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.record({ type: fc.constantFrom('text', 'image_url'), text: fc.string() }))) });
    fc.assert(
      fc.property(fc.record({ model: fc.oneof(fc.constantFrom('correctly', 'correctly-en'), fc.string()), messages: fc.array(message, { maxLength: 4 }), stream: fc.oneof(fc.boolean(), fc.constant(null), fc.string()) }, { requiredKeys: [] }), (b) => {
        const r = attempt(() => parseBody(chatRequestSchema, b));
        const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
        const valid =
          typeof b.model === 'string' && b.model.length > 0 && Array.isArray(b.messages) && b.messages.length > 0 && b.messages.every((m) => roles.includes(m.role)) && (b.stream == null || typeof b.stream === 'boolean');
        expect(r.ok).toBe(valid);
        if (!r.ok) expectInvalidRequest(r.error);
      }),
    );
  });

  it('the safety layer passes a text clean (no PII left, valid Unicode, idempotent) or refuses it with its own code', () => {
    const policy: SafetyPolicy = { maxChars: 300, maxTokens: 80, profanity: 'mask', names: false };
    const email = fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.constantFrom('example.com', 'mail.kr')).map(([a, d]) => `${a}@${d}`);
    const phone = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1000, max: 9999 })).map(([a, b]) => `010-${a}-${b}`);
    const text = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.oneof(sentence(1, 6), email, phone, fc.constant('shit')), { maxLength: 6 }).map((p) => p.join(' ')));
    fc.assert(
      fc.property(text, (t) => {
        const r = attempt(() => screenText(t, policy, 'text'));
        if (!r.ok) {
          expect(['invalid_unicode', 'binary_content', 'empty_text', 'text_too_long', 'too_many_tokens']).toContain(r.error.code);
          expect(r.error.param).toBe('text');
          expect(r.error.message.startsWith('text: ')).toBe(true);
          return;
        }
        expect(detectPii(r.value.text)).toEqual([]);
        expect(r.value.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        const again = screenText(r.value.text, policy, 'text');
        expect(again.text).toBe(r.value.text);
        expect(again.redactions).toEqual([]);
      }),
    );
  });

  it('any thrown value becomes a 4xx/5xx API error; unknown failures say nothing internal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string().map((m) => new Error(m)), fc.string().map((m) => new SyntaxError(m))), (thrown) => {
        const e = toApiError(thrown);
        expect(e).toBeInstanceOf(ApiError);
        expect(e.statusCode).toBeGreaterThanOrEqual(400);
        expect(e.statusCode).toBeLessThan(600);
        const json = e.toJSON();
        expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
        if (e.statusCode === 500) expect(e.message).toBe('the server failed to handle this request; it has been logged');
      }),
    );
  });
});
