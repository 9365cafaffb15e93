/**
 * The OpenAI and Ollama providers against local servers speaking their wire protocols
 * (fake-llm-server.ts, loopback only): plain and streamed replies, structured output requests,
 * re-asks on malformed output, 429 with Retry-After, 5xx retries, deadline, cancellation, token
 * limit, PII redaction, usage and cost. The live tests at the end need real endpoints.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { correctionSchema } from '../../core/engines/types';
import { LlmCorrector } from '../../adapters/providers/corrector';
import { MalformedOutputError, ProviderCancelledError, ProviderHttpError, ProviderTimeoutError, TokenLimitError } from '../../core/engines/provider-errors';
import { createLlm, createLlmCorrector, createLlmJudge } from '../../adapters/providers/index';
import { Llm, type LlmOptions } from '../../adapters/providers/llm';
import { OllamaBackend } from '../../adapters/providers/ollama';
import { OpenAIBackend } from '../../adapters/providers/openai';
import { loadConfig } from '../../config';
import { LlmTeacher } from '../../adapters/providers/teacher';
import { createTeacher } from '../../adapters/teachers';
import { FakeLlmServer } from './fake-llm-server';

const GOOD = JSON.stringify({ corrected: 'She goes to school every day.', reason: "주어가 3인칭 단수이므로 'goes'를 씁니다." });

const providers = [
  {
    name: 'openai' as const,
    llm: (url: string, opts: LlmOptions = {}) => new Llm(new OpenAIBackend({ apiKey: 'sk-test', baseURL: `${url}/v1`, retry: { baseDelayMs: 10, random: () => 0, ...opts.retry } }), opts),
    path: '/v1/chat/completions',
    schemaOf: (body: any) => body.response_format,
  },
  {
    name: 'ollama' as const,
    llm: (url: string, opts: LlmOptions = {}) => new Llm(new OllamaBackend({ host: url, retry: { baseDelayMs: 10, random: () => 0, ...opts.retry } }), opts),
    path: '/api/chat',
    schemaOf: (body: any) => body.format,
  },
];

describe.each(providers)('$name provider (local wire-protocol server)', (p) => {
  const server = new FakeLlmServer();
  let url: string;
  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => server.stop());
  afterEach(() => {
    server.requests.length = 0;
  });

  it('corrects with structured output: edits from the diff, reason from the model, usage in the ledger', async () => {
    server.push({ kind: 'reply', content: GOOD, promptTokens: 1000, completionTokens: 200 });
    const llm = p.llm(url);
    const c = await new LlmCorrector(llm).correct('She go to school every day.');
    expect(correctionSchema.parse(c)).toEqual({
      input: 'She go to school every day.',
      corrected: 'She goes to school every day.',
      edits: [expect.objectContaining({ start: 4, end: 6, before: 'go', after: 'goes' })],
      reason: "주어가 3인칭 단수이므로 'goes'를 씁니다.",
      engine: p.name,
      modelVersion: null,
    });
    const [req] = server.requests;
    expect(req.path).toBe(p.path);
    expect(req.body.model).toBe(p.name === 'openai' ? 'gpt-4o-mini' : 'gemma3:1b');
    expect(req.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Korean') });
    expect(req.body.messages[1]).toEqual({ role: 'user', content: 'Sentence: She go to school every day.' });
    const schema = p.schemaOf(req.body);
    if (p.name === 'openai') {
      expect(schema).toMatchObject({ type: 'json_schema', json_schema: { name: 'correction', strict: true } });
      expect(schema.json_schema.schema).toMatchObject({ type: 'object', required: ['corrected', 'reason'], additionalProperties: false });
      expect(req.headers.authorization).toBe('Bearer sk-test');
    } else {
      expect(schema).toMatchObject({ type: 'object', required: ['corrected', 'reason'] });
      expect(req.body.options).toMatchObject({ temperature: 0, seed: 0 });
    }
    const t = llm.ledger.totals();
    expect(t).toMatchObject({ calls: 1, failed: 0, promptTokens: 1000, completionTokens: 200, reasks: 0 });
    // gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output; Ollama is our own hardware
    expect(t.costUsd).toBeCloseTo(p.name === 'openai' ? (1000 * 0.15 + 200 * 0.6) / 1e6 : 0, 12);
    expect(llm.ledger.costPer1000()).toBeCloseTo(t.costUsd * 1000, 9);
  });

  it('reads a streamed reply (SSE / NDJSON) to the same result, with usage', async () => {
    server.push({ kind: 'reply', content: GOOD, promptTokens: 50, completionTokens: 30 });
    const llm = p.llm(url, { stream: true });
    const c = await new LlmCorrector(llm).correct('She go to school every day.', { reasonLanguage: 'en' });
    expect(c.corrected).toBe('She goes to school every day.');
    expect(server.requests[0].body.stream).toBe(true);
    if (p.name === 'openai') expect(server.requests[0].body.stream_options).toEqual({ include_usage: true });
    expect(server.requests[0].body.messages[0].content).toContain('English');
    expect(llm.ledger.totals()).toMatchObject({ promptTokens: 50, completionTokens: 30 });
  });

  it('re-asks after malformed output, showing the model its error, then succeeds', async () => {
    server.push({ kind: 'reply', content: 'Sure! The corrected sentence is: She goes to school.' }, { kind: 'reply', content: JSON.stringify({ corrected: 42 }) }, { kind: 'reply', content: '```json\n' + GOOD + '\n```' });
    const llm = p.llm(url);
    const c = await new LlmCorrector(llm).correct('She go to school every day.');
    expect(c.corrected).toBe('She goes to school every day.');
    expect(server.requests).toHaveLength(3);
    const third = server.requests[2].body.messages;
    expect(third).toHaveLength(6);
    expect(third[2]).toEqual({ role: 'assistant', content: 'Sure! The corrected sentence is: She goes to school.' });
    expect(third[3].content).toMatch(/not valid: not JSON/);
    expect(third[5].content).toMatch(/corrected: .*expected string/i);
    expect(llm.ledger.totals()).toMatchObject({ calls: 1, reasks: 2, promptTokens: 300, completionTokens: 60 });
  });

  it('gives up with a clear error when the re-asks are spent', async () => {
    server.push(...Array.from({ length: 3 }, () => ({ kind: 'reply' as const, content: '{"corrected": "x"' })));
    const llm = p.llm(url, { maxReasks: 2 });
    const err = await new LlmCorrector(llm).correct('She go to school.').catch((e) => e);
    expect(err).toBeInstanceOf(MalformedOutputError);
    expect(err.message).toMatch(new RegExp(`^${p.name}:.*reply did not match the schema after 3 attempts: not JSON`));
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(llm.ledger.totals()).toMatchObject({ calls: 1, failed: 1 });
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    server.push({ kind: 'status', status: 429, headers: { 'retry-after': '1' }, message: 'Rate limit reached' }, { kind: 'reply', content: GOOD });
    const retries: number[] = [];
    const llm = p.llm(url, { retry: { onRetry: (r) => retries.push(r.delayMs) } });
    const c = await new LlmCorrector(llm).correct('She go to school every day.');
    expect(c.corrected).toBe('She goes to school every day.');
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([1000]);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 500, then succeeds', async () => {
    server.push({ kind: 'status', status: 500, message: 'overloaded' }, { kind: 'status', status: 503 }, { kind: 'reply', content: GOOD });
    const c = await new LlmCorrector(p.llm(url)).correct('She go to school every day.');
    expect(c.corrected).toBe('She goes to school every day.');
    expect(server.requests).toHaveLength(3);
  });

  it('reports the last status when the retries are spent; a 400 is not retried', async () => {
    server.push(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500, message: 'boom' })));
    const err = await new LlmCorrector(p.llm(url, { retry: { maxRetries: 2 } })).correct('She go.').catch((e) => e);
    expect(err).toBeInstanceOf(ProviderHttpError);
    expect(err).toMatchObject({ status: 500, retryable: true });
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.push({ kind: 'status', status: 400, message: 'bad schema' });
    const bad = await new LlmCorrector(p.llm(url)).correct('She go.').catch((e) => e);
    expect(bad).toMatchObject({ status: 400, retryable: false });
    expect(bad.message).toContain('bad schema');
    expect(server.requests).toHaveLength(1);
  });

  it('stops at the deadline when the server hangs', async () => {
    server.push({ kind: 'hang' });
    const t0 = Date.now();
    const err = await new LlmCorrector(p.llm(url, { timeoutMs: 300 })).correct('She go.').catch((e) => e);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(err.message).toMatch(/no complete reply within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
    await waitFor(() => server.requests[0]?.aborted);
  });

  it('the deadline also cuts a Retry-After wait short', async () => {
    server.push({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const t0 = Date.now();
    const err = await new LlmCorrector(p.llm(url, { timeoutMs: 400 })).correct('She go.').catch((e) => e);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('is cancelled by the caller’s AbortSignal, closing the request', async () => {
    server.push({ kind: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const err = await new LlmCorrector(p.llm(url), { signal: ac.signal }).correct('She go.').catch((e) => e);
    expect(err).toBeInstanceOf(ProviderCancelledError);
    await waitFor(() => server.requests[0]?.aborted);
    // already aborted: nothing is sent
    const before = server.requests.length;
    await expect(new LlmCorrector(p.llm(url), { signal: AbortSignal.abort() }).correct('She go.')).rejects.toBeInstanceOf(ProviderCancelledError);
    expect(server.requests.length).toBe(before);
  });

  it('checks the token limit before sending', async () => {
    const err = await new LlmCorrector(p.llm(url, { maxPromptTokens: 50 })).correct('word '.repeat(200)).catch((e) => e);
    expect(err).toBeInstanceOf(TokenLimitError);
    expect(err.message).toMatch(/prompt has \d+ tokens, over the limit of 50; not sent/);
    expect(server.requests).toHaveLength(0);
  });

  it('redacts PII before sending and puts it back in the correction', async () => {
    server.push({ kind: 'reply', content: JSON.stringify({ corrected: 'Please email me at [EMAIL] or call [PHONE].', reason: 'Added "at".' }) });
    const c = await new LlmCorrector(p.llm(url)).correct('Please email me kim.minsu@example.com or call 010-1234-5678.');
    const sent = JSON.stringify(server.requests[0].body);
    expect(sent).not.toContain('kim.minsu@example.com');
    expect(sent).not.toContain('010-1234-5678');
    expect(sent).toContain('[EMAIL]');
    expect(c.corrected).toBe('Please email me at kim.minsu@example.com or call 010-1234-5678.');
    expect(c.edits).toEqual([expect.objectContaining({ before: '', after: 'at ' })]);
  });

  it('redacts names of people before sending, and puts them back', async () => {
    server.push({ kind: 'reply', content: JSON.stringify({ corrected: '[NAME] goes to school with [NAME].', reason: 'Agreement.' }) });
    const c = await new LlmCorrector(p.llm(url)).correct('John Smith go to school with Kim Minji.');
    const sent = JSON.stringify(server.requests.at(-1)!.body);
    expect(sent).not.toMatch(/John|Smith|Minji/);
    expect(c.corrected).toBe('John Smith goes to school with Kim Minji.');
  });

  it('judges explanations edit by edit with the rubric, re-asking when the verdicts do not match the edits', async () => {
    const verdicts = { edits: [{ index: 1, covered: true, correct: true, wrongErrorType: false }, { index: 2, covered: false, correct: true, wrongErrorType: false }], hallucinated: ['changed "day" to "days"'], claimsNoChange: false };
    server.push({ kind: 'reply', content: JSON.stringify({ ...verdicts, edits: verdicts.edits.slice(0, 1) }) }, { kind: 'reply', content: JSON.stringify(verdicts) });
    const judge = createLlmJudge(p.name, { openaiApiKey: 'sk-test', openaiBaseUrl: `${url}/v1`, openaiModel: 'gpt-4o-mini', ollamaHost: url, ollamaModel: 'gemma3:1b' }, { retry: { baseDelayMs: 10 } });
    const j = await judge.judge({
      source: 'She go to school every days.',
      corrected: 'She goes to school every day.',
      edits: [{ before: 'go', after: 'goes', type: 'agreement' }, { before: 'days', after: 'day', type: 'plural' }],
      reason: "'go' → 'goes': 3인칭 단수",
      reasonLanguage: 'ko',
    });
    expect(j.edits).toHaveLength(2);
    expect(j.explanationScore).toBeCloseTo(1 / 3); // 1 good edit / (2 edits + 1 hallucination)
    expect(j.correctness).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body.messages.at(-1).content).toMatch(/exactly 2 verdicts/);
    const user = server.requests[0].body.messages[1].content as string;
    expect(user).toContain("1. 'go' → 'goes' (type: agreement)");
    expect(user).toContain('Explanation (Korean)');
  });

  it('is built from the config', async () => {
    server.push({ kind: 'reply', content: GOOD });
    const config = { ...loadConfig({}), openaiApiKey: 'sk-test', openaiBaseUrl: `${url}/v1`, ollamaHost: url, openaiModel: 'gpt-4o-mini-2024-07-18', ollamaModel: 'correctly:champion' };
    const c = await createLlmCorrector(p.name, config, { modelVersion: '3' }).correct('She go to school every day.');
    expect(c.modelVersion).toBe('3');
    expect(server.requests[0].body.model).toBe(p.name === 'openai' ? 'gpt-4o-mini-2024-07-18' : 'correctly:champion');
    expect(() => createLlm(p.name, { ...config, openaiApiKey: undefined, ollamaHost: undefined })).toThrow(p.name === 'openai' ? /OPENAI_API_KEY/ : /OLLAMA_HOST/);
  });
});

async function waitFor(cond: () => boolean | undefined, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live providers (run only where the environment has them)', () => {
  const config = loadConfig();
  it.runIf(!!config.openaiApiKey)('OpenAI live call (needs OPENAI_API_KEY): gpt-4o-mini corrects with structured output', async () => {
    const corrector = createLlmCorrector('openai', config, { timeoutMs: 60_000 });
    const c = await corrector.correct('She go to school every day.');
    expect(correctionSchema.parse(c).corrected).toMatch(/She goes to school every day/);
    expect(c.edits.length).toBeGreaterThan(0);
    expect(corrector.llm.ledger.totals().promptTokens).toBeGreaterThan(0);
  });
  it.runIf(!!config.ollamaHost)('Ollama live call (needs OLLAMA_HOST with OLLAMA_MODEL pulled): corrects with structured output', async () => {
    const corrector = createLlmCorrector('ollama', config, { timeoutMs: 300_000 });
    const c = await corrector.correct('She go to school every day.');
    expect(correctionSchema.parse(c).input).toBe('She go to school every day.');
    expect(corrector.llm.ledger.totals().completionTokens).toBeGreaterThan(0);
  });
});

describe('LLM teacher (local OpenAI-compatible server)', () => {
  const server = new FakeLlmServer();
  let url: string;
  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => server.stop());
  const example = { awkward: 'I am agree.', corrected: 'I agree.', reason: "'agree'는 동사입니다.", errorTypes: ['other'] };
  const req = { text: 'If I were evaluating someone in a job interview, I would ask about teamwork.', form: 'interview answer', tone: 'formal', example, reasonLanguage: 'ko' as const, seed: 42, prompt: 'Form: interview answer. Tone: formal. Example: … Rewrite with learner errors: If I were evaluating someone in a job interview, I would ask about teamwork. Contact: hr@example.com' };

  it('generates a triple from the rendered prompt, redacted, seeded, re-asking an unchanged or rewritten sentence', async () => {
    const triple = { awkward: 'If I had to assess someone like a job interview, I would ask about teamwork.', corrected: req.text, reason: "자연스러운 가정법 구현을 위해 'were evaluating', 전치사 'in' 추가", errorTypes: ['mood', 'preposition', 'mood'] };
    server.push(
      { kind: 'reply', content: JSON.stringify({ ...triple, awkward: req.text }) },
      { kind: 'reply', content: JSON.stringify({ ...triple, corrected: 'If I evaluated someone in an interview, I would ask about teamwork.' }) },
      { kind: 'reply', content: JSON.stringify(triple) },
    );
    const llm = new Llm(new OpenAIBackend({ apiKey: 'sk-test', baseURL: `${url}/v1` }));
    const t = await new LlmTeacher(llm).generate(req);
    expect(t).toEqual({ ...triple, errorTypes: ['mood', 'preposition'], reasonLanguage: 'ko' });
    const body = server.requests[0].body;
    expect(body.messages[1].content).toContain('[EMAIL]');
    expect(JSON.stringify(body)).not.toContain('hr@example.com');
    expect(body).toMatchObject({ seed: 42, temperature: 0.7, response_format: { json_schema: { name: 'training_triple' } } });
    expect(server.requests[1].body.messages.at(-1).content).toMatch(/awkward must differ from corrected/);
    expect(server.requests[2].body.messages.at(-1).content).toMatch(/corrected must be exactly the given sentence/);
    expect(llm.ledger.by('purpose').teacher).toMatchObject({ calls: 1, reasks: 2 });
    // through core/teacher's factory: validated against the triple schema
    const generating = createTeacher('openai', { ...loadConfig({}), openaiApiKey: 'sk-test', openaiBaseUrl: `${url}/v1` });
    server.push({ kind: 'reply', content: JSON.stringify(triple) });
    expect(await generating.generate(req)).toMatchObject({ kind: 'ok', triple: { corrected: req.text, errorTypes: ['mood', 'preposition'] } });
  });

  it('skips the sentence (null) when the re-asks are spent', async () => {
    server.requests.length = 0;
    server.push(...Array.from({ length: 3 }, () => ({ kind: 'reply' as const, content: '{"awkward": 1}' })));
    expect(await new LlmTeacher(new Llm(new OpenAIBackend({ apiKey: 'sk-test', baseURL: `${url}/v1` }))).generate(req)).toBeNull();
    expect(server.requests).toHaveLength(3);
  });
});
