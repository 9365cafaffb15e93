/**
 * Ollama through the official `ollama` SDK: /api/chat with `format: <JSON schema>` (structured
 * outputs), plain or streamed. The SDK has no per-request signal for plain requests, so each call
 * gets a client whose fetch (retry.ts) carries the call's signal.
 */
import { Ollama } from 'ollama';
import { ProviderHttpError } from '../../core/engines/provider-errors';
import type { ChatBackend, ChatReply, ChatRequest } from './llm';
import { retryingFetch, type RetryPolicy } from './retry';

export const DEFAULT_OLLAMA_MODEL = 'gemma3:1b';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export interface OllamaBackendOptions {
  host?: string;
  model?: string;
  retry?: RetryPolicy;
  /** How long Ollama keeps the model loaded after a call (default '10m'). */
  keepAlive?: string | number;
  /** Context window (num_ctx) to ask for; Ollama's default otherwise. */
  numCtx?: number;
}

/** An Ollama SDK client whose requests follow the retry policy and `signal`. */
export function ollamaClient(host: string, retry?: RetryPolicy, signal?: AbortSignal): Ollama {
  return new Ollama({ host, fetch: retryingFetch(retry, signal) });
}

/** The SDK's ResponseError carries the HTTP status as `status_code`. */
export function ollamaStatus(e: unknown): number | undefined {
  const s = (e as { status_code?: unknown } | null)?.status_code;
  return typeof s === 'number' ? s : undefined;
}

export class OllamaBackend implements ChatBackend {
  readonly provider = 'ollama' as const;
  readonly model: string;
  readonly host: string;

  constructor(private readonly opts: OllamaBackendOptions = {}) {
    this.model = opts.model ?? DEFAULT_OLLAMA_MODEL;
    this.host = opts.host ?? DEFAULT_OLLAMA_HOST;
  }

  async send(req: ChatRequest): Promise<ChatReply> {
    const client = ollamaClient(this.host, this.opts.retry, req.signal);
    const options = {
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.maxOutputTokens !== undefined ? { num_predict: req.maxOutputTokens } : {}),
      ...(this.opts.numCtx ? { num_ctx: this.opts.numCtx } : {}),
    };
    const base = { model: this.model, messages: req.messages, format: req.schema?.jsonSchema, options, keep_alive: this.opts.keepAlive ?? '10m' };
    try {
      if (req.stream) {
        const stream = await client.chat({ ...base, stream: true });
        const onAbort = () => stream.abort();
        req.signal.addEventListener('abort', onAbort, { once: true });
        try {
          let text = '';
          let promptTokens = 0;
          let completionTokens = 0;
          for await (const part of stream) {
            text += part.message?.content ?? '';
            if (part.done) {
              promptTokens = part.prompt_eval_count ?? 0;
              completionTokens = part.eval_count ?? 0;
            }
          }
          return { text, promptTokens, completionTokens, cachedTokens: 0 };
        } finally {
          req.signal.removeEventListener('abort', onAbort);
        }
      }
      const r = await client.chat({ ...base, stream: false });
      return { text: r.message?.content ?? '', promptTokens: r.prompt_eval_count ?? 0, completionTokens: r.eval_count ?? 0, cachedTokens: 0 };
    } catch (e) {
      const status = ollamaStatus(e);
      if (status !== undefined) throw new ProviderHttpError(`ollama:${this.model}`, status, (e as Error).message, { cause: e });
      throw e;
    }
  }
}
