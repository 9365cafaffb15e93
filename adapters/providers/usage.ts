/**
 * Tokens, latency and cost of every provider call, recorded in a ledger the caller owns and reads.
 *
 * Prices (USD per 1M tokens) as OpenAI published them: gpt-4o-mini input $0.15, cached input $0.075,
 * output $0.60, unchanged from its launch (2024-07-18) to 2025-06-01, the date recorded below. They
 * could not be re-read from this machine (no internet): check the pricing page and update `checked`.
 * Ollama runs on our own hardware: its cost is 0 here (the GPU hour is accounted elsewhere).
 * A model missing from the table is recorded with cost NaN and `priced: false`, never a guess.
 */

export interface Price {
  inputPerMTok: number;
  cachedInputPerMTok?: number;
  outputPerMTok: number;
  /** When the price was read off the provider's page. */
  checked: string;
}

export const PRICES: Record<string, Price> = {
  'gpt-4o-mini': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6, checked: '2025-06-01' },
  'gpt-4o-mini-2024-07-18': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6, checked: '2025-06-01' },
  'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10, checked: '2025-06-01' },
};

/** `local`: a model we run ourselves through trainer/generate.py (cost 0, like Ollama). */
export type ProviderKind = 'openai' | 'ollama' | 'local';

/** Cost of one call in USD; NaN when the model has no known price. */
export function callCost(provider: ProviderKind, model: string, promptTokens: number, completionTokens: number, cachedTokens = 0): number {
  if (provider !== 'openai') return 0;
  const p = PRICES[model];
  if (!p) return Number.NaN;
  const cached = Math.min(cachedTokens, promptTokens);
  return ((promptTokens - cached) * p.inputPerMTok + cached * (p.cachedInputPerMTok ?? p.inputPerMTok) + completionTokens * p.outputPerMTok) / 1e6;
}

export interface UsageRecord {
  provider: ProviderKind;
  model: string;
  /** What the call was for: teacher, corrector, judge, baseline, deploy-check… */
  purpose: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Wall time of the call including retries and re-asks. */
  latencyMs: number;
  /** Re-asks after malformed output (0 when the first reply parsed). */
  reasks: number;
  costUsd: number;
  ok: boolean;
}

export interface UsageTotals {
  calls: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  reasks: number;
  costUsd: number;
  /** False when some call's model had no price: costUsd then covers the priced calls only. */
  priced: boolean;
  latencyMs: number;
  latencyMsP50: number;
  latencyMsP95: number;
  /** Completion tokens per second of call time. */
  tokensPerSecond: number;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export function summarize(records: readonly UsageRecord[]): UsageTotals {
  const lat = records.map((r) => r.latencyMs);
  const latencyMs = lat.reduce((a, b) => a + b, 0);
  const completionTokens = records.reduce((a, r) => a + r.completionTokens, 0);
  return {
    calls: records.length,
    failed: records.filter((r) => !r.ok).length,
    promptTokens: records.reduce((a, r) => a + r.promptTokens, 0),
    completionTokens,
    reasks: records.reduce((a, r) => a + r.reasks, 0),
    costUsd: records.reduce((a, r) => a + (Number.isNaN(r.costUsd) ? 0 : r.costUsd), 0),
    priced: records.every((r) => !Number.isNaN(r.costUsd)),
    latencyMs,
    latencyMsP50: percentile(lat, 0.5),
    latencyMsP95: percentile(lat, 0.95),
    tokensPerSecond: latencyMs > 0 ? completionTokens / (latencyMs / 1000) : 0,
  };
}

/** The ledger: append-only records, totals overall and per model or purpose. */
export class UsageLedger {
  private readonly items: UsageRecord[] = [];

  record(r: Omit<UsageRecord, 'costUsd'> & { costUsd?: number }): UsageRecord {
    const full: UsageRecord = { ...r, costUsd: r.costUsd ?? callCost(r.provider, r.model, r.promptTokens, r.completionTokens, r.cachedTokens) };
    this.items.push(full);
    return full;
  }

  get records(): readonly UsageRecord[] {
    return this.items;
  }

  totals(filter?: (r: UsageRecord) => boolean): UsageTotals {
    return summarize(filter ? this.items.filter(filter) : this.items);
  }

  by(key: 'model' | 'purpose' | 'provider'): Record<string, UsageTotals> {
    const groups = new Map<string, UsageRecord[]>();
    for (const r of this.items) groups.set(r[key], [...(groups.get(r[key]) ?? []), r]);
    return Object.fromEntries([...groups].map(([k, v]) => [k, summarize(v)]));
  }

  /** Cost of 1,000 calls at the mean cost seen so far (NaN when nothing priced was recorded). */
  costPer1000(filter?: (r: UsageRecord) => boolean): number {
    const t = this.totals(filter);
    return t.calls && t.priced ? (t.costUsd / t.calls) * 1000 : Number.NaN;
  }

  toJSON() {
    return { records: this.items, totals: this.totals() };
  }
}
