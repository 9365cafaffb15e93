/**
 * `rules`: a small CPU-trainable correction model learnt from (awkward → corrected) pairs.
 *
 * Training
 *  1. Both sides are tokenized (JFLEG/PTB style, core/text/tokenize) and aligned with a
 *     longest-common-subsequence diff; each differing stretch is an edit (replace, insert,
 *     delete). Equal-length stretches are split into one-token replacements.
 *  2. Every edit yields candidate rules: the edit plus a context of neighbouring tokens, in a
 *     few shapes (one token left, one right, both, two left…; a context slot is either the
 *     lower-cased token or its class: <w> word, <cap> capitalised word, <num>, <p> punctuation;
 *     <s> and </s> mark the sentence ends).
 *  3. Every source sentence — and every corrected sentence, as text where nothing may fire —
 *     is scanned for every candidate pattern: `matches` counts where the pattern occurs,
 *     `count` where the reference made exactly that edit there. A rule is
 *     kept only if count ≥ minCount and precision = count / matches is at least minPrecision
 *     (by the Wilson lower bound: a pattern seen 3 times is not trusted like one seen 300 times).
 * Training is deterministic: the same pairs (in any order) give the same model.
 *
 * Applying: left to right over the tokens, at each position the matching rule with the
 * highest lower bound (then precision, count, the more specific context) fires; contexts are
 * read from the input, edits never overlap, and no edit writes a word twice in a row. Token
 * edits become character edits on the text, so the output keeps the input's own spacing
 * everywhere else.
 *
 * `RuleCorrector` runs Harper first and the rules on Harper's output, so the rules see
 * spelling-corrected text (on the JFLEG dev halves the two orders scored within 0.0007 of each
 * other; `order` selects either, or the rules alone).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { attachesLeft, attachesRight, detokenize, type Token, tokenizeWithOffsets } from '../text/tokenize';
import { classifyEdit } from './classify';
import { EditComposer, type EditPart, type PendingEdit } from './edits';
import { finishCorrection, HarperCorrector } from './harper';
import { type CorrectOptions, type Correction, type Corrector, DEFAULT_REASON_LANGUAGE, editTypeSchema } from './types';

export const RULE_MODEL_FORMAT = 'correctly-rules';
export const RULE_MODEL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// model file

export const ruleSchema = z.object({
  /** Context before the edit, nearest token last. Slots: a lower-cased token, <s>, or a class. */
  left: z.array(z.string()),
  /** The tokens replaced, exact (empty: insertion). */
  before: z.array(z.string()),
  /** Context after the edit, nearest token first. */
  right: z.array(z.string()),
  /** The replacement tokens (empty: deletion). */
  after: z.array(z.string()),
  /** In how many distinct training sentences the references made this edit. */
  count: z.number().int().positive(),
  /** How often the pattern occurred in the distinct training sources and corrected sentences. */
  matches: z.number().int().positive(),
  /** count-weighted hits / matches. */
  precision: z.number().min(0).max(1),
  /** Wilson lower bound of the precision, the value compared with minPrecision. */
  lowerBound: z.number().min(0).max(1),
  type: editTypeSchema,
});
export type Rule = z.infer<typeof ruleSchema>;

export const trainOptionsSchema = z.object({
  /** A rule must have been seen in at least this many distinct sentences. */
  minCount: z.number().int().min(1).default(3),
  /**
   * A rule must be right at least this often where its pattern occurs — judged by the lower
   * end of the Wilson interval (see `confidence`), so 3 of 3 is not taken for certainty.
   */
  minPrecision: z.number().min(0).max(1).default(0.7),
  /** z of the one-sided Wilson lower bound used against minPrecision (0 = raw precision). */
  confidence: z.number().min(0).max(5).default(1.645),
  /** Longest token stretch an edit may replace or insert. */
  maxSpan: z.number().int().min(1).max(5).default(3),
  /** Pairs are already tokenized JFLEG-style (tokens separated by spaces). */
  tokenized: z.boolean().default(false),
  /**
   * Also count pattern occurrences in the corrected sentences, where firing would be wrong:
   * a corrector sees correct text too, and error-dense (e.g. synthetic) sources alone make
   * rules like 'is to → are to' look precise.
   */
  targetsAsNegatives: z.boolean().default(true),
});
export type TrainOptions = z.input<typeof trainOptionsSchema>;

export const ruleModelSchema = z.object({
  format: z.literal(RULE_MODEL_FORMAT, { error: `not a rule model (format must be "${RULE_MODEL_FORMAT}")` }),
  version: z.literal(RULE_MODEL_VERSION, { error: `unsupported rule model version (this build reads version ${RULE_MODEL_VERSION})` }),
  options: trainOptionsSchema.required(),
  stats: z.object({
    pairs: z.number().int().nonnegative(),
    edits: z.number().int().nonnegative(),
    candidates: z.number().int().nonnegative(),
    validationPairs: z.number().int().nonnegative().default(0),
    droppedByValidation: z.number().int().nonnegative().default(0),
  }),
  rules: z.array(ruleSchema),
});
export type RuleModelJSON = z.infer<typeof ruleModelSchema>;

export class RuleModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleModelError';
  }
}

// ---------------------------------------------------------------------------------------------
// context patterns

const BOS = '<s>';
const EOS = '</s>';

/** A context shape: for each slot, 't' = the token, 'c' = its class. left is nearest-first. */
interface Shape {
  left: ('t' | 'c')[];
  right: ('t' | 'c')[];
}
const INSERT_SHAPES: Shape[] = [
  { left: ['t'], right: ['t'] },
  { left: ['t'], right: [] },
  { left: [], right: ['t'] },
  { left: ['t', 't'], right: [] },
  { left: [], right: ['t', 't'] },
  { left: ['c'], right: ['t'] },
  { left: ['t'], right: ['c'] },
  { left: ['t', 't'], right: ['t'] },
];
const REPLACE_SHAPES: Shape[] = [
  { left: [], right: [] },
  { left: ['t'], right: [] },
  { left: [], right: ['t'] },
  { left: ['t'], right: ['t'] },
  { left: ['c'], right: ['t'] },
  { left: ['t'], right: ['c'] },
];

function tokenClass(tok: string): string {
  if (tok === BOS || tok === EOS) return tok;
  if (/^\d+$/.test(tok)) return '<num>';
  if (/^\p{Lu}/u.test(tok)) return '<cap>';
  if (/\p{L}/u.test(tok)) return '<w>';
  return '<p>';
}

const SEP = '\u0001';
const PART = '\u0002';

/** A sentence prepared for matching: padded lower-cased tokens, their classes, exact tokens. */
interface Prepared {
  exact: string[];
  lower: string[];
  cls: string[];
}

function prepare(tokens: string[]): Prepared {
  const exact = [BOS, BOS, ...tokens, EOS, EOS];
  return { exact, lower: exact.map((t) => (t === BOS || t === EOS ? t : t.toLowerCase())), cls: exact.map(tokenClass) };
}

/**
 * The pattern key of a shape at padded position p with b replaced tokens, or null when the
 * context runs off the padding. Left slots are read outward from p-1, right from p+b.
 */
function patternKey(s: Prepared, shape: Shape, p: number, b: number): string | null {
  const left: string[] = [];
  for (let k = 0; k < shape.left.length; k++) {
    const q = p - 1 - k;
    if (q < 0) return null;
    left.push(shape.left[k] === 't' ? s.lower[q] : s.cls[q]);
  }
  const right: string[] = [];
  for (let k = 0; k < shape.right.length; k++) {
    const q = p + b + k;
    if (q >= s.exact.length) return null;
    right.push(shape.right[k] === 't' ? s.lower[q] : s.cls[q]);
  }
  const before = s.exact.slice(p, p + b);
  if (before.includes(BOS) || before.includes(EOS)) return null;
  return keyOf(left.reverse(), before, right);
}

function keyOf(left: readonly string[], before: readonly string[], right: readonly string[]): string {
  return `${left.join(SEP)}${PART}${before.join(SEP)}${PART}${right.join(SEP)}`;
}

/** The distinct pattern keys at a position (two shapes can give the same key, e.g. at <s>). */
function keysAt(s: Prepared, p: number, b: number): string[] {
  const keys = new Set<string>();
  for (const shape of b === 0 ? INSERT_SHAPES : REPLACE_SHAPES) {
    const key = patternKey(s, shape, p, b);
    if (key !== null) keys.add(key);
  }
  return [...keys];
}

// ---------------------------------------------------------------------------------------------
// alignment

export interface TokenEdit {
  /** Source tokens [i1, i2) become target tokens [j1, j2). */
  i1: number;
  i2: number;
  j1: number;
  j2: number;
}

/** Longest-common-subsequence alignment of two token lists → the differing stretches. */
export function diffTokens(a: readonly string[], b: readonly string[]): TokenEdit[] {
  const n = a.length;
  const m = b.length;
  // suffix LCS lengths
  const L = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  }
  const edits: TokenEdit[] = [];
  let i = 0;
  let j = 0;
  let open: TokenEdit | null = null;
  const close = () => {
    if (open) edits.push(open);
    open = null;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j] && L[i][j] === L[i + 1][j + 1] + 1) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { i1: i, i2: i, j1: j, j2: j };
    // prefer deleting from the source when that keeps the LCS (ties: delete first)
    if (i < n && (j >= m || L[i + 1][j] >= L[i][j + 1])) {
      i++;
      open.i2 = i;
    } else {
      j++;
      open.j2 = j;
    }
  }
  close();
  // equal-length stretches → one-token replacements
  return edits.flatMap((e) => {
    const k = e.i2 - e.i1;
    if (k > 1 && k === e.j2 - e.j1) return Array.from({ length: k }, (_, d) => ({ i1: e.i1 + d, i2: e.i1 + d + 1, j1: e.j1 + d, j2: e.j1 + d + 1 }));
    return [e];
  });
}

// ---------------------------------------------------------------------------------------------
// training

export interface TrainingPair {
  source: string;
  target: string;
}

function toTokens(text: string, tokenized: boolean): string[] {
  return tokenized ? text.trim().split(/\s+/).filter(Boolean) : tokenizeWithOffsets(text).map((t) => t.text);
}

/** Lower end of the Wilson score interval for a proportion p observed over n trials. */
export function wilsonLowerBound(p: number, n: number, z: number): number {
  if (n <= 0) return 0;
  if (z === 0) return p;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

interface PatternStats {
  /** key → after → (weight: references making the edit, summed as k/r per sentence; sentences) */
  gold: Map<string, Map<string, { weight: number; sentences: number }>>;
  /** key → occurrences in the sources (and corrected sentences) */
  matches: Map<string, number>;
  edits: number;
}

/**
 * Edit and pattern statistics of a set of pairs. Candidate patterns come from the pairs' own
 * edits, or are the given `only` keys (to score known rules on other data).
 */
function collectStats(pairs: readonly TrainingPair[], opts: z.output<typeof trainOptionsSchema>, only?: Set<string>): PatternStats {
  const groups = new Map<string, string[]>();
  for (const p of pairs) {
    const targets = groups.get(p.source);
    if (targets) targets.push(p.target);
    else groups.set(p.source, [p.target]);
  }
  // deterministic whatever the order of the pairs
  const sources = [...groups.keys()].sort();
  const gold: PatternStats['gold'] = new Map();
  const lengths = new Set<number>();
  let edits = 0;
  const prepared: Prepared[] = [];
  for (const source of sources) {
    const src = toTokens(source, opts.tokenized);
    const s = prepare(src);
    prepared.push(s);
    const targets = groups.get(source)!.sort();
    const perSentence = new Map<string, Map<string, number>>(); // key → after → weight in this sentence
    for (const target of targets) {
      const tgt = toTokens(target, opts.tokenized);
      for (const e of diffTokens(src, tgt)) {
        const b = e.i2 - e.i1;
        if (b > opts.maxSpan || e.j2 - e.j1 > opts.maxSpan) continue;
        edits++;
        lengths.add(b);
        const after = tgt.slice(e.j1, e.j2).join(SEP);
        for (const key of keysAt(s, e.i1 + 2, b)) {
          if (only && !only.has(key)) continue;
          let afters = perSentence.get(key);
          if (!afters) perSentence.set(key, (afters = new Map()));
          afters.set(after, (afters.get(after) ?? 0) + 1 / targets.length);
        }
      }
    }
    for (const [key, afters] of perSentence) {
      let g = gold.get(key);
      if (!g) gold.set(key, (g = new Map()));
      for (const [after, w] of afters) {
        const cur = g.get(after) ?? { weight: 0, sentences: 0 };
        cur.weight += w;
        cur.sentences += 1;
        g.set(after, cur);
      }
    }
  }
  if (only) {
    lengths.clear();
    for (const key of only) lengths.add(key.split(PART)[1] ? key.split(PART)[1].split(SEP).length : 0);
  }
  const wanted = only ?? new Set(gold.keys());
  if (opts.targetsAsNegatives) {
    const targets = new Set([...groups.values()].flat());
    for (const t of [...targets].sort()) if (!groups.has(t)) prepared.push(prepare(toTokens(t, opts.tokenized)));
  }
  const matches = new Map<string, number>();
  for (const s of prepared) {
    const len = s.exact.length;
    for (let p = 2; p <= len - 2; p++) {
      for (const b of lengths) {
        if (p + b > len - 2) continue;
        for (const key of keysAt(s, p, b)) if (wanted.has(key)) matches.set(key, (matches.get(key) ?? 0) + 1);
      }
    }
  }
  return { gold, matches, edits };
}

/**
 * Learns a rule model from (awkward → corrected) pairs.
 *
 * Pairs with the same source are one sentence with several references (as in JFLEG): the
 * sentence counts once, and an edit made by k of its r references counts k/r towards the
 * precision. `count` (compared with minCount) is the number of distinct source sentences in
 * which the edit was made.
 *
 * `validation` pairs (optional, e.g. a held-out split of real data when training on synthetic
 * pairs) are a second opinion: a rule that fires on them and is wrong there more often than
 * right is dropped.
 */
export function trainRuleModel(pairs: readonly TrainingPair[], options: TrainOptions = {}, validation?: readonly TrainingPair[]): RuleModel {
  const opts = trainOptionsSchema.parse(options);
  const { gold, matches, edits } = collectStats(pairs, opts);
  // keep the precise, frequent patterns (one rule per pattern: its most frequent replacement)
  let rules: (Rule & { key: string; afterKey: string })[] = [];
  for (const key of [...gold.keys()].sort()) {
    const afters = [...gold.get(key)!.entries()].sort((x, y) => y[1].weight - x[1].weight || (x[0] < y[0] ? -1 : 1));
    const [after, { weight, sentences }] = afters[0];
    const seen = Math.max(matches.get(key) ?? 1, sentences);
    const precision = Math.min(1, weight / seen);
    const lowerBound = wilsonLowerBound(precision, seen, opts.confidence);
    if (sentences < opts.minCount || lowerBound < opts.minPrecision) continue;
    const [leftS, beforeS, rightS] = key.split(PART);
    const split = (x: string) => (x ? x.split(SEP) : []);
    const before = split(beforeS);
    const afterToks = split(after);
    rules.push({
      key,
      afterKey: after,
      left: split(leftS),
      before,
      right: split(rightS),
      after: afterToks,
      count: sentences,
      matches: seen,
      precision: Math.round(precision * 1e6) / 1e6,
      lowerBound: Math.round(lowerBound * 1e6) / 1e6,
      type: classifyEdit(before.join(' '), afterToks.join(' '), 'grammar'),
    });
  }
  let dropped = 0;
  if (validation?.length && rules.length) {
    const v = collectStats(validation, opts, new Set(rules.map((r) => r.key)));
    const kept = rules.filter((r) => {
      const fires = v.matches.get(r.key) ?? 0;
      const right = v.gold.get(r.key)?.get(r.afterKey)?.weight ?? 0;
      return fires === 0 || right >= fires - right;
    });
    dropped = rules.length - kept.length;
    rules = kept;
  }
  return new RuleModel({
    format: RULE_MODEL_FORMAT,
    version: RULE_MODEL_VERSION,
    options: opts,
    stats: { pairs: pairs.length, edits, candidates: gold.size, validationPairs: validation?.length ?? 0, droppedByValidation: dropped },
    rules: rules.map(({ key: _k, afterKey: _a, ...rule }) => rule),
  });
}

// ---------------------------------------------------------------------------------------------
// the model

/** A rule that fires at a token position. */
export interface RuleMatch {
  rule: Rule;
  /** Token index (into the unpadded tokens) where `before` starts or the insertion happens. */
  at: number;
}

/** Reads a rule model file; a missing file or a bad model throws RuleModelError. */
export function loadRuleModel(path: string): RuleModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new RuleModelError(`rule model ${path}: ${why}`);
  }
  try {
    return RuleModel.fromJSON(text);
  } catch (e) {
    if (e instanceof RuleModelError) throw new RuleModelError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Writes a rule model file (pretty-printed JSON). */
export function saveRuleModel(model: RuleModel, path: string): void {
  writeFileSync(path, JSON.stringify(model.toJSON(), null, 1) + '\n');
}

export class RuleModel {
  private readonly index = new Map<string, Rule>();
  private readonly lengths: number[];

  constructor(readonly data: RuleModelJSON) {
    const lengths = new Set<number>();
    for (const rule of data.rules) {
      const key = keyOf(rule.left, rule.before, rule.right);
      const prev = this.index.get(key);
      if (!prev || better(rule, prev)) this.index.set(key, rule);
      lengths.add(rule.before.length);
    }
    this.lengths = [...lengths].sort((a, b) => b - a);
  }

  get rules(): readonly Rule[] {
    return this.data.rules;
  }

  toJSON(): RuleModelJSON {
    return this.data;
  }

  /** Parses a model (an object or JSON text); a bad model throws RuleModelError saying what is wrong. */
  static fromJSON(json: unknown): RuleModel {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (e) {
        throw new RuleModelError(`rule model is not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`);
      }
    }
    const parsed = ruleModelSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new RuleModelError(`invalid rule model${where}: ${issue.message.replace(/\s+/g, ' ')}`);
    }
    return new RuleModel(parsed.data);
  }

  /** The rules that fire on a token list (non-overlapping, left to right). */
  match(tokens: readonly string[]): RuleMatch[] {
    const s = prepare([...tokens]);
    const out: RuleMatch[] = [];
    const n = tokens.length;
    let p = 2;
    while (p <= n + 2) {
      // an insertion before token p, then a replacement starting at p
      const ins = this.best(s, p, [0]);
      if (ins) out.push({ rule: ins, at: p - 2 });
      const rep = p < n + 2 ? this.best(s, p, this.lengths.filter((b) => b > 0 && p + b <= n + 2)) : null;
      if (rep) {
        out.push({ rule: rep, at: p - 2 });
        p += rep.before.length;
      } else p++;
    }
    return out;
  }

  private best(s: Prepared, p: number, lengths: number[]): Rule | null {
    let best: Rule | null = null;
    for (const b of lengths) {
      for (const key of keysAt(s, p, b)) {
        const rule = this.index.get(key);
        if (rule && (!best || better(rule, best)) && !doubles(s, p, rule)) best = rule;
      }
    }
    return best;
  }
}

/** An edit that would write a word twice in a row ("the the") is never made. */
function doubles(s: Prepared, p: number, rule: Rule): boolean {
  if (!rule.after.length) return false;
  const first = rule.after[0].toLowerCase();
  const last = rule.after[rule.after.length - 1].toLowerCase();
  return s.lower[p - 1] === first || s.lower[p + rule.before.length] === last;
}

function specificity(r: Rule): number {
  return r.left.length + r.right.length;
}

function better(a: Rule, b: Rule): boolean {
  if (a.lowerBound !== b.lowerBound) return a.lowerBound > b.lowerBound;
  if (a.precision !== b.precision) return a.precision > b.precision;
  if (a.count !== b.count) return a.count > b.count;
  if (specificity(a) !== specificity(b)) return specificity(a) > specificity(b);
  return a.before.length > b.before.length;
}

// ---------------------------------------------------------------------------------------------
// token edits → character edits

/** Character edits (offsets into `text`) for rule matches on its tokens. */
export function renderMatches(text: string, tokens: readonly Token[], found: readonly RuleMatch[]): PendingEdit[] {
  const edits: PendingEdit[] = [];
  for (const { rule, at } of found) {
    const afterText = detokenize(rule.after.join(' '));
    const b = rule.before.length;
    const detail = `learned rule: ${rule.count} of ${rule.matches} times in training (${Math.round(rule.precision * 100)}%)`;
    const part = (before: string, after: string): EditPart => ({ type: rule.type, before, after, detail, source: 'rules' });
    const at0 = tokens[at]?.start ?? (tokens[at - 1]?.end ?? 0);
    const at1 = tokens[at + b - 1]?.end ?? at0;
    const withContext = (p: EditPart): EditPart => ({ ...p, context: { left: text.slice(Math.max(0, at0 - 40), at0), right: text.slice(at1, at1 + 40) } });
    if (b > 0) {
      const first = tokens[at];
      const last = tokens[at + b - 1];
      if (rule.after.length) {
        // keep the spacing right when a clitic or punctuation mark is replaced by a word or back
        const prev = tokens[at - 1];
        let start = first.start;
        let after = afterText;
        const wasAttached = attachesLeft(first.text);
        const isAttached = attachesLeft(rule.after[0]);
        if (prev && isAttached && !wasAttached && prev.end < start) start = prev.end; // "do not" → "don't"
        else if (prev && !isAttached && wasAttached && prev.end === start && !attachesRight(prev.text)) after = ' ' + after; // "don't" → "do not"
        edits.push({ start, end: last.end, after, part: withContext(part(text.slice(first.start, last.end), afterText)) });
      } else {
        // deletion: take one neighbouring space with the tokens
        const prev = tokens[at - 1];
        const next = tokens[at + b];
        let start = first.start;
        let end = last.end;
        if (prev && prev.end < start) start = prev.end; // "very very much" -> "very much"
        else if (prev && attachesLeft(first.text)) {
          // glued to the previous word ("Hi, there" -> "Hi there"): the tokens only
        } else if (next && next.start > end) end = next.start; // "Very good" -> "good"
        edits.push({ start, end, after: '', part: withContext(part(text.slice(first.start, last.end), '')) });
      }
    } else {
      const prev = tokens[at - 1];
      const next = tokens[at];
      let edit: { start: number; after: string };
      if (!next || attachesLeft(next.text) || attachesLeft(rule.after[0])) {
        // after the previous token: "word" + ",", or "word" + " more"
        const pos = prev ? prev.end : 0;
        const glue = !prev || attachesLeft(rule.after[0]) || attachesRight(prev.text) ? '' : ' ';
        edit = { start: pos, after: glue + afterText + (!prev && next ? ' ' : '') };
      } else {
        // before the next token: "the " + "word"
        const glue = attachesRight(rule.after[rule.after.length - 1]) ? '' : ' ';
        edit = { start: next.start, after: afterText + glue };
      }
      edits.push({ start: edit.start, end: edit.start, after: edit.after, part: withContext(part('', afterText)) });
    }
  }
  return edits;
}

// ---------------------------------------------------------------------------------------------
// the corrector

export interface RuleCorrectorOptions {
  /** The registry version of the model, reported in every Correction. */
  modelVersion?: string | null;
  /** The Harper corrector to run with the rules; one is created (and closed with this) if absent. */
  harper?: HarperCorrector;
  /** 'harper-first' (default): rules see Harper's output; 'rules-first'; 'rules-only'. */
  order?: 'harper-first' | 'rules-first' | 'rules-only';
  /** Close the given `harper` when this corrector is closed (default: only one it created). */
  ownsHarper?: boolean;
}

export class RuleCorrector implements Corrector {
  readonly name = 'rules';
  readonly modelVersion: string | null;
  private readonly harper: HarperCorrector | null;
  private readonly ownsHarper: boolean;
  private readonly order: NonNullable<RuleCorrectorOptions['order']>;

  constructor(
    readonly model: RuleModel,
    opts: RuleCorrectorOptions = {},
  ) {
    this.modelVersion = opts.modelVersion ?? null;
    this.order = opts.order ?? 'harper-first';
    this.ownsHarper = opts.harper ? opts.ownsHarper === true : this.order !== 'rules-only';
    this.harper = opts.harper ?? (this.order === 'rules-only' ? null : new HarperCorrector());
  }

  /** Applies the rules once to the composer's current text. */
  applyRules(composer: EditComposer): void {
    const text = composer.text;
    const tokens = tokenizeWithOffsets(text);
    const found = this.model.match(tokens.map((t) => t.text));
    if (found.length) composer.apply(renderMatches(text, tokens, found));
  }

  async correct(text: string, opts: CorrectOptions = {}): Promise<Correction> {
    const composer = new EditComposer(text);
    if (this.order === 'rules-first') this.applyRules(composer);
    if (this.harper) await this.harper.run(composer);
    if (this.order !== 'rules-first') this.applyRules(composer);
    return finishCorrection(composer, this.name, this.modelVersion, opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE);
  }

  async close(): Promise<void> {
    if (this.ownsHarper) await this.harper?.close();
  }
}
