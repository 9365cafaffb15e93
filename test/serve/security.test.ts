/**
 * The serving API under hostile use (issue 15), on a real database and MLflow: PII written in
 * disguise never reaches a stored row, random bearer tokens do not escape the rate limit, admin
 * endpoints are off without a key and never answer a foreign origin, feedback belongs to whoever
 * holds the correction's token, and errors name the real problem without leaking internals.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingApi } from '../../serve/server';
import { post, type ServeHarness, startServeHarness } from './support';

const ADMIN_KEY = 'security-admin-key-0123456789';
let h: ServeHarness;
let open: ServingApi; // no admin key: admin endpoints off
let keyed: ServingApi; // with an admin key

beforeAll(async () => {
  h = await startServeHarness();
  open = await h.startApi({ API_RATE_LIMIT: '1000' });
  keyed = await h.startApi({ CORRECTLY_ADMIN_KEY: ADMIN_KEY, API_RATE_LIMIT: '1000' });
}, 180_000);
afterAll(async () => h?.stop(), 60_000);

const digits = (s: string) => s.normalize('NFKC').replace(/\D/g, '');

/** Every stored text of both tables, as one string per row. */
async function storedRows(): Promise<string[]> {
  const requests = await h.db.query('select * from serving_request');
  const feedback = await h.db.query('select * from feedback');
  return [...requests, ...feedback].map((r) => JSON.stringify(r));
}

describe('PII in disguise is never stored', () => {
  // The values the issue found stored raw: an RRN with a space, with an en dash, in full-width
  // digits, and a phone number in full-width digits.
  const cases: [string, string][] = [
    ['RRN with a space', '900101 1234567'],
    ['RRN with an en dash', '900101\u20131234567'],
    ['RRN in full-width digits', '\uff19\uff10\uff10\uff11\uff10\uff11-\uff11\uff12\uff13\uff14\uff15\uff16\uff17'],
    ['phone in full-width digits', '\uff10\uff11\uff10-\uff19\uff18\uff17\uff16-\uff15\uff14\uff13\uff12'],
  ];
  for (const [what, value] of cases) {
    it(`${what}: redacted in the request row, the response and the feedback comment`, async () => {
      const c = await post(`${open.url}/v1/corrections`, { text: `My number is ${value} and I has a question.`, reasonLanguage: 'en' });
      expect(c.status).toBe(200);
      expect(JSON.stringify(c.json)).not.toContain(digits(value));
      expect(c.json.redactions).toHaveLength(1);
      const fb = await post(`${open.url}/v1/feedback`, { requestId: c.json.requestId, feedbackToken: c.json.feedbackToken, rating: 'down', comment: `it is ${value}` });
      expect(fb.status).toBe(201);
      for (const row of await storedRows()) expect(digits(row)).not.toContain(digits(value));
    });
  }
});

describe('the log', () => {
  it('holds no client address and no PII, even from a query string', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logged = await h.startApi({}, { logLevel: 'info', logStream: stream });
    await fetch(`${logged.url}/v1/nothing?mail=kim.minji@example.com&rrn=900101%201234567`);
    await post(`${logged.url}/v1/corrections`, { text: 'Call 010-9876-5432, I has a question.' });
    const log = lines.join('');
    const requestLines = lines.filter((l) => /incoming request|request completed/.test(l)).join('');
    expect(requestLines).toContain('[EMAIL]');
    expect(requestLines).toContain('[KR_RRN]');
    expect(log).not.toMatch(/kim\.minji|9876|1234567|remoteAddress|remotePort/);
    expect(requestLines).not.toContain('127.0.0.1'); // the client's address (the server's own is logged at start)
  });
});

describe('rate limit', () => {
  it('random bearer tokens do not buy a fresh budget: the IP stays limited', async () => {
    const limited = await h.startApi({ API_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) expect((await post(`${limited.url}/v1/corrections`, { text: 'I has a cat.' })).status).toBe(200);
    expect((await post(`${limited.url}/v1/corrections`, { text: 'I has a cat.' })).status).toBe(429);
    for (let i = 0; i < 5; i++) {
      const r = await post(`${limited.url}/v1/corrections`, { text: 'I has a cat.' }, { authorization: `Bearer ${randomBytes(12).toString('hex')}` });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe('admin endpoints', () => {
  it('are off without CORRECTLY_ADMIN_KEY, even for a loopback caller with any token', async () => {
    for (const headers of [{}, { authorization: 'Bearer anything-at-all-here' }] as Record<string, string>[]) {
      const status = await fetch(`${open.url}/admin/status`, { headers });
      expect(status.status).toBe(403);
      expect(((await status.json()) as any).error.code).toBe('admin_disabled');
      const reload = await post(`${open.url}/admin/reload`, {}, headers);
      expect(reload.status).toBe(403);
      expect(reload.json.error.code).toBe('admin_disabled');
    }
  });

  it('never answer a foreign origin: no CORS on admin routes, preflight or not', async () => {
    for (const api of [open, keyed]) {
      const preflight = await fetch(`${api.url}/admin/reload`, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const status = await fetch(`${api.url}/admin/status`, { headers: { origin: 'http://evil.example', authorization: `Bearer ${ADMIN_KEY}` } });
      expect(status.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('feedback ownership', () => {
  it('knowing a requestId is not enough to rate or overwrite its feedback', async () => {
    const c = await post(`${open.url}/v1/corrections`, { text: 'She go to school every days.' });
    const noToken = await post(`${open.url}/v1/feedback`, { requestId: c.json.requestId, rating: 'down' });
    expect(noToken.status).toBe(400);
    const wrong = await post(`${open.url}/v1/feedback`, { requestId: c.json.requestId, feedbackToken: randomBytes(32).toString('base64url'), rating: 'down' });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe('invalid_feedback_token');
    expect(await h.db.query('select * from feedback where request_id = $1', [c.json.requestId])).toEqual([]);
  });
});

describe('errors name the real problem', () => {
  it('a __proto__ key is refused as such, not as invalid JSON', async () => {
    const r = await post(`${open.url}/v1/corrections`, '{"text":"I has a cat.","__proto__":{"admin":true}}');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('forbidden_key');
    expect(r.json.error.message).toContain('__proto__');
  });

  it('a reload that finds no version does not pass on the registry message', async () => {
    const r = await post(`${keyed.url}/admin/reload`, { modelName: h.config.mlflowModelName, version: '99' }, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('model_version_not_found');
    expect(r.json.error.message).toBe(`${h.config.mlflowModelName} has no version 99 in the model registry`);
  });
});
