/**
 * The offline engines of core/engines (harper, ensemble, languagetool, rules), wired to the real
 * LanguageTool client and registered with a config. Every engine-pool thread registers these
 * (adapters/engine-pool/pool-thread.ts); this module loads nothing else, so threads stay light.
 */
import { type Config, endpoints } from '../config';
import { registerEngine, registerOfflineEngines as registerOfflineEngineFactories, type RegisterEngine } from '../core/engines/index';
import { harperAnswerStore } from './answer-store';
import { LanguageToolClient } from './languagetool';

export function registerOfflineEngines(config: Config, register: RegisterEngine = registerEngine): void {
  registerOfflineEngineFactories(register, {
    grammarChecker: (url) => new LanguageToolClient(url),
    grammarCheckerUrl: endpoints(config).languagetoolUrl,
    harperAnswers: harperAnswerStore,
  });
}
