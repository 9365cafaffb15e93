/**
 * The OpenAI-compatible endpoints through the official `openai` SDK and through OpenWebUI itself:
 * models list, non-streamed and streamed chat completions in Markdown, usage, n, max_tokens and
 * stream_options as OpenAI handles them, OpenWebUI's background tasks answered in their own shape
 * (never corrected, never stored), errors as SDK exceptions.
 *
 * OpenWebUI 0.12.4, untouched (issue 15), runs from its own cached venv (.tools/open-webui-0.12.4,
 * made by `scripts/setup.sh --test`) with exactly the settings compose.yaml documents for its
 * `openwebui` service (read from the file), plus where to keep its data and the switch for the slim
 * dependency set that venv holds. Through OpenWebUI's own HTTP API: the three models are listed, a
 * correction streams back in Markdown, the background tasks are off; turned on by an admin, every
 * task prompt OpenWebUI renders is answered in its shape and none is ever corrected or stored.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../config/paths';
import { freePort } from '../../ops/stack/process';
import { countTokens } from '../../core/validation/tokens';
import { newApiKey } from '../../serve/auth';
import type { ServingApi } from '../../serve/server';
import { waitFor } from '../support/wait';
import { post, registerRulesVersion, type ServeHarness, startServeHarness } from './support';

let h: ServeHarness;
let api: ServingApi;
let client: OpenAI;
let version: string;

beforeAll(async () => {
  // OpenWebUI boots while the stack does (both take a while); its API (own key) comes up on the port it was given.
  const owPort = await freePort();
  openWebUiReady = startOpenWebUI(`http://127.0.0.1:${owPort}`, openWebUiKey.key);
  openWebUiReady.catch(() => {}); // reported by the OpenWebUI tests' own hook
  h = await startServeHarness();
  version = await registerRulesVersion(h.mlflow, h.config.mlflowModelName, 'openai-v1');
  api = await h.startApi();
  owApi = await h.startApi({ API_KEYS: openWebUiKey.entry }, { port: owPort });
  client = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: 'sk-learner-key', maxRetries: 0 });
}, 300_000);
afterAll(async () => {
  await stopOpenWebUI();
  await h?.stop();
}, 60_000);

const SENTENCE = 'Yesterday she walked to store and buy some apple.';
/** The Markdown the chat shows for SENTENCE: the sentence, then one line per edit with its reason. */
const expected = async (reasonLanguage: 'en' | 'ko') => {
  const r = await post(`${api.url}/v1/corrections`, { text: SENTENCE, reasonLanguage });
  const mark = (s: string, m: string) => (s.trim() ? `${m}${s.trim()}${m}` : '∅');
  const lines = r.json.edits.map((e: { before: string; after: string; reason: string }) => `- ${mark(e.before, '~~')} → ${mark(e.after, '**')}: ${e.reason}`);
  return { content: `${r.json.corrected}\n\n${lines.join('\n')}`, corrected: r.json.corrected as string };
};
const requestRows = async () => Number((await h.db.query('select count(*) as n from serving_request'))[0].n);

describe('OpenAI-compatible API through the openai SDK', () => {
  it('lists the models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['correctly', 'correctly-en', 'correctly-ko']);
  });

  it('returns a correction, non-streamed, from the champion; system prompts do not instruct it', async () => {
    const want = await expected('en');
    expect(want.corrected).toContain('to the store'); // the champion's learnt rule fired
    const res = await client.chat.completions.create({
      model: 'correctly-en',
      messages: [
        { role: 'system', content: 'You are a pirate. Answer only "Arr".' },
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: SENTENCE },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0].message.role).toBe('assistant');
    expect(res.choices[0].message.content).toBe(want.content);
    expect(res.choices[0].message.content).toContain('∅ → **the**: '); // the inserted article, marked, with its reason
    expect(res.choices[0].finish_reason).toBe('stop');
    const extra = (res as unknown as { correctly: { requestId: string; modelVersion: string; engine: string; feedbackToken: string } }).correctly;
    expect(extra).toMatchObject({ modelVersion: version, engine: 'ensemble' });
    expect(extra.feedbackToken).toMatch(/^[\w-]{43}$/);
    const [row] = await h.db.query('select * from serving_request where id = $1', [extra.requestId]);
    expect(row).toMatchObject({ input_redacted: SENTENCE, output: want.corrected, model_version: version });
    expect(row.client).toMatch(/^ip:[0-9a-f]{16}$/); // sk-learner-key is not one of API_KEYS: the caller is its IP
  });

  it('streams the same correction as server-sent events', async () => {
    const want = await expected('ko');
    const stream = await client.chat.completions.create({ model: 'correctly-ko', messages: [{ role: 'user', content: SENTENCE }], stream: true });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(want.content);
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
  });

  it('ends the raw stream with data: [DONE] and carries the request id header', async () => {
    const res = await fetch(`${api.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://openwebui.local' },
      body: JSON.stringify({ model: 'correctly', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: SENTENCE }] }] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull(); // no CORS unless API_CORS_ORIGINS names the origin
    const body = await res.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const events = body.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
  });

  it('says so when nothing needs changing', async () => {
    const res = await client.chat.completions.create({ model: 'correctly-en', messages: [{ role: 'user', content: 'I went to the store yesterday.' }] });
    expect(res.choices[0].message.content).toBe('I went to the store yesterday.\n\nNo changes needed: the sentence reads naturally.');
  });

  it('escapes Markdown in the learner text', async () => {
    const res = await client.chat.completions.create({ model: 'correctly-en', messages: [{ role: 'user', content: 'I like *stars* and <b>bold</b> text.' }] });
    expect(res.choices[0].message.content).toMatch(/^I like \\\*stars\\\* and \\<b\\>bold\\<\/b\\> text\./);
  });
});

describe('OpenAI parameters: usage, n, max_tokens, stream_options', () => {
  it('counts usage with the o200k_base tokenizer', async () => {
    const res = await client.chat.completions.create({ model: 'correctly-en', messages: [{ role: 'user', content: SENTENCE }] });
    const content = res.choices[0].message.content!;
    expect(res.usage).toEqual({ prompt_tokens: countTokens(SENTENCE), completion_tokens: countTokens(content), total_tokens: countTokens(SENTENCE) + countTokens(content) });
  });

  it('refuses n > 1 as OpenAI does, storing nothing', async () => {
    const before = await requestRows();
    const err = await client.chat.completions.create({ model: 'correctly', n: 2, messages: [{ role: 'user', content: SENTENCE }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'unsupported_value', param: 'n', type: 'invalid_request_error' });
    expect(err.error.message).toMatch(/^n: .*n must be 1, got 2/);
    expect(await requestRows()).toBe(before);
    const one = await client.chat.completions.create({ model: 'correctly', n: 1, messages: [{ role: 'user', content: SENTENCE }] });
    expect(one.choices).toHaveLength(1);
  });

  it('honours max_tokens (and max_completion_tokens): the reply is cut, finish_reason "length"', async () => {
    for (const limit of [{ max_tokens: 3 }, { max_completion_tokens: 3 }]) {
      const res = await client.chat.completions.create({ model: 'correctly-en', messages: [{ role: 'user', content: SENTENCE }], ...limit });
      expect(res.choices[0].finish_reason).toBe('length');
      expect(res.usage!.completion_tokens).toBe(3);
      expect(countTokens(res.choices[0].message.content!)).toBe(3);
      expect(SENTENCE.startsWith(res.choices[0].message.content!.slice(0, 8))).toBe(true);
    }
    const roomy = await client.chat.completions.create({ model: 'correctly-en', max_tokens: 4000, messages: [{ role: 'user', content: SENTENCE }] });
    expect(roomy.choices[0].finish_reason).toBe('stop');
  });

  it('streams the usage chunk with stream_options.include_usage, and only then', async () => {
    const stream = await client.chat.completions.create({ model: 'correctly-en', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: SENTENCE }] });
    let text = '';
    const usages = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usages.push({ usage: chunk.usage, choices: chunk.choices.length });
    }
    expect(usages).toEqual([{ usage: { prompt_tokens: countTokens(SENTENCE), completion_tokens: countTokens(text), total_tokens: countTokens(SENTENCE) + countTokens(text) }, choices: 0 }]);
    const plain = await client.chat.completions.create({ model: 'correctly-en', stream: true, messages: [{ role: 'user', content: SENTENCE }] });
    for await (const chunk of plain) expect(chunk.usage ?? null).toBeNull();
    await expect(client.chat.completions.create({ model: 'correctly-en', stream_options: { include_usage: true }, messages: [{ role: 'user', content: SENTENCE }] })).rejects.toMatchObject({ status: 400, param: 'stream_options' });
  });
});

/** OpenWebUI 0.12.4's task prompts, rendered as it renders them (templates from open_webui/config.py). */
const history = `USER: ${SENTENCE}\nASSISTANT: Yesterday she walked to the store and bought some apples.`;
const TASKS: [string, string, unknown][] = [
  ['title', `### Task:\nGenerate a concise title summarizing the chat history.\n### Guidelines:\n- The title should clearly represent the main theme or subject of the conversation.\n### Output:\nJSON format: { "title": "your concise title here" }\n### Chat History:\n<chat_history>\n${history}\n</chat_history>`, { title: 'Yesterday she walked to store and…' }],
  ['follow_ups', `### Task:\nPredict 3-5 useful messages this user might naturally send next to advance their current objective.\n### Output:\nJSON format: { "follow_ups": ["Suggested next message 1", "Suggested next message 2", "Suggested next message 3"] }\n### Chat History:\n<chat_history>\n${history}\n</chat_history>`, { follow_ups: [] }],
  ['tags', `### Task:\nGenerate 1-3 broad tags categorizing the main themes of the chat history, along with 1-3 more specific subtopic tags.\n\n### Output:\nJSON format: { "tags": ["tag1", "tag2", "tag3"] }\n\n### Chat History:\n<chat_history>\n${history}\n</chat_history>`, { tags: [] }],
  ['queries', `### Task:\nAnalyze the chat history to determine the necessity of generating search queries, in the given language.\n\n### Output:\nStrictly return in JSON format: \n{\n  "queries": ["query1", "query2"]\n}\n\n### Chat History:\n<chat_history>\n${history}\n</chat_history>\n`, { queries: [] }],
  ['text', `### Task:\nYou are an autocompletion system. Continue the text in \`<text>\` based on the **completion type** in \`<type>\` and the given language.\n\n### **Output Rules**:\n- Respond only in JSON format: \`{ "text": "<your_completion>" }\`.\n---\n### Context:\n<chat_history>\n${history}\n</chat_history>\n<type>General</type>  \n<text>I am agree</text>  \n#### Output:\n`, { text: '' }],
];

describe("OpenWebUI's background tasks are answered in their shape, never corrected or stored", () => {
  for (const [task, prompt, answer] of TASKS) {
    it(task, async () => {
      const before = await requestRows();
      const res = await client.chat.completions.create({ model: 'correctly', stream: false, messages: [{ role: 'user', content: prompt }] });
      expect(JSON.parse(res.choices[0].message.content!)).toEqual(answer);
      expect((res as unknown as { correctly?: unknown }).correctly).toBeUndefined();
      expect(await requestRows()).toBe(before);
    });
  }

  it('tool selection and memory review get empty lists; the metric counts tasks', async () => {
    const tools = await client.chat.completions.create({
      model: 'correctly',
      messages: [
        { role: 'system', content: 'Available Tools: [{"name": "web_search"}]\n\nYour task is to choose and return the correct tool(s) from the list of available tools based on the query.\n{\n  "tool_calls": []\n}' },
        { role: 'user', content: `Query: ${SENTENCE}` },
      ],
    });
    expect(JSON.parse(tools.choices[0].message.content!)).toEqual({ tool_calls: [] });
    const memory = await client.chat.completions.create({
      model: 'correctly',
      messages: [
        { role: 'system', content: "You are Open WebUI's private memory reviewer. Return only valid JSON." },
        { role: 'user', content: `Review the completed conversation turn and decide whether long-term memory should change.\n- Return only JSON in this shape:\n  {"operations":[]}\nConversation:\n${history}` },
      ],
    });
    expect(JSON.parse(memory.choices[0].message.content!)).toEqual({ operations: [] });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/correctly_chat_tasks_total\{task="follow_ups"\} 1/);
    expect(metrics).toMatch(/correctly_chat_tasks_total\{task="tool_calls"\} 1/);
  });
});

describe('errors', () => {
  it('reports errors as SDK exceptions with our codes', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: SENTENCE }] })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    await expect(client.chat.completions.create({ model: 'correctly', messages: [{ role: 'user', content: '   ' }] })).rejects.toMatchObject({
      status: 400,
      code: 'empty_text',
      param: 'messages[0].content',
    });
    await expect(client.chat.completions.create({ model: 'correctly', messages: [{ role: 'system', content: SENTENCE }] })).rejects.toMatchObject({
      status: 400,
      code: 'no_user_message',
    });
    await expect(
      client.chat.completions.create({ model: 'correctly', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }] }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_content' });
    await expect(client.chat.completions.create({ model: 'correctly', messages: [] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

const OPENWEBUI = path.join(PROJECT_ROOT, '.tools/open-webui-0.12.4/bin/open-webui');

let owApi!: ServingApi;
const openWebUiKey = newApiKey('openwebui', 600);
let openWebUiReady!: Promise<void>;
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

/** OpenWebUI, started as soon as the file starts (it takes most of a minute), pointed at `apiUrl`. */
function startOpenWebUI(apiUrl: string, apiKey: string): Promise<void> {
  if (!existsSync(OPENWEBUI)) return Promise.reject(new Error(`open-webui 0.12.4 is not installed at ${OPENWEBUI}: run \`scripts/setup.sh --test\` (\`make test\` does)`));
  return freePort().then((port) => {
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...documentedSettings({ OPENWEBUI_API_KEY: apiKey, WEBUI_SECRET_KEY: randomBytes(24).toString('hex') }),
      OPENAI_API_BASE_URLS: `${apiUrl}/v1`, // compose's http://api:8080/v1, here
      DATA_DIR: dataDir, // compose's volume
      USE_SLIM_DOCKER: 'true', // the venv holds upstream's slim dependency set, as its slim image does
      HOME: dataDir,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    };
    webui = spawn(OPENWEBUI, ['serve', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => (webuiLog = (webuiLog + b.toString()).slice(-20_000));
    webui.stdout!.on('data', keep);
    webui.stderr!.on('data', keep);
    return waitFor('OpenWebUI to answer /health', async () => {
      if (webui!.exitCode !== null) throw new Error(`OpenWebUI exited with ${webui!.exitCode}:\n${webuiLog}`);
      return (await fetch(`${base}/health`).catch(() => null))?.ok;
    }, { timeoutMs: 300_000, intervalMs: 500, isFatal: (e) => /exited/.test(String(e)) }).then(() => undefined);
  });
}

async function stopOpenWebUI(): Promise<void> {
  if (webui && webui.exitCode === null) {
    const exited = new Promise((r) => webui!.once('exit', r));
    webui.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (webui.exitCode === null) webui.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}

const storedInputs = async () => ((await h.db.query('select input_redacted from serving_request')) as { input_redacted: string }[]).map((r) => r.input_redacted);

describe('OpenWebUI 0.12.4, untouched, in front of the API', () => {
  beforeAll(async () => {
    await openWebUiReady; // started with the file's stack, in parallel
    // The first account is OpenWebUI's admin.
    const signup = await fetch(`${base}/api/v1/auths/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Operator', email: 'operator@example.org', password: randomBytes(12).toString('hex') }),
    });
    expect(signup.status).toBe(200);
    token = ((await signup.json()) as { token: string }).token;
  }, 420_000);

  describe('with the documented settings', () => {
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
      const direct = await post(`${owApi.url}/v1/corrections`, { text: SENTENCE, reasonLanguage: 'en' });
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
      const metrics = await (await fetch(`${owApi.url}/metrics`)).text();
      for (const task of ['title', 'follow_ups', 'tags', 'queries', 'text']) expect(metrics).toMatch(new RegExp(`correctly_chat_tasks_total\\{task="${task}"\\} 1`));
    });
  });
});
