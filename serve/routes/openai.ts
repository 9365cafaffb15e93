/**
 * The OpenAI-compatible surface OpenWebUI and the `openai` SDK speak: GET /v1/models and
 * POST /v1/chat/completions (plain JSON, or `stream: true` server-sent events ending with
 * `data: [DONE]`). Only the last user message is corrected; system prompts and history are
 * ignored, so no message can instruct the corrector. A chat front end's background tasks (titles,
 * follow-ups, …) are answered in their own shape, never corrected (chat-tasks.ts).
 *
 * OpenAI parameters: `n` must be 1 (one correction per request); `max_tokens` /
 * `max_completion_tokens` cut the reply (finish_reason "length"); `usage` counts o200k_base tokens
 * (gpt-tokenizer) of the text the model read and of the reply; `stream_options.include_usage`
 * adds the usage chunk before [DONE]. Others (temperature, seed, …) do not apply to a corrector and
 * are accepted and ignored, as OpenAI-compatible servers do.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { z } from 'zod';
import type { ReasonLanguage } from '../../core/engines';
import { countTokens } from '../../core/validation/tokens';
import { answerChatTask } from '../chat-tasks';
import { ApiError } from '../errors';
import { errorResponses } from '../openapi';
import { parseBody, screenText } from '../safety';
import type { CorrectionResponse } from '../service';
import { correctForRequest, type RouteContext } from './corrections';

/** Model ids: `correctly` explains in the server's default language; the suffixed ones pick it. */
export function modelIds(defaultLanguage: ReasonLanguage): Record<string, ReasonLanguage> {
  return { correctly: defaultLanguage, 'correctly-en': 'en', 'correctly-ko': 'ko' };
}

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
const tokenLimit = z.number().int('must be an integer').min(1, 'must be at least 1').nullish();
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'required: one of the ids from GET /v1/models'),
  messages: z.array(message).min(1, 'must hold at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.number().int('must be an integer').nullish(),
  max_tokens: tokenLimit,
  max_completion_tokens: tokenLimit,
});
type ChatRequest = z.infer<typeof chatRequestSchema>;

const modelsResponseSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })),
});
const usageSchema = z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() });
const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  system_fingerprint: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
      finish_reason: z.enum(['stop', 'length']),
      logprobs: z.null(),
    }),
  ),
  usage: usageSchema,
  /** Correctly's own fields: the request id and feedback token (POST /v1/feedback), edits, engine, version. Absent for a chat front end's background task. */
  correctly: z.looseObject({ requestId: z.string(), feedbackToken: z.string() }).optional(),
});
const chatSchema = (modelIds: string[]) => ({
  operationId: 'chatCompletion',
  summary: 'OpenAI-compatible chat completion: corrects the last user message (stream: true sends server-sent events)',
  body: chatRequestSchema.extend({ model: chatRequestSchema.shape.model.meta({ enum: modelIds }) }),
  response: {
    200: { description: 'The correction', content: { 'application/json': { schema: chatCompletionSchema }, 'text/event-stream': { schema: z.string() } } },
    ...errorResponses,
  },
});

/** The parameters OpenAI's API would refuse, refused the same way. */
function checkParameters(body: ChatRequest): void {
  if (body.n != null && body.n < 1) throw new ApiError(400, 'integer_below_min_value', `n: must be at least 1, got ${body.n}`, undefined, 'n');
  if (body.n != null && body.n > 1) throw new ApiError(400, 'unsupported_value', `n: this model returns one correction per request; n must be 1, got ${body.n}`, undefined, 'n');
  if (body.stream_options && !body.stream) throw new ApiError(400, 'invalid_request', 'stream_options: only allowed when stream is true', undefined, 'stream_options');
}

/** Text of a message; images and other parts are refused by name. */
function textOf(m: z.infer<typeof message>, field: string): string {
  if (typeof m.content === 'string') return m.content;
  if (!m.content) return '';
  const other = m.content.find((p) => p.type !== 'text');
  if (other) throw new ApiError(400, 'unsupported_content', `${field}: only text parts can be corrected, not "${other.type}"`, undefined, field);
  return m.content.map((p) => p.text ?? '').join('\n');
}

/** A message's text parts, for recognising tasks (nothing refused here). */
const plainText = (m: z.infer<typeof message>) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join('\n'));

/** `text` through the safety layer, or '' when the layer refuses it. */
function redacted(text: string, ctx: RouteContext): string {
  try {
    return screenText(text, ctx.policy).text;
  } catch {
    return '';
  }
}

/** The text of the last user message. */
function lastUserText(messages: z.infer<typeof message>[]): { text: string; field: string } {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role !== 'user') continue;
    const field = `messages[${i}].content`;
    return { text: textOf(messages[i], field), field };
  }
  throw new ApiError(400, 'no_user_message', 'messages: no message with role "user" to correct', undefined, 'messages');
}

const NO_CHANGE: Record<ReasonLanguage, string> = { ko: '고칠 곳이 없습니다. 자연스러운 문장입니다.', en: 'No changes needed: the sentence reads naturally.' };

/** Markdown special characters in learner text, escaped so they show as typed. */
const md = (s: string) => s.replace(/[\\`*_~[\]<>#|]/g, '\\$&');

/**
 * What the chat shows, in Markdown: the corrected sentence, then each change marked
 * (~~old~~ → **new**; ∅ for nothing) with its reason; the overall reason when edits carry none.
 */
export function chatContent(r: CorrectionResponse, language: ReasonLanguage): string {
  if (!r.edits.length) return `${md(r.corrected)}\n\n${NO_CHANGE[language]}`;
  const lines = r.edits.map((e) => {
    const before = e.before.trim();
    const after = e.after.trim();
    const change = `${before ? `~~${md(before)}~~` : '∅'} → ${after ? `**${md(after)}**` : '∅'}`;
    return e.reason ? `- ${change}: ${md(e.reason)}` : `- ${change}`;
  });
  const overall = r.edits.some((e) => e.reason) || !r.reason ? '' : `\n\n${md(r.reason)}`;
  return `${md(r.corrected)}\n\n${lines.join('\n')}${overall}`;
}

/** `content` cut to `limit` o200k_base tokens. */
function truncate(content: string, limit: number | null | undefined): { content: string; truncated: boolean } {
  if (!limit) return { content, truncated: false };
  const tokens = encode(content);
  return tokens.length <= limit ? { content, truncated: false } : { content: decode(tokens.slice(0, limit)), truncated: true };
}

export function openaiRoutes(app: FastifyInstance, ctx: RouteContext) {
  const models = modelIds(ctx.defaultLanguage);
  const created = Math.floor(Date.now() / 1000);

  app.get('/v1/models', { schema: { summary: 'The models (reason languages) served', response: { 200: modelsResponseSchema } } }, async () => ({
    object: 'list',
    data: Object.keys(models).map((id) => ({ id, object: 'model', created, owned_by: 'correctly' })),
  }));

  app.post('/v1/chat/completions', { schema: chatSchema(Object.keys(models)) }, async (req, reply) => {
    const body = parseBody(chatRequestSchema, req.body);
    const language = models[body.model];
    if (!language) throw new ApiError(404, 'model_not_found', `model "${body.model}" does not exist; use one of: ${Object.keys(models).join(', ')}`, undefined, 'model');
    checkParameters(body);
    const id = `chatcmpl-${req.id}`;
    const now = Math.floor(Date.now() / 1000);

    const task = answerChatTask(body.messages.map((m) => ({ role: m.role, content: plainText(m) })), (t) => redacted(t, ctx));
    let content: string;
    let promptTokens: number;
    let correctly: object | undefined;
    let fingerprint = 'correctly-task';
    if (task) {
      ctx.metrics.chatTasks.inc({ task: task.task });
      content = task.content;
      promptTokens = countTokens(lastUserText(body.messages).text);
    } else {
      const { text, field } = lastUserText(body.messages);
      const r = await correctForRequest(ctx, req, 'chat', text, language, field);
      correctly = { requestId: r.requestId, feedbackToken: r.feedbackToken, edits: r.edits, engine: r.engine, modelVersion: r.modelVersion, fallback: r.fallback, latencyMs: r.latencyMs };
      fingerprint = `${r.engine}-${r.modelVersion ?? 'none'}`;
      content = chatContent(r, language);
      promptTokens = countTokens(r.input);
    }
    const limited = truncate(content, body.max_completion_tokens ?? body.max_tokens);
    const completionTokens = countTokens(limited.content);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const finish = limited.truncated ? 'length' : 'stop';
    if (!body.stream) {
      return {
        id,
        object: 'chat.completion',
        created: now,
        model: body.model,
        system_fingerprint: fingerprint,
        choices: [{ index: 0, message: { role: 'assistant', content: limited.content, refusal: null }, finish_reason: finish, logprobs: null }],
        usage,
        ...(correctly ? { correctly } : {}),
      };
    }
    return stream(reply, { id, created: now, model: body.model, fingerprint }, limited.content, finish, body.stream_options?.include_usage ? usage : null, correctly);
  });
}

/**
 * Server-sent events in OpenAI's chunk format: role, the content word by word, the finish, the
 * usage chunk when asked for (`choices: []`, as OpenAI sends it), then [DONE].
 */
function stream(
  reply: FastifyReply,
  head: { id: string; created: number; model: string; fingerprint: string },
  content: string,
  finish: string,
  usage: object | null,
  correctly: object | undefined,
) {
  const base = { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, system_fingerprint: head.fingerprint };
  const withUsage = usage ? { usage: null } : {};
  const chunk = (delta: object, finishReason: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }], ...withUsage, ...extra })}\n\n`;
  const pieces = content.match(/\S+\s*|\s+/g) ?? [];
  reply.hijack();
  const res = reply.raw;
  // Hijacked replies skip Fastify's header handling: carry over what hooks set (CORS, x-request-id).
  res.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(chunk({ role: 'assistant', content: '' }, null, correctly ? { correctly } : {}));
  for (const p of pieces) res.write(chunk({ content: p }, null));
  res.write(chunk({}, finish));
  if (usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}
