/**
 * Evaluation against an LLM baseline: outputs cached per (model, eval-set digest) with their
 * corrections and usage, judged explanations cached per judge, and the side-by-side report
 * (Markdown table + Vega-Lite SVG chart + HTML).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldoutEvalSet, evalSetDigest, scoreSystem } from '../../core/eval/evaluate';
import { judgeCorrectionsCached, processPeakMemoryMb, runBaselineCached, type SystemRow, writeReport, sideBySideReport } from '../../adapters/providers/compare';
import { LlmJudge } from '../../adapters/providers/judge';
import { Llm } from '../../adapters/providers/llm';
import { OpenAIBackend } from '../../adapters/providers/openai';
import { FakeLlmServer } from './fake-llm-server';

const pairs = [
  { awkward: 'She go to school every day.', corrected: 'She goes to school every day.' },
  { awkward: 'He is good in math.', corrected: 'He is good at math.' },
  { awkward: 'We discussed about the plan.', corrected: 'We discussed the plan.' },
];

describe('evaluation against an LLM baseline', () => {
  const server = new FakeLlmServer();
  let url: string;
  let cache: string;
  beforeAll(async () => {
    url = await server.start();
    cache = mkdtempSync(path.join(os.tmpdir(), 'correctly-baseline-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(cache, { recursive: true, force: true });
  });
  const llm = () => new Llm(new OpenAIBackend({ apiKey: 'sk-test', baseURL: `${url}/v1`, model: 'gpt-4o-mini' }));
  const set = heldoutEvalSet('heldout-test', pairs);

  it('runs the baseline once per eval-set digest, keeping corrections and usage', async () => {
    // inputs, then the already-correct sentences (for the no-change rate)
    server.push(
      { kind: 'reply', content: JSON.stringify({ corrected: 'She goes to school every day.', reason: "'go' → 'goes'" }), promptTokens: 120, completionTokens: 30 },
      { kind: 'reply', content: JSON.stringify({ corrected: 'He is good at math.', reason: "'in' → 'at'" }), promptTokens: 120, completionTokens: 30 },
      { kind: 'reply', content: JSON.stringify({ corrected: 'We discussed about the plan.', reason: '' }), promptTokens: 120, completionTokens: 30 },
      ...pairs.map((p) => ({ kind: 'reply' as const, content: JSON.stringify({ corrected: p.corrected, reason: '' }), promptTokens: 100, completionTokens: 20 })),
    );
    const first = await runBaselineCached(cache, llm(), set, 'ko');
    expect(first.cached).toBe(false);
    expect(server.requests).toHaveLength(6);
    expect(first.outputs.outputs).toEqual(['She goes to school every day.', 'He is good at math.', 'We discussed about the plan.']);
    expect(first.corrections[1]).toMatchObject({ corrected: 'He is good at math.', reason: "'in' → 'at'", edits: [expect.objectContaining({ before: 'in', after: 'at' })] });
    expect(first.usage).toMatchObject({ calls: 6, promptTokens: 660, completionTokens: 150 });
    expect(first.costPer1000).toBeCloseTo(((660 * 0.15 + 150 * 0.6) / 1e6 / 6) * 1000, 9);

    const again = await runBaselineCached(cache, llm(), set, 'ko');
    expect(again.cached).toBe(true);
    expect(server.requests).toHaveLength(6); // nothing paid twice
    expect(again.outputs).toEqual(first.outputs);
    expect(again.corrections).toEqual(first.corrections);
    expect(again.costPer1000).toBeCloseTo(first.costPer1000, 12);
    const m = scoreSystem(set, again.outputs);
    expect(m.gleu).toBeGreaterThan(0.5);

    // a different eval set is a different cache entry
    server.requests.length = 0;
    server.push({ kind: 'reply', content: JSON.stringify({ corrected: 'Fine.', reason: '' }) }, { kind: 'reply', content: JSON.stringify({ corrected: 'Fine.', reason: '' }) });
    const other = heldoutEvalSet('other', [{ awkward: 'Fine.', corrected: 'Fine.' }]);
    expect(evalSetDigest(other)).not.toBe(evalSetDigest(set));
    expect((await runBaselineCached(cache, llm(), other, 'ko')).cached).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('judges the explanations once per judge and corrections', async () => {
    server.requests.length = 0;
    const run = await runBaselineCached(cache, llm(), set, 'ko');
    const v = (n: number, covered: boolean) => ({ edits: Array.from({ length: n }, (_, i) => ({ index: i + 1, covered, correct: true, wrongErrorType: false })), hallucinated: [], claimsNoChange: n === 0 });
    server.push(...run.corrections.map((c, i) => ({ kind: 'reply' as const, content: JSON.stringify(v(c.edits.length, i === 0)) })));
    const judge = new LlmJudge(llm());
    const s = await judgeCorrectionsCached(cache, judge, run.corrections, { reasonLanguage: 'ko', references: set.references });
    expect(s).toMatchObject({ judged: 3, edits: 2, coveredRate: 0.5 });
    expect(s.explanationScore).toBeCloseTo((1 + 0 + 1) / 3);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0].body.messages[1].content).toContain('References:\n- She goes to school every day .');
    const again = await judgeCorrectionsCached(cache, judge, run.corrections, { reasonLanguage: 'ko' });
    expect(again.explanationScore).toBe(s.explanationScore);
    expect(server.requests).toHaveLength(3);
  });

  it('writes the side-by-side report: table, SVG chart, HTML', async () => {
    const systems: SystemRow[] = [
      { name: 'candidate v4', role: 'candidate', gleu: 0.5123, gleuCi: [0.49, 0.53], explanationScore: 0.81, latencyMsP50: 120, latencyMsP95: 300, tokensPerSecond: 85.2, peakMemoryMb: 2300, costPer1000: 0 },
      { name: 'champion v3', role: 'champion', gleu: 0.5011, explanationScore: 0.78, latencyMsP50: 118, latencyMsP95: 290, tokensPerSecond: 86, peakMemoryMb: 2300, costPer1000: 0 },
      { name: 'gpt-4o-mini', role: 'baseline', gleu: 0.5402, explanationScore: 0.9, latencyMsP50: 800, latencyMsP95: 1900, tokensPerSecond: 60.5, peakMemoryMb: null, costPer1000: 0.0525 },
      { name: 'harper', role: 'harper', gleu: 0.4514, explanationScore: null, latencyMsP50: 3, latencyMsP95: 9, tokensPerSecond: null, peakMemoryMb: processPeakMemoryMb(), costPer1000: 0 },
    ];
    const input = { title: 'Candidate vs champion vs GPT-4o-mini vs Harper', evalSet: { name: 'jfleg-dev', digest: 'abc123', sentences: 754 }, systems, notes: ['judge: gpt-4o-mini (rubric per edit)', 'gpt-4o-mini prices checked 2025-06-01'] };
    const r = await sideBySideReport(input);
    expect(r.markdown).toContain('| candidate v4 (candidate) | 0.5123 [0.4900, 0.5300] | 0.810 | 120 | 300 | 85.2 | 2300 | **$0.0000** |');
    expect(r.markdown).toContain('| gpt-4o-mini (baseline) | **0.5402** | **0.900** |');
    expect(r.markdown).toMatch(/\| harper \(harper\) \| 0\.4514 \| n\/a \| \*\*3\*\* \| \*\*9\*\* \| n\/a \|/);
    expect(r.svg.startsWith('<svg')).toBe(true);
    for (const label of ['GLEU (higher is better)', 'Latency p95 (ms) (lower is better)', 'Cost / 1,000 corrections (USD) (lower is better)', 'gpt-4o-mini', 'harper']) expect(r.svg).toContain(label);
    expect((r.svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? []).length).toBe(4 + 3 + 4 + 4 + 3 + 3 + 4);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-report-'));
    try {
      const files = await writeReport(dir, input);
      expect(readFileSync(files.html, 'utf8')).toContain('<svg');
      expect(readFileSync(files.markdown, 'utf8')).toContain('![metrics](report.svg)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
