/**
 * A client of LanguageTool's HTTP server (`/v2/check`, `/v2/languages`): the matches it finds in
 * a text, validated with zod, as plain data. LanguageTool (LGPL-2.1) runs as its own JVM process
 * (stack part `languagetool`, or any server named by LANGUAGETOOL_URL); this module only speaks
 * its protocol. Offsets are UTF-16 code units, like JavaScript strings (Java strings are UTF-16).
 * It is the grammar checker the ensemble's port asks (core/engines/grammar-checker.ts).
 */
import { z } from 'zod';
import type { GrammarChecker, GrammarMatch } from '../core/engines/grammar-checker';

const matchSchema = z.object({
  message: z.string(),
  shortMessage: z.string().optional().default(''),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  replacements: z.array(z.object({ value: z.string() }).loose()).default([]),
  rule: z
    .object({
      id: z.string(),
      subId: z.string().optional(),
      description: z.string().default(''),
      issueType: z.string().default('uncategorized'),
      category: z.object({ id: z.string(), name: z.string().default('') }).loose(),
    })
    .loose(),
});

const checkResponseSchema = z.object({ matches: z.array(matchSchema.loose()) }).loose();

/** One LanguageTool match as plain data: the port's match shape is LanguageTool's. */
export type LanguageToolMatch = GrammarMatch;

/** Texts whose matches are kept (evaluation checks the same sentences for every system). */
const CACHE_SIZE = 4096;

export class LanguageToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LanguageToolError';
  }
}

export interface LanguageToolOptions {
  /** Language code; default en-US. */
  language?: string;
  /** Per-request time limit in ms; default 10 000. */
  timeoutMs?: number;
  /** Rules never reported (LanguageTool's `disabledRules`). */
  disabledRules?: readonly string[];
  /** Rules reported although LanguageTool ships them off (its `enabledRules`, beside the defaults). */
  enabledRules?: readonly string[];
  /** Report only `enabledRules` (LanguageTool's `enabledOnly`): checking what those rules flag. */
  enabledOnly?: boolean;
  /** Most replacements kept per match; default 8. */
  maxReplacements?: number;
}

export class LanguageToolClient implements GrammarChecker {
  readonly url: string;
  private readonly language: string;
  private readonly timeoutMs: number;
  private readonly disabledRules: readonly string[];
  private readonly enabledRules: readonly string[];
  private readonly enabledOnly: boolean;
  private readonly maxReplacements: number;
  private readonly cache = new Map<string, LanguageToolMatch[]>();

  constructor(url: string, opts: LanguageToolOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.language = opts.language ?? 'en-US';
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.disabledRules = opts.disabledRules ?? [];
    this.enabledRules = opts.enabledRules ?? [];
    this.enabledOnly = opts.enabledOnly ?? false;
    this.maxReplacements = opts.maxReplacements ?? 8;
  }

  /** The matches LanguageTool reports for `text`, sorted by position (cached per text). */
  async check(text: string, signal?: AbortSignal): Promise<LanguageToolMatch[]> {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const matches = await this.fetchMatches(text, signal);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(text, matches);
    return matches;
  }

  private async fetchMatches(text: string, signal?: AbortSignal): Promise<LanguageToolMatch[]> {
    const form = new URLSearchParams({ language: this.language, text });
    if (this.disabledRules.length) form.set('disabledRules', this.disabledRules.join(','));
    if (this.enabledRules.length) form.set('enabledRules', this.enabledRules.join(','));
    if (this.enabledOnly) form.set('enabledOnly', 'true');
    const body = await this.request('/v2/check', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, signal);
    const parsed = checkResponseSchema.safeParse(body);
    if (!parsed.success) throw new LanguageToolError(`LanguageTool at ${this.url} answered an unexpected /v2/check body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data.matches
      .map((m) => ({
        rule: m.rule.subId ? `${m.rule.id}[${m.rule.subId}]` : m.rule.id,
        ruleId: m.rule.id,
        category: m.rule.category.id,
        issueType: m.rule.issueType,
        message: m.message,
        shortMessage: m.shortMessage,
        start: m.offset,
        end: m.offset + m.length,
        replacements: m.replacements.slice(0, this.maxReplacements).map((r) => r.value),
      }))
      .filter((m) => m.end <= text.length)
      .sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** True when the server answers `/v2/languages` with the configured language. */
  async healthy(signal?: AbortSignal): Promise<boolean> {
    try {
      const body = await this.request('/v2/languages', { method: 'GET' }, signal);
      return Array.isArray(body) && body.some((l) => l && typeof l === 'object' && ((l as { longCode?: string }).longCode === this.language || (l as { code?: string }).code === this.language));
    } catch {
      return false;
    }
  }

  /** Healthy, and able to check an English sentence (loads the English rules on a fresh server). */
  async ready(signal?: AbortSignal): Promise<boolean> {
    if (!(await this.healthy(signal))) return false;
    try {
      await this.fetchMatches('This are a test.', signal);
      return true;
    } catch {
      return false;
    }
  }

  private async request(route: string, init: RequestInit, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.url}${route}`, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError') throw new LanguageToolError(`LanguageTool at ${this.url} did not answer within ${this.timeoutMs} ms`);
      if (err.name === 'AbortError') throw err;
      const cause = (err.cause as { code?: string } | undefined)?.code;
      throw new LanguageToolError(`LanguageTool at ${this.url} is unreachable (${cause ?? err.message}): start it with \`bin/correctly stack up languagetool\` or set LANGUAGETOOL_URL`);
    }
    const text = await res.text();
    if (!res.ok) throw new LanguageToolError(`LanguageTool at ${this.url}${route} answered ${res.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new LanguageToolError(`LanguageTool at ${this.url}${route} answered non-JSON: ${text.slice(0, 100).replace(/\s+/g, ' ')}`);
    }
  }
}

/**
 * The client the ensemble asks: LanguageTool's default rules. ENSEMBLE_LANGUAGETOOL_RULES are not
 * turned on yet: with them, the same pipeline trained twice on one stack gave two different
 * candidates (test/faults/worker-kill-model.test.ts), a dependence on request order not yet found.
 */
export function ensembleLanguageTool(url: string, opts: Omit<LanguageToolOptions, 'enabledRules' | 'enabledOnly'> = {}): LanguageToolClient {
  return new LanguageToolClient(url, opts);
}
