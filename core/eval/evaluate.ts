/**
 * Scores a corrector on the frozen eval sets: the pipeline's held-out split and JFLEG dev.
 * Outputs of fixed systems (Harper, a registered model version) are cached per
 * (system, eval-set digest), so they are computed — or paid for — once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../ids';
import { writeFileAtomic } from '../write-atomic';
import { gleuCorpus } from '../gleu/gleu';
import { detokenize, tokenize } from '../text/tokenize';
import type { Corrector, ReasonLanguage } from '../engines/types';
import { MalformedOutputError } from '../engines/provider-errors';

/** How one system scored on one eval set (the pipeline's result and the gate read these). */
export interface EvalMetrics {
  gleu: number;
  gleuStd: number;
  gleuCi: [number, number];
  /** Share of already-correct sentences left unchanged. */
  noChangeRate: number;
  /** Share of sentences changed where the reference made no change. */
  overCorrectionRate: number;
  latencyMsP50: number;
  latencyMsP95: number;
  sentences: number;
  /** Share of sentences whose reply was not a valid correction (generative models; scored as unchanged). */
  invalidOutputRate?: number;
}

export interface EvalSet {
  name: string;
  /** Sentences to correct, as the corrector sees them (plain text). */
  inputs: string[];
  /** Source side for GLEU, tokenized. */
  sources: string[];
  /** references[k][i], tokenized. */
  references: string[][];
  /** Sentences that need no change (plain text), for the no-change rate. */
  correct: string[];
}

export interface SystemOutputs {
  outputs: string[];
  correctOutputs: string[];
  latenciesMs: number[];
  /** Sentences where the model's reply was not a valid correction (scored as left unchanged). */
  invalidOutputs?: number;
}

export function evalSetDigest(set: EvalSet): string {
  return sha256(JSON.stringify([set.name, set.inputs, set.references, set.correct])).slice(0, 16);
}

/** JFLEG dev as an eval set: plain-text inputs, tokenized sources and references. */
export function jflegEvalSet(src: string[], refs: string[][]): EvalSet {
  const inputs = src.map(detokenize);
  // Sentences whose every reference equals the source need no change.
  const correct = src.filter((s, i) => refs.every((r) => r[i].trim() === s.trim())).map(detokenize);
  return { name: 'jfleg-dev', inputs, sources: src, references: refs, correct };
}

/** A held-out split (awkward → corrected pairs, plain text) as an eval set. */
export function heldoutEvalSet(name: string, pairs: { awkward: string; corrected: string }[]): EvalSet {
  return {
    name,
    inputs: pairs.map((p) => p.awkward),
    sources: pairs.map((p) => tokenize(p.awkward)),
    references: [pairs.map((p) => tokenize(p.corrected))],
    correct: pairs.map((p) => p.corrected),
  };
}

/**
 * Runs `corrector` over the set. `onProgress` is called after every sentence (activities
 * heartbeat there; the SDK throttles), and an aborted `signal` stops between sentences, so a
 * cancelled or timed-out activity does not keep a slow generative model busy. An engine in the
 * engine pool corrects as many sentences at once as the pool has threads (outputs keep their
 * order; each latency is that sentence's own); other correctors one at a time.
 */
export async function runSystem(corrector: Corrector, set: EvalSet, reasonLanguage: ReasonLanguage, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<SystemOutputs> {
  let invalidOutputs = 0;
  // A generative model may answer something that is not a correction (MalformedOutputError after
  // its re-asks): that sentence counts as left unchanged, and the count is reported.
  const correct = async (text: string) => {
    signal?.throwIfAborted();
    try {
      return (await corrector.correct(text, { reasonLanguage })).corrected;
    } catch (e) {
      if (!(e instanceof MalformedOutputError)) throw e;
      invalidOutputs++;
      return text;
    }
  };
  const concurrency = corrector.parallelism ?? 1;
  const total = set.inputs.length + set.correct.length;
  let done = 0;
  const latenciesMs = new Array<number>(set.inputs.length);
  const outputs = await mapInOrder(set.inputs, concurrency, async (text, i) => {
    const t0 = performance.now();
    const out = text.trim() ? await correct(text) : text;
    latenciesMs[i] = performance.now() - t0;
    onProgress?.(++done, total);
    return out;
  });
  const correctOutputs = await mapInOrder(set.correct, concurrency, async (text) => {
    const out = await correct(text);
    onProgress?.(++done, total);
    return out;
  });
  return { outputs, correctOutputs, latenciesMs, invalidOutputs };
}

/** fn over items, at most `concurrency` at a time, results in the items' order; the first error stops the rest. */
export async function mapInOrder<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return out;
}

/** runSystem with a file cache keyed by system id and eval-set digest. */
export async function runSystemCached(cacheDir: string, systemKey: string, corrector: () => Promise<Corrector>, set: EvalSet, reasonLanguage: ReasonLanguage, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<SystemOutputs> {
  const file = path.join(cacheDir, `${systemKey.replace(/[^A-Za-z0-9._-]+/g, '_')}-${evalSetDigest(set)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SystemOutputs;
  const system = await corrector();
  let out: SystemOutputs;
  try {
    out = await runSystem(system, set, reasonLanguage, onProgress, signal);
  } finally {
    await system.close?.();
  }
  // two systems with one key (a candidate equal to its champion) may finish together
  writeFileAtomic(file, JSON.stringify(out));
  return out;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export function scoreSystem(set: EvalSet, out: SystemOutputs): EvalMetrics {
  const hyps = out.outputs.map((o) => tokenize(o));
  const g = gleuCorpus({ sources: set.sources, references: set.references, hypotheses: hyps });
  const unchanged = set.correct.filter((c, i) => out.correctOutputs[i].trim() === c.trim()).length;
  // Over-correction: the sentence needed no change (its first reference equals the source) but was changed.
  let needNoChange = 0;
  let changedAnyway = 0;
  set.sources.forEach((s, i) => {
    if (set.references[0][i].trim() === s.trim()) {
      needNoChange++;
      if (hyps[i].trim() !== s.trim()) changedAnyway++;
    }
  });
  return {
    gleu: g.gleu,
    gleuStd: g.std,
    gleuCi: g.ci,
    noChangeRate: set.correct.length ? unchanged / set.correct.length : 1,
    overCorrectionRate: needNoChange ? changedAnyway / needNoChange : 0,
    latencyMsP50: percentile(out.latenciesMs, 0.5),
    latencyMsP95: percentile(out.latenciesMs, 0.95),
    sentences: set.inputs.length,
    invalidOutputRate: (out.invalidOutputs ?? 0) / Math.max(1, set.inputs.length + set.correct.length),
  };
}
