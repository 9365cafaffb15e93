/**
 * A chat backend over a model we trained ourselves: `python -m trainer.generate` (Hugging Face
 * transformers, greedy decoding) as a long-lived child process speaking JSON lines. With it the
 * LoRA candidate is evaluated — and served when no Ollama is configured — by the same
 * LlmCorrector code (prompt, structured output, PII redaction, usage ledger) as GPT-4o-mini.
 *
 * Decoding is greedy, so a re-ask with the same prompt gives the same reply: callers should build
 * the Llm with `maxReasks: 0` (see `createLocalCorrector`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../config/paths';
import { LlmCorrector } from './corrector';
import { ProviderError } from '../../core/engines/provider-errors';
import { type ChatBackend, type ChatReply, type ChatRequest, Llm, type LlmOptions } from './llm';


const ReplyLine = z.union([
  z.object({ event: z.literal('ready'), device: z.string(), model: z.string() }),
  z.object({ id: z.number(), text: z.string(), prompt_tokens: z.number(), completion_tokens: z.number() }),
  z.object({ id: z.number().nullable(), error: z.string() }),
]);

export interface TransformersBackendOptions {
  /** Directory with merged weights and tokenizer (the trainer's `merged/`, or MLflow's `model/`). */
  modelDir: string;
  /** Python with trainer/requirements.txt installed. */
  python: string;
  /** Name reported in usage records, e.g. `correctly-corrector:v3`. */
  model?: string;
  device?: 'auto' | 'cpu' | 'cuda';
  /** Upper bound on generated tokens per request (default 256). */
  maxNewTokens?: number;
  /** How long loading the model may take (default 5 minutes). */
  startTimeoutMs?: number;
}

export class TransformersBackend implements ChatBackend {
  readonly provider = 'local' as const;
  readonly model: string;
  private child?: ChildProcessWithoutNullStreams;
  private ready?: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ChatReply) => void; reject: (e: Error) => void }>();
  private stderrTail = '';
  private exited?: Error;

  constructor(private readonly opts: TransformersBackendOptions) {
    this.model = opts.model ?? path.basename(opts.modelDir);
  }

  private start(): Promise<void> {
    if (!existsSync(this.opts.modelDir)) return Promise.reject(new ProviderError(`model directory ${this.opts.modelDir} does not exist`, this.model, false));
    const child = spawn(this.opts.python, ['-m', 'trainer.generate', '--model', this.opts.modelDir, '--device', this.opts.device ?? 'auto', '--max-new-tokens', String(this.opts.maxNewTokens ?? 256)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new ProviderError(`${this.model}: the generation server did not start within ${this.opts.startTimeoutMs ?? 300_000} ms`, this.model, true));
        child.kill('SIGKILL');
      }, this.opts.startTimeoutMs ?? 300_000);
      const fail = (e: Error) => {
        this.exited = e;
        clearTimeout(timer);
        reject(e);
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      };
      child.on('error', (e) => fail(new ProviderError(`${this.model}: cannot run ${this.opts.python}: ${e.message}`, this.model, false)));
      child.on('exit', (code, sig) => fail(new ProviderError(`${this.model}: generation server exited (${sig ?? code}): ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}`, this.model, true)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        let msg: z.infer<typeof ReplyLine>;
        try {
          msg = ReplyLine.parse(JSON.parse(line));
        } catch {
          return; // not protocol: ignore
        }
        if ('event' in msg) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const p = msg.id === null ? undefined : this.pending.get(msg.id);
        if (!p || msg.id === null) return;
        this.pending.delete(msg.id);
        if ('error' in msg) p.reject(new ProviderError(`${this.model}: ${msg.error}`, this.model, false));
        else p.resolve({ text: msg.text, promptTokens: msg.prompt_tokens, completionTokens: msg.completion_tokens, cachedTokens: 0 });
      });
    });
  }

  async send(req: ChatRequest): Promise<ChatReply> {
    if (this.exited) throw this.exited;
    this.ready ??= this.start();
    await this.ready;
    const id = this.nextId++;
    const reply = new Promise<ChatReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      req.signal.addEventListener('abort', () => {
        // the child answers anyway; the reply is dropped
        this.pending.delete(id);
        reject(req.signal.reason instanceof Error ? req.signal.reason : new Error('aborted'));
      }, { once: true });
    });
    this.child!.stdin.write(JSON.stringify({ id, messages: req.messages, max_new_tokens: req.maxOutputTokens ?? 256 }) + '\n');
    return reply;
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end(); // the server exits when stdin closes
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A corrector over a locally run model directory (the LoRA fine-tune's merged weights). */
export function createLocalCorrector(
  opts: TransformersBackendOptions & { name?: string; modelVersion?: string | null; purpose?: string; llm?: LlmOptions },
): LlmCorrector & { close(): Promise<void> } {
  const backend = new TransformersBackend(opts);
  const corrector = new LlmCorrector(new Llm(backend, { maxReasks: 0, maxOutputTokens: 256, timeoutMs: 600_000, ...opts.llm }), {
    name: opts.name ?? 'lora',
    modelVersion: opts.modelVersion ?? null,
    purpose: opts.purpose,
  }) as LlmCorrector & { close(): Promise<void> };
  corrector.close = () => backend.close();
  return corrector;
}
