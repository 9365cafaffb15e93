/**
 * LLM providers by name, from the config: `openai` (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL,
 * default gpt-4o-mini) and `ollama` (OLLAMA_HOST, OLLAMA_MODEL, default gemma3:1b). Each can be a
 * teacher (adapters/teachers.ts), a corrector (serving or baseline; the `openai` and `ollama`
 * engines, registered by registerLlmEngines) and a judge.
 */
import type { Config } from '../../config';
import { EngineConfigError, registerEngine, type RegisterEngine } from '../../core/engines/index';
import { LlmCorrector } from './corrector';
import { LlmJudge } from './judge';
import { LlmTeacher } from './teacher';
import { Llm, type LlmOptions } from './llm';
import { DEFAULT_OLLAMA_MODEL, OllamaBackend } from './ollama';
import { DEFAULT_OPENAI_MODEL, OpenAIBackend } from './openai';

export * from '../../core/engines/provider-errors';
export { Llm, type LlmOptions, type ChatBackend, type ChatMessage } from './llm';
export { LlmCorrector, diffEdits } from './corrector';
export { LlmTeacher } from './teacher';
export { LlmJudge, summarizeJudgements, type Judgement, type JudgeSummary } from './judge';
export { UsageLedger, PRICES, callCost, type UsageTotals } from './usage';
export { OpenAIBackend, DEFAULT_OPENAI_MODEL } from './openai';
export { OllamaBackend, DEFAULT_OLLAMA_MODEL } from './ollama';

export type ProviderName = 'openai' | 'ollama';

type ProviderConfig = Pick<Config, 'openaiApiKey' | 'openaiBaseUrl' | 'openaiModel' | 'ollamaHost' | 'ollamaModel'>;

/** Whether the config enables a provider (OpenAI needs a key, Ollama a host). */
export function providerEnabled(name: ProviderName, config: ProviderConfig): boolean {
  return name === 'openai' ? !!config.openaiApiKey : !!config.ollamaHost;
}

/** An Llm for the named provider; `model` overrides the configured one (e.g. the served fine-tune). */
export function createLlm(name: ProviderName, config: ProviderConfig, options: LlmOptions & { model?: string } = {}): Llm {
  const { model, ...llmOptions } = options;
  if (name === 'openai') {
    if (!config.openaiApiKey) throw new EngineConfigError('the OpenAI provider needs OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server)');
    return new Llm(new OpenAIBackend({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, model: model ?? config.openaiModel ?? DEFAULT_OPENAI_MODEL, retry: options.retry }), llmOptions);
  }
  if (!config.ollamaHost) throw new EngineConfigError('the Ollama provider needs OLLAMA_HOST (e.g. http://127.0.0.1:11434)');
  return new Llm(new OllamaBackend({ host: config.ollamaHost, model: model ?? config.ollamaModel ?? DEFAULT_OLLAMA_MODEL, retry: options.retry }), llmOptions);
}

export function createLlmCorrector(name: ProviderName, config: ProviderConfig, options: LlmOptions & { model?: string; modelVersion?: string | null; purpose?: string } = {}): LlmCorrector {
  const { modelVersion, purpose, ...rest } = options;
  return new LlmCorrector(createLlm(name, config, rest), { modelVersion, purpose });
}

export function createLlmJudge(name: ProviderName, config: ProviderConfig, options: LlmOptions & { model?: string } = {}): LlmJudge {
  return new LlmJudge(createLlm(name, config, options));
}

export function createLlmTeacher(name: ProviderName, config: ProviderConfig, options: LlmOptions & { model?: string } = {}): LlmTeacher {
  return new LlmTeacher(createLlm(name, config, options));
}

/** The engines `openai` and `ollama`: the configured chat models as correctors. */
export function registerLlmEngines(config: Config, register: RegisterEngine = registerEngine): void {
  for (const name of ['openai', 'ollama'] as const) {
    register(name, {
      description: name === 'openai' ? 'OpenAI chat model (OPENAI_MODEL, default gpt-4o-mini) with structured output' : 'a model served by Ollama (OLLAMA_HOST, OLLAMA_MODEL) with structured output',
      create: async (opts) => createLlmCorrector(name, config, { modelVersion: opts.modelVersion ?? null }),
    });
  }
}
