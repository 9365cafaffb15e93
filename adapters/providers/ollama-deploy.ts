/**
 * Deploy to Ollama: serve the promoted model's merged weights (safetensors + tokenizer, as the
 * trainer writes them and MLflow keeps them under `model/`).
 *
 *   1. each file is pushed as a blob (`/api/blobs/sha256:…`, skipped when Ollama has it);
 *   2. the SDK's `create` makes `<name>:v<version>` from those files with what a Modelfile would
 *      carry: the Gemma chat template (system folded into the first user turn, exactly as the
 *      model was trained), the default system prompt and parameters (stop at <end_of_turn>,
 *      temperature 0);
 *   3. the new model must answer a schema-valid correction (structured output, validated);
 *   4. only then is it copied to `<name>:<alias>` (default `champion`), the tag serving uses, so
 *      a model that fails the check is never served; rollback is a copy of an older version.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CreateRequest } from 'ollama';
import { correctionSchema, type Correction, type ReasonLanguage } from '../../core/engines/types';
import { listFiles } from './files';
import { LlmCorrector } from './corrector';
import { ProviderError } from '../../core/engines/provider-errors';
import { Llm } from './llm';
import { OllamaBackend, ollamaClient } from './ollama';
import { correctionPrompts } from './prompts';
import type { RetryPolicy } from './retry';

/** Gemma's turns, with a system message folded into the first user turn as in training. */
export const GEMMA_TEMPLATE = `{{- $system := "" }}{{- range .Messages }}{{- if eq .Role "system" }}{{- $system = .Content }}{{- end }}{{- end }}
{{- $first := true }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "user" }}<start_of_turn>user
{{ if and $first $system }}{{ $system }}

{{ end }}{{ .Content }}<end_of_turn>
{{ $first = false }}{{ if $last }}<start_of_turn>model
{{ end }}
{{- else if eq .Role "assistant" }}<start_of_turn>model
{{ .Content }}{{ if not $last }}<end_of_turn>
{{ end }}
{{- end }}
{{- end }}`;

export const DEFAULT_PARAMETERS = { stop: ['<end_of_turn>'], temperature: 0, num_ctx: 2048 };

export class DeployError extends ProviderError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ollama-deploy', false, options);
    this.name = 'DeployError';
  }
}

export interface DeployOptions {
  host: string;
  /** Ollama model name without tag, e.g. "correctly-corrector". */
  name: string;
  /** Registry version: the model is created as `<name>:v<version>`. */
  version: string;
  /** The merged model directory (config.json, model*.safetensors, tokenizer files). */
  mergedDir: string;
  /** Tag serving uses, set only after the check passes (default "champion"; null: no alias). */
  alias?: string | null;
  /** Default system prompt baked into the model (default: the Korean-reason correction prompt). */
  reasonLanguage?: ReasonLanguage;
  parameters?: Record<string, unknown>;
  /** e.g. "q8_0" to quantise the F16/BF16 weights on import. */
  quantize?: string;
  /** The sentence the check corrects (default: a subject-verb agreement error). */
  checkSentence?: string;
  retry?: RetryPolicy;
  /** Deadline of the check's correction call (default 120 s; the first call loads the model). */
  checkTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface DeployResult {
  model: string;
  alias: string | null;
  files: string[];
  uploaded: number;
  check: Correction;
  checkLatencyMs: number;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function deployToOllama(opts: DeployOptions): Promise<DeployResult> {
  const host = opts.host.replace(/\/+$/, '');
  const model = `${opts.name}:v${opts.version}`;
  const alias = opts.alias === undefined ? 'champion' : opts.alias;
  const client = ollamaClient(host, opts.retry, opts.signal);
  const say = opts.onProgress ?? (() => {});

  // 1. blobs
  const names = listFiles(opts.mergedDir).filter((f) => !f.includes('/') && !/^README/i.test(f));
  if (!names.includes('config.json') || !names.some((f) => f.endsWith('.safetensors'))) {
    throw new DeployError(`${opts.mergedDir} is not a merged model directory (needs config.json and *.safetensors)`);
  }
  const files: Record<string, string> = {};
  let uploaded = 0;
  for (const name of names) {
    const file = path.join(opts.mergedDir, name);
    const digest = `sha256:${await sha256File(file)}`;
    files[name] = digest;
    const url = `${host}/api/blobs/${digest}`;
    const head = await fetch(url, { method: 'HEAD', signal: opts.signal });
    if (head.ok) continue;
    say(`uploading ${name} (${statSync(file).size} bytes)`);
    const res = await fetch(url, {
      method: 'POST',
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
      signal: opts.signal,
    } as RequestInit & { duplex: 'half' });
    if (!res.ok) throw new DeployError(`uploading ${name} to ${host}: HTTP ${res.status} ${await res.text()}`);
    uploaded++;
  }

  // 2. create, with what a Modelfile would say
  say(`creating ${model}`);
  const request: CreateRequest & { files: Record<string, string> } = {
    model,
    files,
    template: GEMMA_TEMPLATE,
    system: correctionPrompts().system[opts.reasonLanguage ?? 'ko'],
    parameters: { ...DEFAULT_PARAMETERS, ...opts.parameters },
    ...(opts.quantize ? { quantize: opts.quantize } : {}),
    stream: false,
  };
  try {
    const r = await client.create(request as CreateRequest & { stream: false });
    if (r.status !== 'success') throw new DeployError(`ollama create ${model}: ${r.status}`);
  } catch (e) {
    if (e instanceof DeployError) throw e;
    throw new DeployError(`ollama create ${model}: ${(e as Error).message}`, { cause: e });
  }

  // 3. it must answer a schema-valid correction before anything serves it
  say(`checking ${model}`);
  const llm = new Llm(new OllamaBackend({ host, model, retry: opts.retry }), { timeoutMs: opts.checkTimeoutMs ?? 120_000, maxReasks: 2, maxOutputTokens: 256 });
  const corrector = new LlmCorrector(llm, { name: 'ollama', modelVersion: opts.version, purpose: 'deploy-check', signal: opts.signal });
  const sentence = opts.checkSentence ?? 'She go to school every day.';
  const t0 = performance.now();
  let check: Correction;
  try {
    check = correctionSchema.parse(await corrector.correct(sentence, { reasonLanguage: opts.reasonLanguage ?? 'ko' }));
  } catch (e) {
    throw new DeployError(`${model} was created but did not answer a valid correction, so it is not served: ${(e as Error).message}`, { cause: e });
  }
  const checkLatencyMs = performance.now() - t0;

  // 4. serve it
  if (alias) {
    await client.copy({ source: model, destination: `${opts.name}:${alias}` });
    say(`${opts.name}:${alias} → ${model}`);
  }
  return { model, alias: alias ? `${opts.name}:${alias}` : null, files: names, uploaded, check, checkLatencyMs };
}
