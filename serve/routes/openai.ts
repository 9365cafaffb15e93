/**
 * The OpenAI-compatible surface OpenWebUI and the `openai` SDK speak: GET /v1/models and
 * POST /v1/chat/completions (plain JSON, or `stream: true` server-sent events ending with
 * `data: [DONE]`). Only the last user message is corrected; system prompts and history are
 * ignored, so no message can instruct the corrector.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ReasonLanguage } from '../../core/engines';
import { clientId } from '../auth';
import { ApiError } from '../errors';
import { parseBody } from '../safety';
import { type CorrectionContext, type CorrectionResponse, correctOne } from '../service';

/** Model ids: `correctly` explains in the server's default language; the suffixed ones pick it. */
export function modelIds(defaultLanguage: ReasonLanguage): Record<string, ReasonLanguage> {
  return { correctly: defaultLanguage, 'correctly-en': 'en', 'correctly-ko': 'ko' };
}

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'required: one of the ids from GET /v1/models'),
  messages: z.array(message).min(1, 'must hold at least one message'),
  stream: z.boolean().nullish(),
});

/** The text of the last user message; images and other parts are refused by name. */
function lastUserText(messages: z.infer<typeof message>[]): { text: string; field: string } {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'user') continue;
    const field = `messages[${i}].content`;
    if (typeof m.content === 'string') return { text: m.content, field };
    if (!m.content) return { text: '', field };
    const other = m.content.find((p) => p.type !== 'text');
    if (other) throw new ApiError(400, 'unsupported_content', `${field}: only text parts can be corrected, not "${other.type}"`, undefined, field);
    return { text: m.content.map((p) => p.text ?? '').join('\n'), field };
  }
  throw new ApiError(400, 'no_user_message', 'messages: no message with role "user" to correct', undefined, 'messages');
}

/** What the chat shows: the corrected sentence, then why. */
export function chatContent(r: CorrectionResponse): string {
  return r.reason ? `${r.corrected}\n\n${r.reason}` : r.corrected;
}

export function openaiRoutes(app: FastifyInstance, ctx: CorrectionContext & { defaultLanguage: ReasonLanguage }) {
  const models = modelIds(ctx.defaultLanguage);
  const created = Math.floor(Date.now() / 1000);

  app.get('/v1/models', async () => ({
    object: 'list',
    data: Object.keys(models).map((id) => ({ id, object: 'model', created, owned_by: 'correctly' })),
  }));

  app.post('/v1/chat/completions', async (req, reply) => {
    const body = parseBody(chatRequestSchema, req.body);
    const language = models[body.model];
    if (!language) throw new ApiError(404, 'model_not_found', `model "${body.model}" does not exist; use one of: ${Object.keys(models).join(', ')}`, undefined, 'model');
    const { text, field } = lastUserText(body.messages);
    const r = await correctOne(ctx, { requestId: req.id, client: clientId(req), endpoint: 'chat' }, text, language, field);
    const id = `chatcmpl-${req.id}`;
    const now = Math.floor(Date.now() / 1000);
    const correctly = { requestId: r.requestId, edits: r.edits, engine: r.engine, modelVersion: r.modelVersion, fallback: r.fallback, latencyMs: r.latencyMs };
    const content = chatContent(r);
    if (!body.stream) {
      return {
        id,
        object: 'chat.completion',
        created: now,
        model: body.model,
        system_fingerprint: `${r.engine}-${r.modelVersion ?? 'none'}`,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: null,
        correctly,
      };
    }
    return stream(reply, id, now, body.model, content, correctly);
  });
}

/** Server-sent events in OpenAI's chunk format: role, the content word by word, the stop, [DONE]. */
function stream(reply: FastifyReply, id: string, created: number, model: string, content: string, correctly: object) {
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;
  const pieces = content.match(/\S+\s*|\s+/g) ?? [];
  reply.hijack();
  const res = reply.raw;
  // Hijacked replies skip Fastify's header handling: carry over what hooks set (CORS, x-request-id).
  res.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(chunk({ role: 'assistant', content: '' }, null, { correctly }));
  for (const p of pieces) res.write(chunk({ content: p }, null));
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}
