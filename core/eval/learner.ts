/**
 * The learner-sentence suite (learner-suite.json): sentences typical of Korean learners of English
 * with the corrections a teacher would accept, plus correct control sentences, judged as a
 * teacher would — a wrong edit is worse than a missed one:
 *   fixed    the output is one of the accepted corrections;
 *   partial  every edit made is one an accepted correction makes, but some are missing;
 *   missed   nothing changed in a sentence that needed a change;
 *   wrong    an edit no accepted correction makes (for a control sentence: any change), or a
 *            protected name was changed.
 * Edits are compared on tokens (core/text/tokenize), case-sensitively.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { diffTokens } from '../engines/rules';
import { tokenize } from '../text/tokenize';

const itemSchema = z.strictObject({
  text: z.string().min(1),
  /** Accepted corrections; empty for a control sentence that must stay unchanged. */
  accept: z.array(z.string().min(1)),
  category: z.string().min(1),
  /** Names (and placeholders, acronyms, URLs) that must come out unchanged. */
  names: z.array(z.string()).optional(),
});
export type LearnerItem = z.infer<typeof itemSchema>;

const suiteSchema = z.strictObject({ about: z.string(), items: z.array(itemSchema).min(1) });

export const LEARNER_SUITE_PATH = path.join(import.meta.dirname, 'learner-suite.json');
/** The second set, written after the learner rules and before they ran on it (see its "about"). */
export const LEARNER_HOLDOUT_PATH = path.join(import.meta.dirname, 'learner-holdout.json');

export function loadLearnerSuite(file = LEARNER_SUITE_PATH): LearnerItem[] {
  const parsed = suiteSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.items;
}

export type Verdict = 'fixed' | 'partial' | 'missed' | 'wrong' | 'kept';

export interface Judgement {
  verdict: Verdict;
  /** Edits (as "before → after" on tokens) that no accepted correction makes. */
  wrongEdits: string[];
  /** Protected names that did not come out unchanged. */
  changedNames: string[];
}

function tokenEdits(source: string[], target: string[]): string[] {
  return diffTokens(source, target).map((e) => `${e.i1}:${source.slice(e.i1, e.i2).join(' ')} → ${target.slice(e.j1, e.j2).join(' ')}`);
}

const norm = (s: string) => tokenize(s.trim());

/** Judges one output against the item's accepted corrections. */
export function judge(item: LearnerItem, output: string): Judgement {
  const changedNames = (item.names ?? []).filter((n) => !output.includes(n));
  const src = norm(item.text).split(' ');
  const out = norm(output).split(' ');
  const made = tokenEdits(src, out);
  if (!item.accept.length) {
    const verdict = made.length || changedNames.length ? 'wrong' : 'kept';
    return { verdict, wrongEdits: made, changedNames };
  }
  if (item.accept.some((a) => norm(a) === norm(output))) return { verdict: changedNames.length ? 'wrong' : 'fixed', wrongEdits: [], changedNames };
  if (!made.length) return { verdict: 'missed', wrongEdits: [], changedNames };
  // partial when one accepted correction makes every edit the output made
  const goldSets = item.accept.map((a) => new Set(tokenEdits(src, norm(a).split(' '))));
  const best = goldSets.map((g) => made.filter((e) => !g.has(e))).sort((a, b) => a.length - b.length)[0];
  if (!best.length && !changedNames.length) return { verdict: 'partial', wrongEdits: [], changedNames };
  return { verdict: 'wrong', wrongEdits: best, changedNames };
}

export interface SuiteReport {
  sentences: number;
  errors: number;
  controls: number;
  fixed: number;
  partial: number;
  missed: number;
  wrong: number;
  /** Control sentences changed (included in wrong). */
  controlsChanged: number;
  namesChanged: number;
  results: { item: LearnerItem; output: string; judgement: Judgement }[];
}

/** Runs a correction function over the suite and counts the verdicts. */
export async function runLearnerSuite(correct: (text: string) => Promise<string>, items = loadLearnerSuite()): Promise<SuiteReport> {
  const results: SuiteReport['results'] = [];
  for (const item of items) {
    const output = await correct(item.text);
    results.push({ item, output, judgement: judge(item, output) });
  }
  const count = (v: Verdict) => results.filter((r) => r.judgement.verdict === v).length;
  return {
    sentences: items.length,
    errors: items.filter((i) => i.accept.length).length,
    controls: items.filter((i) => !i.accept.length).length,
    fixed: count('fixed'),
    partial: count('partial'),
    missed: count('missed'),
    wrong: count('wrong'),
    controlsChanged: results.filter((r) => !r.item.accept.length && r.judgement.verdict === 'wrong').length,
    namesChanged: results.filter((r) => r.judgement.changedNames.length).length,
    results,
  };
}
