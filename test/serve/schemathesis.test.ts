/**
 * The OpenAPI document at /openapi.json, generated from the routes' schemas, and schemathesis
 * (pinned in infra/requirements.txt) against a real server with it: generated valid and invalid
 * requests for every documented operation, bounded in examples per operation; no answer may be a
 * 5xx, use an undocumented status or media type, or break its response schema. Its summary line
 * is printed with the test output.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/stack/index';
import type { ServingApi } from '../../serve/server';
import { type ServeHarness, startServeHarness } from './support';

const SCHEMATHESIS = path.join(PROJECT_ROOT, '.venv/bin/schemathesis');
const ADMIN_KEY = 'schemathesis-admin-key-0123456789';
const EXAMPLES = 25;
let h: ServeHarness;
let api: ServingApi;

beforeAll(async () => {
  if (!existsSync(SCHEMATHESIS)) throw new Error(`schemathesis not found at ${SCHEMATHESIS}: run \`make setup\` (infra/requirements.txt)`);
  h = await startServeHarness();
  // The admin key lets the fuzzer reach the admin handlers; the rate limit is out of its way.
  api = await h.startApi({ CORRECTLY_ADMIN_KEY: ADMIN_KEY, API_RATE_LIMIT: '1000000' });
}, 180_000);
afterAll(async () => h?.stop(), 60_000);

describe('OpenAPI', () => {
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
    if (code !== 0) console.log(out.slice(-12_000));
    else console.log(out.slice(out.lastIndexOf('API Operations:')).trim()); // schemathesis's own summary block
    expect(code).toBe(0);
    const counts = /(\d+) generated, (\d+) passed/.exec(cases);
    expect(counts, cases).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThan(100);
    expect(counts![2]).toBe(counts![1]);
  }, 600_000);
});
