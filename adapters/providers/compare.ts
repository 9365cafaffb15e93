/**
 * Evaluation against GPT-4o-mini (or any LLM baseline): baseline outputs cached per
 * (model, eval-set digest) through core/eval's runSystemCached, with the full corrections and the
 * usage kept beside them so neither the corrections nor the judge are paid for twice; the
 * explanation judge over those corrections; and a side-by-side report (Markdown + an SVG chart
 * rendered with Vega-Lite, + an HTML page holding both) of candidate / champion / baseline / Harper.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Correction, CorrectOptions, Corrector, ReasonLanguage } from '../../core/engines/types';
import { evalSetDigest, type EvalSet, runSystemCached, type SystemOutputs } from '../../core/eval/evaluate';
import { sha256 } from '../../core/ids';
import { LlmCorrector } from './corrector';
import { type Judgement, type LlmJudge, summarizeJudgements, type JudgeSummary } from './judge';
import type { Llm } from './llm';
import { ollamaClient } from './ollama';
import type { UsageTotals } from './usage';

const safe = (key: string) => key.replace(/[^A-Za-z0-9._-]+/g, '_');

/** Remembers every Correction it returns, so explanations can be judged after the run. */
export class RecordingCorrector implements Corrector {
  readonly corrections = new Map<string, Correction>();
  constructor(private readonly inner: Corrector) {}
  get name() {
    return this.inner.name;
  }
  async correct(text: string, opts?: CorrectOptions): Promise<Correction> {
    const c = await this.inner.correct(text, opts);
    this.corrections.set(text, c);
    return c;
  }
  close() {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

export interface BaselineRun {
  outputs: SystemOutputs;
  /** Full corrections (with edits and reasons) of the eval set's inputs, in order. */
  corrections: Correction[];
  /** Tokens, latency and cost of the run that produced the outputs (cached with them). */
  usage: UsageTotals;
  /** USD per 1,000 corrections (NaN when the model is not in the price table). */
  costPer1000: number;
  cached: boolean;
}

/**
 * The baseline's outputs on `set`, computed once per (model, eval-set digest): outputs via
 * runSystemCached, corrections and usage in sidecar files beside them.
 */
export async function runBaselineCached(cacheDir: string, llm: Llm, set: EvalSet, reasonLanguage: ReasonLanguage, onProgress?: (done: number, total: number) => void): Promise<BaselineRun> {
  const key = `baseline-${llm.name}`;
  const sidecar = path.join(cacheDir, `${safe(key)}-${evalSetDigest(set)}.details.json`);
  if (existsSync(sidecar)) {
    const outputs = await runSystemCached(cacheDir, key, () => Promise.reject(new Error('baseline cache: outputs missing beside their details')), set, reasonLanguage);
    const d = JSON.parse(readFileSync(sidecar, 'utf8')) as Omit<BaselineRun, 'outputs' | 'cached'>;
    return { outputs, ...d, costPer1000: d.costPer1000 ?? Number.NaN, cached: true };
  }
  const recorder = new RecordingCorrector(new LlmCorrector(llm, { purpose: 'baseline' }));
  const before = llm.ledger.records.length;
  const outputs = await runSystemCached(cacheDir, key, async () => recorder, set, reasonLanguage, onProgress);
  const records = llm.ledger.records.slice(before);
  const usage = llm.ledger.totals((r) => records.includes(r));
  const costPer1000 = usage.calls && usage.priced ? (usage.costUsd / usage.calls) * 1000 : Number.NaN;
  const corrections = set.inputs.map((t) => recorder.corrections.get(t) ?? { input: t, corrected: t, edits: [], reason: '', engine: llm.name, modelVersion: null });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(sidecar, JSON.stringify({ corrections, usage, costPer1000: Number.isNaN(costPer1000) ? null : costPer1000 }));
  return { outputs, corrections, usage, costPer1000, cached: false };
}

/**
 * Judges the explanations of `corrections` (the first `limit`), cached per (judge, corrections):
 * the same corrections are never judged twice by the same judge.
 */
export async function judgeCorrectionsCached(
  cacheDir: string,
  judge: LlmJudge,
  corrections: readonly Correction[],
  opts: { reasonLanguage: ReasonLanguage; references?: string[][]; limit?: number; onProgress?: (done: number, total: number) => void },
): Promise<JudgeSummary & { judgements: Judgement[] }> {
  const items = corrections.slice(0, opts.limit ?? corrections.length);
  const digest = sha256(JSON.stringify([judge.name, items.map((c) => [c.input, c.corrected, c.reason])])).slice(0, 16);
  const file = path.join(cacheDir, `judge-${safe(judge.name)}-${digest}.json`);
  let judgements: Judgement[];
  if (existsSync(file)) judgements = JSON.parse(readFileSync(file, 'utf8')) as Judgement[];
  else {
    judgements = [];
    for (const [i, c] of items.entries()) {
      judgements.push(
        await judge.judge({ source: c.input, corrected: c.corrected, edits: c.edits, reason: c.reason, reasonLanguage: opts.reasonLanguage, references: opts.references?.map((r) => r[i]) }),
      );
      opts.onProgress?.(i + 1, items.length);
    }
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, JSON.stringify(judgements));
  }
  return { ...summarizeJudgements(judgements), judgements };
}

/** Memory a model takes in Ollama (VRAM, else its loaded size), MiB; null when not loaded. */
export async function ollamaModelMemoryMb(host: string, model: string): Promise<number | null> {
  const ps = await ollamaClient(host).ps();
  const m = ps.models.find((x) => x.name === model || x.model === model);
  if (!m) return null;
  return Math.round((m.size_vram || m.size) / 2 ** 20);
}

/** This process's peak resident memory, MiB (for in-process engines such as Harper). */
export function processPeakMemoryMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// ── The side-by-side report ─────────────────────────────────────────────────────────────────────

export interface SystemRow {
  /** e.g. "candidate v4", "champion v3", "gpt-4o-mini", "harper". */
  name: string;
  role: 'candidate' | 'champion' | 'baseline' | 'harper' | 'other';
  gleu: number;
  gleuCi?: [number, number];
  /** Judge's explanation score in [0, 1]; null when not judged (metrics only). */
  explanationScore: number | null;
  latencyMsP50: number;
  latencyMsP95: number;
  /** Completion tokens per second; null for engines that are not token generators. */
  tokensPerSecond: number | null;
  peakMemoryMb: number | null;
  /** USD per 1,000 corrections: 0 on our own hardware (GPU hours not counted), null when unknown. */
  costPer1000: number | null;
}

interface Metric {
  key: keyof SystemRow;
  title: string;
  better: 'higher' | 'lower';
  fmt: (v: number) => string;
}

const METRICS: Metric[] = [
  { key: 'gleu', title: 'GLEU', better: 'higher', fmt: (v) => v.toFixed(4) },
  { key: 'explanationScore', title: 'Explanation score', better: 'higher', fmt: (v) => v.toFixed(3) },
  { key: 'latencyMsP50', title: 'Latency p50 (ms)', better: 'lower', fmt: (v) => v.toFixed(0) },
  { key: 'latencyMsP95', title: 'Latency p95 (ms)', better: 'lower', fmt: (v) => v.toFixed(0) },
  { key: 'tokensPerSecond', title: 'Tokens / s', better: 'higher', fmt: (v) => v.toFixed(1) },
  { key: 'peakMemoryMb', title: 'Peak memory (MiB)', better: 'lower', fmt: (v) => v.toFixed(0) },
  { key: 'costPer1000', title: 'Cost / 1,000 corrections (USD)', better: 'lower', fmt: (v) => `$${v.toFixed(4)}` },
];

export interface ReportInput {
  title: string;
  evalSet: { name: string; digest: string; sentences: number };
  systems: SystemRow[];
  /** Shown under the table (e.g. judge model, price table date). */
  notes?: string[];
  generatedAt?: Date;
}

export interface Report {
  markdown: string;
  svg: string;
  html: string;
}

const value = (r: SystemRow, k: keyof SystemRow) => {
  const v = r[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** The Vega-Lite spec: one bar chart per metric, systems side by side, colour by role. */
export function chartSpec(input: ReportInput): TopLevelSpec {
  const values = input.systems.flatMap((r) =>
    METRICS.map((m) => ({ system: r.name, role: r.role, metric: `${m.title} (${m.better} is better)`, value: value(r, m.key) })).filter((d) => d.value !== null),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title, subtitle: `${input.evalSet.name} (${input.evalSet.sentences} sentences, digest ${input.evalSet.digest})` },
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null, sort: METRICS.map((m) => `${m.title} (${m.better} is better)`) },
    columns: 4,
    spec: {
      width: 180,
      height: 140,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'system', type: 'nominal', title: null, sort: input.systems.map((s) => s.name), axis: { labelAngle: -30 } },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'role', type: 'nominal', title: 'system', scale: { domain: ['candidate', 'champion', 'baseline', 'harper', 'other'], range: ['#2f6fdf', '#2a9d8f', '#e76f51', '#8d99ae', '#b5838d'] } },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

/** SVG of the chart, rendered headless (no browser, no canvas). */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function reportMarkdown(input: ReportInput, svgFile = 'report.svg'): string {
  const best = new Map<keyof SystemRow, number>();
  for (const m of METRICS) {
    const vs = input.systems.map((r) => value(r, m.key)).filter((v): v is number => v !== null);
    if (vs.length > 1) best.set(m.key, m.better === 'higher' ? Math.max(...vs) : Math.min(...vs));
  }
  const cell = (r: SystemRow, m: Metric) => {
    const v = value(r, m.key);
    if (v === null) return 'n/a';
    let s = m.fmt(v);
    if (m.key === 'gleu' && r.gleuCi) s += ` [${r.gleuCi[0].toFixed(4)}, ${r.gleuCi[1].toFixed(4)}]`;
    return best.get(m.key) === v ? `**${s}**` : s;
  };
  const lines = [
    `# ${input.title}`,
    '',
    `Eval set **${input.evalSet.name}**: ${input.evalSet.sentences} sentences, digest \`${input.evalSet.digest}\`. Generated ${(input.generatedAt ?? new Date()).toISOString()}.`,
    '',
    `| system | ${METRICS.map((m) => `${m.title} ${m.better === 'higher' ? '↑' : '↓'}`).join(' | ')} |`,
    `| --- | ${METRICS.map(() => '---:').join(' | ')} |`,
    ...input.systems.map((r) => `| ${r.name} (${r.role}) | ${METRICS.map((m) => cell(r, m)).join(' | ')} |`),
    '',
    `![metrics](${svgFile})`,
    '',
    'Best value per column in bold; n/a: not measured for that system (explanation score: not judged; tokens/s: not a token generator; memory: remote API).',
    ...(input.notes?.length ? ['', ...input.notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  return lines.join('\n');
}

export async function sideBySideReport(input: ReportInput): Promise<Report> {
  const svg = await renderChartSvg(chartSpec(input));
  const markdown = reportMarkdown(input);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:1200px}pre{white-space:pre-wrap}</style></head>
<body>
${svg}
<pre>${esc(markdown)}</pre>
</body></html>
`;
  return { markdown, svg, html };
}

/** Writes report.md, report.svg and report.html into `dir`; returns their paths. */
export async function writeReport(dir: string, input: ReportInput): Promise<{ markdown: string; svg: string; html: string }> {
  const r = await sideBySideReport(input);
  mkdirSync(dir, { recursive: true });
  const files = { markdown: path.join(dir, 'report.md'), svg: path.join(dir, 'report.svg'), html: path.join(dir, 'report.html') };
  writeFileSync(files.markdown, r.markdown);
  writeFileSync(files.svg, r.svg);
  writeFileSync(files.html, r.html);
  return files;
}
