/**
 * A scripted LLM server on loopback that speaks the OpenAI (/v1/chat/completions, JSON and SSE
 * streaming) and Ollama (/api/chat, JSON and NDJSON streaming) wire protocols, for tests only.
 * Each request takes the next scripted reply; every request body is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Scripted =
  | { kind: 'reply'; content: string; promptTokens?: number; completionTokens?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  /** Accepts the request and never answers (timeouts, cancellation). */
  | { kind: 'hang' };

export interface RecordedRequest {
  path: string;
  body: any;
  headers: http.IncomingHttpHeaders;
  at: number;
  /** Set when the client closed the connection before a reply. */
  aborted: boolean;
}

export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  private script: Scripted[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private hanging = new Set<http.ServerResponse>();

  /** Answers requests when the script is empty (a rule-based stand-in model for longer runs). */
  responder?: (req: RecordedRequest) => Scripted | Promise<Scripted>;

  /** Replies for the next requests, in order. */
  push(...replies: Scripted[]): this {
    this.script.push(...replies);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      const rec: RecordedRequest = { path: req.url ?? '', body: raw ? JSON.parse(raw) : undefined, headers: req.headers, at: Date.now(), aborted: false };
      this.requests.push(rec);
      res.on('close', () => {
        if (!res.writableEnded) rec.aborted = true;
        this.hanging.delete(res);
      });
      const next: Scripted = this.script.shift() ?? (this.responder ? await this.responder(rec) : { kind: 'status', status: 500, message: 'no scripted reply left' });
      const openai = rec.path.startsWith('/v1/');
      if (next.kind === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (next.kind === 'status') {
        const body = openai ? { error: { message: next.message ?? `status ${next.status}`, type: 'server_error', code: null } } : { error: next.message ?? `status ${next.status}` };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify(body));
        return;
      }
      const promptTokens = next.promptTokens ?? 100;
      const completionTokens = next.completionTokens ?? 20;
      const model = rec.body?.model ?? 'unknown';
      const stream = rec.body?.stream === true;
      if (openai) return stream ? openaiStream(res, model, next.content, promptTokens, completionTokens) : openaiJson(res, model, next.content, promptTokens, completionTokens);
      return stream ? ollamaStream(res, model, next.content, promptTokens, completionTokens) : ollamaJson(res, model, next.content, promptTokens, completionTokens);
    });
  }
}

function openaiJson(res: http.ServerResponse, model: string, content: string, p: number, c: number) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c, prompt_tokens_details: { cached_tokens: 0 } },
    }),
  );
}

/** Content in a few chunks, then the usage chunk (stream_options.include_usage), then [DONE]. */
function openaiStream(res: http.ServerResponse, model: string, content: string, p: number, c: number) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (const piece of chunks(content)) send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  send({ ...base, choices: [], usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c } });
  res.end('data: [DONE]\n\n');
}

function ollamaJson(res: http.ServerResponse, model: string, content: string, p: number, c: number) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done: true, done_reason: 'stop', total_duration: 1e6, load_duration: 0, prompt_eval_count: p, prompt_eval_duration: 1e5, eval_count: c, eval_duration: 1e5 }));
}

function ollamaStream(res: http.ServerResponse, model: string, content: string, p: number, c: number) {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const at = new Date().toISOString();
  for (const piece of chunks(content)) res.write(JSON.stringify({ model, created_at: at, message: { role: 'assistant', content: piece }, done: false }) + '\n');
  res.end(JSON.stringify({ model, created_at: at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: p, eval_count: c }) + '\n');
}

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 7) out.push(s.slice(i, i + 7));
  return out;
}
