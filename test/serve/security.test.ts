/**
 * The serving API under hostile use (issue 15), on a real database and MLflow, one stack for the
 * file: PII written in disguise never reaches a stored row or the log, random bearer tokens do not
 * escape the rate limit, admin endpoints are off without a key and never answer a foreign origin,
 * feedback belongs to whoever holds the correction's token, errors name the real problem without
 * leaking internals; the API and worker metrics listen on CORRECTLY_BIND_HOST and say clearly when
 * a port is taken; and schemathesis, from the OpenAPI document at /openapi.json, finds no 5xx and
 * no answer outside the schema (its summary line is printed with the test output).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { ResourceMonitor, serveWorkerMetrics } from '../../ops/monitoring/resources';
import { PROJECT_ROOT } from '../../config/paths';
import { freePort } from '../../ops/stack/process';
import { startServingApi, type ServingApi } from '../../serve/server';
import { stackEnv } from '../support/stack';
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
const monitors: ResourceMonitor[] = [];
afterAll(async () => {
  for (const m of monitors) await m.close();
  await h?.stop();
}, 60_000);

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

describe('rate limit behind a proxy', () => {
  it('X-Forwarded-For is ignored unless API_TRUST_PROXY names the proxy', async () => {
    const spoof = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    const direct = await h.startApi({ API_RATE_LIMIT: '2' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(`${direct.url}/v1/corrections`, { text: 'I has a cat.' }, spoof(i))).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const proxied = await h.startApi({ API_RATE_LIMIT: '2', API_TRUST_PROXY: '127.0.0.1' });
    for (let i = 0; i < 4; i++) expect((await post(`${proxied.url}/v1/corrections`, { text: 'I has a cat.' }, spoof(i))).status).toBe(200);
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

/** The config a worker on this machine would load, with only the given settings from outside. */
const workerConfig = (env: Record<string, string>) => loadConfig({ PATH: process.env.PATH, CORRECTLY_CONFIG: '', ...env });

describe('what listens where: worker metrics', () => {
  it('listen on 127.0.0.1 by default, on CORRECTLY_BIND_HOST when set', async () => {
    const port = await freePort();
    const m = new ResourceMonitor({ worker: 'w1', intervalMs: 1000 });
    monitors.push(m);
    expect(await serveWorkerMetrics(m, workerConfig({ WORKER_METRICS_PORT: String(port) }))).toBe(port);
    expect(m.address()).toEqual({ host: '127.0.0.1', port });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

    const other = new ResourceMonitor({ worker: 'w-any', intervalMs: 1000 });
    monitors.push(other);
    const anyPort = await freePort();
    await serveWorkerMetrics(other, workerConfig({ WORKER_METRICS_PORT: String(anyPort), CORRECTLY_BIND_HOST: '0.0.0.0' }));
    expect(other.address()).toEqual({ host: '0.0.0.0', port: anyPort });
  });

  it('a second worker on the same host says clearly that it has no endpoint, naming the setting', async () => {
    const port = await freePort();
    const first = new ResourceMonitor({ worker: 'cpu-worker@1', intervalMs: 1000 });
    const logs: string[] = [];
    const second = new ResourceMonitor({ worker: 'cpu-worker@2', intervalMs: 1000, log: (l) => logs.push(l) });
    monitors.push(first, second);
    const config = workerConfig({ WORKER_METRICS_PORT: String(port) });
    expect(await serveWorkerMetrics(first, config)).toBe(port);
    expect(await serveWorkerMetrics(second, config)).toBeNull();
    expect(second.address()).toBeNull();
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^WARNING worker metrics: port ${port} on 127\\.0\\.0\\.1 is already in use .*cpu-worker@2.*WITHOUT a Prometheus /metrics endpoint.*WORKER_METRICS_PORT`))]);
  });
});

describe('what listens where: the serving API', () => {
  it('listens on 127.0.0.1 by default', async () => {
    const api = await h.startApi();
    const addr = api.app.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('a taken port is one clear error naming API_PORT', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const config = loadConfig({ ...process.env, ...stackEnv(h.config), API_PORT: String(port) });
      await expect(startServingApi(config, { db: h.db, logLevel: false })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use: stop the process using it, or set API_PORT to a free port`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

const SCHEMATHESIS = path.join(PROJECT_ROOT, '.venv/bin/schemathesis');
const EXAMPLES = 25;

describe('OpenAPI and schemathesis', () => {
  let api: ServingApi;
  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`schemathesis not found at ${SCHEMATHESIS}: run \`make setup\` (infra/requirements.txt)`);
    // The admin key lets the fuzzer reach the admin handlers; the rate limit is out of its way.
    api = await h.startApi({ CORRECTLY_ADMIN_KEY: ADMIN_KEY, API_RATE_LIMIT: '1000000' });
  });

  it('documents every public and admin operation with request and response schemas', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    for (const [p, m] of [['/v1/corrections', 'post'], ['/v1/feedback', 'post'], ['/v1/chat/completions', 'post'], ['/admin/reload', 'post']]) {
      const op = doc.paths[p][m];
      expect(op.requestBody.content['application/json'].schema.type, p).toBe('object');
      expect(op.responses['200'].content['application/json'].schema.type, p).toBe('object');
      expect(op.responses['4XX'].content['application/json'].schema.properties.error, p).toBeDefined();
    }
    expect(doc.paths['/v1/chat/completions'].post.responses['200'].content['text/event-stream']).toBeDefined();
    expect(doc.paths['/v1/corrections'].post.requestBody.content['application/json'].schema.required).toEqual(['text']);
    expect(doc.paths['/admin/status'].get.security).toEqual([{ adminKey: [] }]);
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it(`schemathesis: no 5xx and no answer outside the schema (${EXAMPLES} examples per operation)`, async () => {
    const started = Date.now();
    // Its own working directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-schemathesis-'));
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        SCHEMATHESIS,
        [
          'run', `${api.url}/openapi.json`,
          '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
          '--phases', 'examples,coverage,fuzzing,stateful',
          '--max-examples', String(EXAMPLES),
          '--seed', '15',
          '--workers', '1',
          '--request-timeout', '20',
          '--header', `Authorization: Bearer ${ADMIN_KEY}`,
          '--no-color',
        ],
        { cwd, timeout: 540_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` }),
      );
    });
    // Its summary: "Test cases: N generated, N passed" and the closing "=== … in 16.6s ===" line.
    rmSync(cwd, { recursive: true, force: true });
    const cases = /Test cases:\s*\n\s*(.+)/.exec(out)?.[1].trim() ?? '(no test-case count)';
    const closing = out.split('\n').filter((l) => /^=+ .* in [\d.]+s =+$/.test(l.trim())).at(-1)?.replace(/=+/g, '').trim() ?? '(no summary line)';
    console.log(`schemathesis ${((Date.now() - started) / 1000).toFixed(0)} s: ${cases}; ${closing}`);
    // Its output without its "=== … ===" banner lines: CI reads such a line as a pytest closing
    // line (schemathesis's "=== No issues found in 16.6s ===" counted as "no test ran").
    const unbannered = (text: string) => text.split('\n').filter((l) => !/^=+ .* =+$/.test(l.trim())).join('\n');
    if (code !== 0) console.log(unbannered(out.slice(-12_000)));
    else console.log(unbannered(out.slice(out.lastIndexOf('API Operations:')).trim())); // schemathesis's own summary block
    expect(code).toBe(0);
    const counts = /(\d+) generated, (\d+) passed/.exec(cases);
    expect(counts, cases).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThan(100);
    expect(counts![2]).toBe(counts![1]);
  }, 600_000);
});
