/**
 * OpenWebUI 0.12.4, untouched, in front of the serving API (issue 15). It runs from its own cached
 * venv (.tools/open-webui-0.12.4, made by `scripts/setup.sh --test`) with exactly the settings
 * compose.yaml documents for its `openwebui` service (read from the file), plus where to keep its
 * data and the switch for the slim dependency set that venv holds. Through OpenWebUI's own HTTP API:
 * the three models are listed, a correction streams back in Markdown, the background tasks are off;
 * turned on by an admin, every task prompt OpenWebUI renders is answered in its shape and none is
 * ever corrected or stored as traffic.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../../core/stack/process';
import { PROJECT_ROOT } from '../../core/stack/index';
import { newApiKey } from '../../serve/auth';
import type { ServingApi } from '../../serve/server';
import { waitFor } from '../support/wait';
import { post, registerRulesVersion, type ServeHarness, startServeHarness } from './support';

const OPENWEBUI = path.join(PROJECT_ROOT, '.tools/open-webui-0.12.4/bin/open-webui');
const SENTENCE = 'Yesterday she walked to store and buy some apple.';

let h: ServeHarness;
let api: ServingApi;
let webui: ChildProcess | undefined;
let webuiLog = '';
let base = '';
let token = '';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-openwebui-'));

/** compose.yaml's environment for the openwebui service, with its ${…} references filled in. */
function documentedSettings(values: Record<string, string>): Record<string, string> {
  const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { environment: Record<string, string> }> };
  const env = compose.services.openwebui.environment;
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{(\w+)[^}]*\}/g, (_m, name: string) => values[name] ?? `(unset ${name})`)]),
  );
}

async function owui(method: 'GET' | 'POST', route: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json };
}

const storedInputs = async () => ((await h.db.query('select input_redacted from serving_request')) as { input_redacted: string }[]).map((r) => r.input_redacted);

beforeAll(async () => {
  if (!existsSync(OPENWEBUI)) throw new Error(`open-webui 0.12.4 is not installed at ${OPENWEBUI}: run \`scripts/setup.sh --test\` (\`make test\` does)`);
  h = await startServeHarness();
  await registerRulesVersion(h.mlflow, h.config.mlflowModelName, 'openwebui-v1');
  const key = newApiKey('openwebui', 600);
  api = await h.startApi({ API_KEYS: key.entry });

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...documentedSettings({ OPENWEBUI_API_KEY: key.key, WEBUI_SECRET_KEY: randomBytes(24).toString('hex') }),
    OPENAI_API_BASE_URLS: `${api.url}/v1`, // compose's http://api:8080/v1, here
    DATA_DIR: dataDir, // compose's volume
    USE_SLIM_DOCKER: 'true', // the venv holds upstream's slim dependency set, as its slim image does
    HOME: dataDir,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
  webui = spawn(OPENWEBUI, ['serve', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => (webuiLog = (webuiLog + b.toString()).slice(-20_000));
  webui.stdout!.on('data', keep);
  webui.stderr!.on('data', keep);
  await waitFor('OpenWebUI to answer /health', async () => {
    if (webui!.exitCode !== null) throw new Error(`OpenWebUI exited with ${webui!.exitCode}:\n${webuiLog}`);
    return (await fetch(`${base}/health`).catch(() => null))?.ok;
  }, { timeoutMs: 240_000, intervalMs: 500, isFatal: (e) => /exited/.test(String(e)) });
  // The first account is OpenWebUI's admin.
  const signup = await fetch(`${base}/api/v1/auths/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Operator', email: 'operator@example.org', password: randomBytes(12).toString('hex') }),
  });
  expect(signup.status).toBe(200);
  token = ((await signup.json()) as { token: string }).token;
}, 420_000);

afterAll(async () => {
  if (webui && webui.exitCode === null) {
    const exited = new Promise((r) => webui!.once('exit', r));
    webui.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (webui.exitCode === null) webui.kill('SIGKILL');
  }
  await h?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('OpenWebUI 0.12.4 with the documented settings', () => {
  it('lists the three models', async () => {
    const r = await owui('GET', '/api/models');
    expect(r.status).toBe(200);
    expect(r.json.data.map((m: { id: string }) => m.id).sort()).toEqual(['correctly', 'correctly-en', 'correctly-ko']);
  });

  it('streams a correction in Markdown: the sentence, each change marked, its reason', async () => {
    const before = (await storedInputs()).length;
    const res = await fetch(`${base}/api/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'correctly-en', stream: true, messages: [{ role: 'user', content: SENTENCE }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    let content = '';
    let chunks = 0;
    for (const line of (await res.text()).split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const delta = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
      if (delta) {
        content += delta;
        chunks++;
      }
    }
    expect(chunks).toBeGreaterThan(3);
    const direct = await post(`${api.url}/v1/corrections`, { text: SENTENCE, reasonLanguage: 'en' });
    expect(content.split('\n')[0]).toBe(direct.json.corrected);
    expect(content).toMatch(/^- ∅ → \*\*the\*\*: \S/m);
    // It was served and stored once, under OpenWebUI's key.
    const rows = await h.db.query('select input_redacted, client from serving_request order by created_at desc limit 2');
    expect(rows[1]).toEqual({ input_redacted: SENTENCE, client: 'key:openwebui' });
    expect((await storedInputs()).length).toBe(before + 2); // OpenWebUI's request and the direct one
  });

  it('sends no background task: title generation is off', async () => {
    const r = await owui('POST', '/api/v1/tasks/title/completions', { model: 'correctly', messages: [{ role: 'user', content: SENTENCE }] });
    expect(r.json).toEqual({ detail: 'Title generation is disabled' });
  });
});

describe('background tasks turned on by an admin: answered in their shape, never corrected', () => {
  const messages = [
    { role: 'user', content: SENTENCE },
    { role: 'assistant', content: 'Yesterday she walked to the store and buy some apple.' },
  ];
  const contentOf = (r: { json: any }) => JSON.parse(r.json.choices[0].message.content);

  beforeAll(async () => {
    const config = await owui('GET', '/api/v1/tasks/config');
    const on = await owui('POST', '/api/v1/tasks/config/update', {
      ...config.json,
      ENABLE_TITLE_GENERATION: true,
      ENABLE_FOLLOW_UP_GENERATION: true,
      ENABLE_TAGS_GENERATION: true,
      ENABLE_AUTOCOMPLETE_GENERATION: true,
      ENABLE_SEARCH_QUERY_GENERATION: true,
    });
    expect(on.status).toBe(200);
  });

  it('title, follow-ups, tags, search queries and autocomplete', async () => {
    const before = await storedInputs();
    expect(contentOf(await owui('POST', '/api/v1/tasks/title/completions', { model: 'correctly', messages }))).toEqual({ title: 'Yesterday she walked to store and…' });
    expect(contentOf(await owui('POST', '/api/v1/tasks/follow_up/completions', { model: 'correctly', messages }))).toEqual({ follow_ups: [] });
    expect(contentOf(await owui('POST', '/api/v1/tasks/tags/completions', { model: 'correctly', messages }))).toEqual({ tags: [] });
    expect(contentOf(await owui('POST', '/api/v1/tasks/queries/completions', { model: 'correctly', messages, type: 'web_search' }))).toEqual({ queries: [] });
    expect(contentOf(await owui('POST', '/api/v1/tasks/auto/completions', { model: 'correctly', messages, prompt: 'I am agree', type: 'General' }))).toEqual({ text: '' });
    // Nothing of this reached the corrector or the table of served corrections.
    const after = await storedInputs();
    expect(after).toHaveLength(before.length);
    expect(after.filter((t) => /### Task|<chat_history>|follow_ups/.test(t))).toEqual([]);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    for (const task of ['title', 'follow_ups', 'tags', 'queries', 'text']) expect(metrics).toMatch(new RegExp(`correctly_chat_tasks_total\\{task="${task}"\\} 1`));
  });
});
