/**
 * The engines a process offers, registered by its composition root with its config: nothing
 * registers itself on import. The CLI and the workers call registerAllEngines; an engine-pool
 * thread registers the offline engines alone (./offline-engines.ts).
 */
import type { Config } from '../config';
import { registerEngine, type RegisterEngine } from '../core/engines/index';
import { registerChampionEngine } from './mlflow-models';
import { registerOfflineEngines } from './offline-engines';
import { registerLlmEngines } from './providers/index';

/** The offline engines, the MLflow registry's `champion`, and the LLM providers' `openai` and `ollama` (network-bound: they run on the caller's thread). */
export function registerAllEngines(config: Config, register: RegisterEngine = registerEngine): void {
  registerOfflineEngines(config, register);
  registerChampionEngine(config, register);
  registerLlmEngines(config, register);
}
