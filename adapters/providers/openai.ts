/**
 * OpenAI (or any OpenAI-compatible server: vLLM, llama.cpp server, LiteLLM, Ollama's /v1…) through
 * the official `openai` SDK: chat completions with `response_format: json_schema` (strict),
 * plain or streamed (with `stream_options.include_usage`). Retries are ours (retry.ts), not the
 * SDK's, so both providers share one policy.
 */
import OpenAI from 'openai';
import { ProviderHttpError } from '../../core/engines/provider-errors';
import type { ChatBackend, ChatReply, ChatRequest } from './llm';
import { retryingFetch, type RetryPolicy } from './retry';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export interface OpenAIBackendOptions {
  apiKey: string;
  /** Default https://api.openai.com/v1. */
  baseURL?: string;
  model?: string;
  retry?: RetryPolicy;
  /** Extra request headers (e.g. an organisation or a gateway key). */
  headers?: Record<string, string>;
}

export class OpenAIBackend implements ChatBackend {
  readonly provider = 'openai' as const;
  readonly model: string;

  constructor(private readonly opts: OpenAIBackendOptions) {
    this.model = opts.model ?? DEFAULT_OPENAI_MODEL;
  }

  private client(signal: AbortSignal): OpenAI {
    return new OpenAI({
      apiKey: this.opts.apiKey,
      baseURL: this.opts.baseURL,
      maxRetries: 0,
      // the call's deadline is the signal's; the SDK's own timeout only as a backstop
      timeout: 60 * 60_000,
      fetch: retryingFetch(this.opts.retry, signal),
      defaultHeaders: this.opts.headers,
    });
  }

  async send(req: ChatRequest): Promise<ChatReply> {
    const client = this.client(req.signal);
    const body = {
      model: this.model,
      messages: req.messages,
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.maxOutputTokens !== undefined ? { max_completion_tokens: req.maxOutputTokens } : {}),
      ...(req.schema ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.schema.name, schema: req.schema.jsonSchema, strict: true } } } : {}),
    };
    try {
      if (req.stream) {
        const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: req.signal });
        let text = '';
        let refusal = '';
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta;
          text += delta?.content ?? '';
          refusal += delta?.refusal ?? '';
          if (chunk.usage) usage = chunk.usage;
        }
        return reply(refusal ? `(refused: ${refusal})` : text, usage);
      }
      const r = await client.chat.completions.create({ ...body, stream: false }, { signal: req.signal });
      const msg = r.choices[0]?.message;
      return reply(msg?.refusal ? `(refused: ${msg.refusal})` : msg?.content ?? '', r.usage);
    } catch (e) {
      if (e instanceof OpenAI.APIError && typeof e.status === 'number') throw new ProviderHttpError(`openai:${this.model}`, e.status, e.message, { cause: e });
      throw e;
    }
  }
}

function reply(text: string, usage: OpenAI.CompletionUsage | undefined): ChatReply {
  return {
    text,
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}
