/**
 * Features of an edit option for the trained scorer: what the base systems said about it (which
 * systems, their ranks, rules and categories, the prior's score), what kind of change it is (type,
 * span, casing, position), how common the words are before and after, and the words around it.
 * The same function serves training (trainer/scorer.py learns from these rows) and inference
 * (./scorer evaluates the learned trees), so the two cannot drift apart.
 *
 * Features are named; a model lists the names it was trained on, including one indicator per
 * rule it saw often enough (`rule=languagetool:I_AM_VB`), and the vector is built in that order.
 */
import { isSpellingCandidate, PriorScorer } from './prior-scorer';
import type { Cluster, EditOption } from './merge';
import { supportBySystem } from './merge';
import { DEFAULT_SPELLING_RANK, spellingCost } from './spelling';
import { EDIT_TYPES } from './types';
import { zipf } from '../text/frequency';

export const LT_CATEGORIES = ['GRAMMAR', 'TYPOS', 'CASING', 'PUNCTUATION', 'COLLOCATIONS', 'CONFUSED_WORDS', 'NONSTANDARD_PHRASES', 'REDUNDANCY', 'STYLE', 'TYPOGRAPHY', 'MISC', 'SEMANTICS'] as const;
export const HARPER_KINDS = ['Spelling', 'Agreement', 'Grammar', 'Usage', 'WordChoice', 'Miscellaneous', 'Redundancy', 'Repetition', 'Capitalization', 'Punctuation', 'Typo', 'Style', 'WordOrder', 'BoundaryError'] as const;

const DETERMINERS = new Set(['a', 'an', 'the', 'this', 'that', 'these', 'those', 'my', 'your', 'his', 'her', 'its', 'our', 'their', 'some', 'any', 'many', 'much', 'few', 'every', 'each']);
const PRONOUNS = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they', 'there', 'everyone', 'someone', 'nobody']);
const AUXILIARIES = new Set(['am', 'is', 'are', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'have', 'has', 'had', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must', 'to']);
const PREPOSITIONS = new Set(['in', 'on', 'at', 'to', 'for', 'of', 'with', 'about', 'from', 'by', 'into', 'during', 'since', 'until']);

/** The fixed features, in order; rule indicators follow them in a model's feature list. */
export const BASE_FEATURES = [
  'sys_harper', 'sys_languagetool', 'sys_learner', 'sys_patterns', 'n_systems',
  'harper_rank', 'languagetool_rank', 'harper_alternatives', 'languagetool_alternatives', 'pattern_prior',
  'prior_score', 'prior_rank_in_cluster', 'cluster_size',
  ...EDIT_TYPES.map((t) => `type=${t}`),
  ...LT_CATEGORIES.map((c) => `lt_category=${c}`), 'lt_category=other',
  ...HARPER_KINDS.map((k) => `harper_kind=${k}`), 'harper_kind=other',
  'spelling', 'spelling_cost', 'spelling_cost_rank', 'spelling_cost_gap',
  'insert', 'delete', 'replace', 'words_before', 'words_after', 'chars_before', 'chars_after', 'case_only', 'punctuation_only', 'split', 'join',
  'zipf_removed', 'zipf_added', 'zipf_delta', 'zipf_min_added',
  'capitalised', 'all_caps', 'sentence_start', 'relative_position',
  'zipf_left', 'zipf_right', 'left_determiner', 'left_pronoun', 'left_auxiliary', 'left_preposition', 'left_number', 'right_determiner', 'right_pronoun', 'right_preposition', 'right_capitalised',
] as const;

const RULE_PREFIX = 'rule=';
/** The indicator feature of a rule: "rule=languagetool:I_AM_VB" (sub-rule numbers dropped). */
export function ruleFeature(system: string, rule: string): string {
  return `${RULE_PREFIX}${system}:${system === 'patterns' ? 'pattern' : rule.replace(/\[.*\]$/, '')}`;
}

const WORD = /[\p{L}\p{N}'’]+/gu;
const words = (s: string) => s.match(WORD) ?? [];
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function changedWords(before: string, after: string): { removed: string[]; added: string[] } {
  const b = words(before);
  const a = words(after);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  const bl = lower(b);
  const al = lower(a);
  return { removed: b.filter((w, i) => !al.includes(bl[i])), added: a.filter((w, i) => !bl.includes(al[i])) };
}

const prior = new PriorScorer();

/**
 * Named features of every option of a cluster (one map per option, in the cluster's order).
 * `text` is the text the options apply to.
 */
export function clusterFeatures(text: string, cluster: Cluster): Map<string, number>[] {
  const priorScores = prior.scoreCluster(text, cluster);
  const priorOrder = [...priorScores.keys()].sort((a, b) => priorScores[b] - priorScores[a]);
  const spelling = cluster.options.map((o) => o.support.some(isSpellingCandidate));
  const costs = cluster.options.map((o, i) => (spelling[i] ? spellingCost(o.before.trim(), o.after.trim(), DEFAULT_SPELLING_RANK) : Infinity));
  const finite = costs.filter(Number.isFinite);
  const bestCost = finite.length ? Math.min(...finite) : 0;
  const costOrder = [...costs.keys()].filter((i) => spelling[i]).sort((a, b) => costs[a] - costs[b]);
  return cluster.options.map((o, i) => {
    const f = new Map<string, number>();
    optionFeatures(text, o, f);
    f.set('prior_score', priorScores[i]);
    f.set('prior_rank_in_cluster', priorOrder.indexOf(i));
    f.set('cluster_size', cluster.options.length);
    f.set('spelling', spelling[i] ? 1 : 0);
    f.set('spelling_cost', spelling[i] ? costs[i] : 0);
    f.set('spelling_cost_rank', spelling[i] ? costOrder.indexOf(i) : -1);
    f.set('spelling_cost_gap', spelling[i] ? costs[i] - bestCost : 0);
    return f;
  });
}

/** The features of one option that do not depend on the rest of its cluster. */
function optionFeatures(text: string, o: EditOption, f: Map<string, number>): void {
  const bySystem = supportBySystem(o);
  const h = bySystem.get('harper');
  const l = bySystem.get('languagetool');
  const p = bySystem.get('patterns');
  f.set('sys_harper', h ? 1 : 0);
  f.set('sys_learner', bySystem.has('learner') ? 1 : 0);
  f.set('sys_languagetool', l ? 1 : 0);
  f.set('sys_patterns', p ? 1 : 0);
  f.set('n_systems', bySystem.size);
  f.set('harper_rank', h ? h.rank : 9);
  f.set('languagetool_rank', l ? l.rank : 9);
  f.set('harper_alternatives', h ? h.alternatives : 0);
  f.set('languagetool_alternatives', l ? l.alternatives : 0);
  f.set('pattern_prior', p?.prior ?? 0);
  f.set(`type=${o.type}`, 1);
  if (l) f.set(`lt_category=${(LT_CATEGORIES as readonly string[]).includes(l.ruleCategory) ? l.ruleCategory : 'other'}`, 1);
  if (h) f.set(`harper_kind=${(HARPER_KINDS as readonly string[]).includes(h.ruleCategory) ? h.ruleCategory : 'other'}`, 1);
  for (const c of bySystem.values()) f.set(ruleFeature(c.system, c.rule), 1);

  const before = o.before;
  const after = o.after;
  f.set('insert', before.trim() === '' ? 1 : 0);
  f.set('delete', after.trim() === '' ? 1 : 0);
  f.set('replace', before.trim() !== '' && after.trim() !== '' ? 1 : 0);
  f.set('words_before', words(before).length);
  f.set('words_after', words(after).length);
  f.set('chars_before', before.length);
  f.set('chars_after', after.length);
  f.set('case_only', before !== after && before.toLowerCase() === after.toLowerCase() ? 1 : 0);
  const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
  f.set('punctuation_only', before !== after && letters(before) === letters(after) ? 1 : 0);
  f.set('split', words(before).length === 1 && words(after).length === 2 && letters(before).toLowerCase() === letters(after).toLowerCase() ? 1 : 0);
  f.set('join', words(before).length === 2 && words(after).length === 1 && letters(before).toLowerCase() === letters(after).toLowerCase() ? 1 : 0);

  const { removed, added } = changedWords(before, after);
  const zr = mean(removed.map(zipf));
  const za = mean(added.map(zipf));
  f.set('zipf_removed', zr);
  f.set('zipf_added', za);
  f.set('zipf_delta', za - zr);
  f.set('zipf_min_added', added.length ? Math.min(...added.map(zipf)) : 0);

  const first = words(before)[0] ?? '';
  f.set('capitalised', /^\p{Lu}/u.test(first) ? 1 : 0);
  f.set('all_caps', first.length > 1 && first === first.toUpperCase() && /\p{L}/u.test(first) ? 1 : 0);
  const leftText = text.slice(0, o.start);
  f.set('sentence_start', /(^|[.!?]\s+)["'(]*$/.test(leftText) ? 1 : 0);
  f.set('relative_position', text.length ? o.start / text.length : 0);

  const left = (words(leftText).at(-1) ?? '').toLowerCase();
  const rightWord = words(text.slice(o.end))[0] ?? '';
  const right = rightWord.toLowerCase();
  f.set('zipf_left', left ? zipf(left) : 0);
  f.set('zipf_right', right ? zipf(right) : 0);
  f.set('left_determiner', DETERMINERS.has(left) ? 1 : 0);
  f.set('left_pronoun', PRONOUNS.has(left) ? 1 : 0);
  f.set('left_auxiliary', AUXILIARIES.has(left) ? 1 : 0);
  f.set('left_preposition', PREPOSITIONS.has(left) ? 1 : 0);
  f.set('left_number', /^\d+$|^(one|two|three|four|five|six|seven|eight|nine|ten|many|several|few)$/.test(left) ? 1 : 0);
  f.set('right_determiner', DETERMINERS.has(right) ? 1 : 0);
  f.set('right_pronoun', PRONOUNS.has(right) ? 1 : 0);
  f.set('right_preposition', PREPOSITIONS.has(right) ? 1 : 0);
  f.set('right_capitalised', /^\p{Lu}/u.test(rightWord) ? 1 : 0);
}

/** A feature vector in the order of `names` (absent features are 0). */
export function vectorOf(features: Map<string, number>, names: readonly string[]): number[] {
  return names.map((n) => features.get(n) ?? 0);
}

/** Whether a feature name is one this code can compute (a base feature or a rule indicator). */
export function isKnownFeature(name: string): boolean {
  return (BASE_FEATURES as readonly string[]).includes(name) || name.startsWith(RULE_PREFIX);
}
