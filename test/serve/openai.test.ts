/**
 * The OpenAI-compatible endpoints through the official `openai` SDK (what OpenWebUI speaks):
 * models list, non-streamed and streamed chat completions, errors as SDK exceptions.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingApi } from '../../serve/server';
import { post, registerRulesVersion, type ServeHarness, startServeHarness } from './support';

let h: ServeHarness;
let api: ServingApi;
let client: OpenAI;
let version: string;

beforeAll(async () => {
  h = await startServeHarness();
  version = await registerRulesVersion(h.mlflow, h.config.mlflowModelName, 'openai-v1');
  api = await h.startApi();
  client = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: 'sk-learner-key', maxRetries: 0 });
}, 180_000);
afterAll(async () => h?.stop(), 60_000);

const SENTENCE = 'Yesterday she walked to store and buy some apple.';
const expected = async (reasonLanguage: 'en' | 'ko') => {
  const r = await post(`${api.url}/v1/corrections`, { text: SENTENCE, reasonLanguage });
  return { content: r.json.reason ? `${r.json.corrected}\n\n${r.json.reason}` : r.json.corrected, corrected: r.json.corrected as string };
};

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
    expect(res.choices[0].finish_reason).toBe('stop');
    const extra = (res as unknown as { correctly: { requestId: string; modelVersion: string; engine: string } }).correctly;
    expect(extra).toMatchObject({ modelVersion: version, engine: 'rules' });
    const [row] = await h.db.query('select * from serving_request where id = $1', [extra.requestId]);
    expect(row).toMatchObject({ input_redacted: SENTENCE, output: want.corrected, model_version: version });
    expect(row.client).toMatch(/^key:[0-9a-f]{16}$/);
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
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const events = body.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
  });

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
