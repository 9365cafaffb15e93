/**
 * One structured-output call to an LLM, the same for every provider:
 *
 *   1. PII is redacted from every message before anything leaves the machine;
 *   2. the prompt's length in tokens is checked against the limit (nothing is sent when over);
 *   3. the reply is constrained by the JSON schema generated from a zod schema, parsed and
 *      validated with that zod schema on return;
 *   4. a malformed reply is re-asked a bounded number of times, showing the model its error;
 *   5. 429/5xx are retried by the transport (retry.ts) honouring Retry-After; the whole call has
 *      a deadline, and the caller's AbortSignal cancels it;
 *   6. tokens, latency and cost go into the caller's UsageLedger.
 *
 * Providers (openai.ts, ollama.ts) implement only `ChatBackend.send`: one request, one reply.
 */
import { countTokens } from 'gpt-tokenizer';
import { z } from 'zod';
import { MalformedOutputError, ProviderCancelledError, ProviderError, ProviderTimeoutError, TokenLimitError } from '../../core/engines/provider-errors';
import { redactText } from './pii';
import type { RetryPolicy } from './retry';
import { type ProviderKind, UsageLedger, type UsageRecord } from './usage';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** JSON schema the reply must follow (structured output). */
  schema?: { name: string; jsonSchema: Record<string, unknown> };
  stream?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  /** Aborts on the call's deadline or the caller's cancellation. */
  signal: AbortSignal;
}

export interface ChatReply {
  text: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

export interface ChatBackend {
  readonly provider: ProviderKind;
  readonly model: string;
  /** One request. Throws ProviderHttpError for error statuses; other errors as they come. */
  send(req: ChatRequest): Promise<ChatReply>;
}

export interface LlmOptions {
  /** Deadline of one call, retries and re-asks included (default 120 s). */
  timeoutMs?: number;
  /** Re-asks after a malformed reply (default 2, so at most 3 requests). */
  maxReasks?: number;
  /** Limit on the prompt's tokens, counted with o200k_base (GPT-4o's BPE; an estimate for Gemma). Default 8,000. */
  maxPromptTokens?: number;
  /** Limit on the reply's tokens (default 1,024). */
  maxOutputTokens?: number;
  /** Stream the reply (the same result; less time to first token). */
  stream?: boolean;
  temperature?: number;
  /** Redacts PII from outgoing text (default: core/validation's redactPii). */
  redact?: (text: string) => { text: string; redactions: number };
  /** Where usage goes (default: a ledger of this client, `llm.ledger`). */
  ledger?: UsageLedger;
  retry?: RetryPolicy;
}

export interface CallOptions {
  /** What the call is for, recorded in the ledger (teacher, corrector, judge, baseline…). */
  purpose: string;
  signal?: AbortSignal;
  seed?: number;
  temperature?: number;
  maxOutputTokens?: number;
  stream?: boolean;
}

export interface StructuredResult<T> {
  value: T;
  usage: UsageRecord;
  /** PII spans replaced before sending. */
  redactions: number;
}

/** The JSON schema of a zod schema, as structured-output APIs take it. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
}

/** Parses a reply: JSON (a ```json fence is tolerated) validated by the schema. */
export function parseReply<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; error: string } {
  const body = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

/** Tokens of a chat prompt: message texts plus a few per message for the chat format. */
export function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + countTokens(m.content) + 4, 3);
}

export class Llm {
  readonly ledger: UsageLedger;
  private readonly timeoutMs: number;
  private readonly maxReasks: number;
  private readonly maxPromptTokens: number;

  constructor(readonly backend: ChatBackend, readonly options: LlmOptions = {}) {
    this.ledger = options.ledger ?? new UsageLedger();
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxReasks = options.maxReasks ?? 2;
    this.maxPromptTokens = options.maxPromptTokens ?? 8_000;
  }

  get name(): string {
    return `${this.backend.provider}:${this.backend.model}`;
  }

  /** Redacts PII in each message (default: core/validation's redactPii). */
  redact(messages: readonly ChatMessage[]): { messages: ChatMessage[]; redactions: number } {
    const redact = this.options.redact ?? redactText;
    let redactions = 0;
    const out = messages.map((m) => {
      const r = redact(m.content);
      redactions += r.redactions;
      return { ...m, content: r.text };
    });
    return { messages: out, redactions };
  }

  /** One structured call: see the file comment for what happens. */
  async structured<T>(schema: z.ZodType<T>, schemaName: string, messages: readonly ChatMessage[], opts: CallOptions): Promise<StructuredResult<T>> {
    const { provider, model } = this.backend;
    const safe = this.redact(messages);
    const tokens = promptTokens(safe.messages);
    if (tokens > this.maxPromptTokens) throw new TokenLimitError(this.name, tokens, this.maxPromptTokens);

    if (opts.signal?.aborted) throw new ProviderCancelledError(this.name, { cause: opts.signal.reason });
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const jsonSchema = { name: schemaName, jsonSchema: jsonSchemaOf(schema) };
    const convo = [...safe.messages];
    const t0 = performance.now();
    const used = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
    const record = (ok: boolean, reasks: number) =>
      this.ledger.record({ provider, model, purpose: opts.purpose, ...used, latencyMs: performance.now() - t0, reasks, ok });

    let lastError = '';
    let lastText = '';
    for (let attempt = 0; attempt <= this.maxReasks; attempt++) {
      let reply: ChatReply;
      try {
        reply = await this.backend.send({
          messages: convo,
          schema: jsonSchema,
          stream: opts.stream ?? this.options.stream,
          maxOutputTokens: opts.maxOutputTokens ?? this.options.maxOutputTokens ?? 1024,
          temperature: opts.temperature ?? this.options.temperature,
          seed: opts.seed,
          signal,
        });
      } catch (e) {
        record(false, attempt);
        if (opts.signal?.aborted) throw new ProviderCancelledError(this.name, { cause: e });
        if (deadline.aborted) throw new ProviderTimeoutError(this.name, this.timeoutMs, { cause: e });
        if (e instanceof ProviderError) throw e;
        throw new ProviderError(`${this.name}: ${(e as Error).message}`, this.name, true, { cause: e });
      }
      used.promptTokens += reply.promptTokens;
      used.completionTokens += reply.completionTokens;
      used.cachedTokens += reply.cachedTokens;
      const parsed = parseReply(reply.text, schema);
      if (parsed.ok) return { value: parsed.value, usage: record(true, attempt), redactions: safe.redactions };
      lastError = parsed.error;
      lastText = reply.text;
      convo.push(
        { role: 'assistant', content: reply.text.slice(0, 4000) },
        { role: 'user', content: `That reply is not valid: ${parsed.error}. Answer again with only the JSON object that follows the schema.` },
      );
    }
    record(false, this.maxReasks);
    throw new MalformedOutputError(this.name, this.maxReasks + 1, lastError, lastText);
  }
}
