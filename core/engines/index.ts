/**
 * Engine lookup: `createCorrector(name, opts)` builds a Corrector by name. Engines register a
 * factory, so adding one (e.g. `champion`, loaded from the model registry) is one call:
 *
 *   registerEngine('champion', {
 *     description: 'the registry champion',
 *     create: async (opts) => new RuleCorrector(await loadChampion(), { modelVersion: '7' }),
 *   });
 *
 * Bad configuration (unknown engine, missing or invalid model) throws EngineConfigError with a
 * one-line message meant for the user.
 */
import { HarperCorrector, type HarperOptions } from './harper';
import { loadRuleModel, RuleCorrector, RuleModel, RuleModelError, type RuleCorrectorOptions } from './rules';
import { segmented, type SegmentOptions } from './segment';
import type { Corrector } from './types';
import type { Config } from '../config';

export * from './types';

export class EngineConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConfigError';
  }
}

export interface CreateCorrectorOptions {
  /** A rule model file (engine 'rules'). */
  modelPath?: string;
  /** An already loaded rule model, or its JSON (engine 'rules'); wins over modelPath. */
  model?: RuleModel | unknown;
  /** Reported as Correction.modelVersion. */
  modelVersion?: string | null;
  /** Harper settings (kinds, passes…) for engines built on Harper. */
  harper?: HarperOptions;
  /** Order of Harper and the rules (engine 'rules'). */
  order?: RuleCorrectorOptions['order'];
  /** Long inputs sentence by sentence, over-long tokens untouched (./segment); false: the engine sees every text whole. */
  segment?: SegmentOptions | false;
  /** Config values an engine needs (e.g. a server URL); pool threads pass their pool's config. Unset: the engine may loadConfig(). */
  config?: Config;
}

export interface EngineFactory {
  description: string;
  create(opts: CreateCorrectorOptions): Promise<Corrector>;
}

const engines = new Map<string, EngineFactory>();

export function registerEngine(name: string, factory: EngineFactory): void {
  engines.set(name, factory);
}

export function engineNames(): string[] {
  return [...engines.keys()];
}

export function engineDescriptions(): Record<string, string> {
  return Object.fromEntries([...engines].map(([name, f]) => [name, f.description]));
}

export async function createCorrector(name: string, opts: CreateCorrectorOptions = {}): Promise<Corrector> {
  const factory = engines.get(name);
  if (!factory) throw new EngineConfigError(`unknown engine "${name}" (available: ${engineNames().join(', ')})`);
  try {
    return segmented(await factory.create(opts), opts.segment);
  } catch (e) {
    if (e instanceof RuleModelError) throw new EngineConfigError(e.message);
    throw e;
  }
}

registerEngine('harper', {
  description: 'Harper grammar checker (offline, rule-based), chosen lint kinds applied in passes',
  create: async (opts) => {
    const harper = new HarperCorrector(opts.harper);
    await harper.init();
    return harper;
  },
});

registerEngine('rules', {
  description: 'Harper, then context rules learnt from training pairs (needs a model file)',
  create: async (opts) => {
    let model: RuleModel;
    if (opts.model instanceof RuleModel) model = opts.model;
    else if (opts.model !== undefined) model = RuleModel.fromJSON(opts.model);
    else if (opts.modelPath) model = loadRuleModel(opts.modelPath);
    else throw new EngineConfigError('engine "rules" needs a model: give --model path/to/rules.json');
    const harper = opts.order === 'rules-only' ? undefined : new HarperCorrector(opts.harper);
    await harper?.init();
    return new RuleCorrector(model, { modelVersion: opts.modelVersion ?? null, harper, order: opts.order, ownsHarper: true });
  },
});
