import { describe, expect, it } from 'vitest';
import { decideGate, decideGateBySignificance } from '../../contracts/gate';
import { parsePipelineInput, type EvalMetrics, type EvaluationResult, type SystemEval } from '../../contracts/pipeline';

const metrics = (gleu: number, noChangeRate = 0.95): EvalMetrics => ({ gleu, gleuStd: 0.01, gleuCi: [gleu - 0.02, gleu + 0.02], noChangeRate, overCorrectionRate: 0, latencyMsP50: 10, latencyMsP95: 20, sentences: 754 });
const system = (engine: string, version: string | null, jfleg: number, noChange = 0.95): SystemEval => ({ engine, modelVersion: version, heldout: metrics(0.6, noChange), jfleg: metrics(jfleg) });
const evaluation = (candidate: SystemEval, champion: SystemEval | null): EvaluationResult => ({
  candidate, champion, harper: system('harper', null, 0.4514),
  comparison: { reference: champion ? 'champion' : 'harper', delta: 0, ci: [0, 0], pBetter: 0 }, reportPath: '/tmp/r.json',
});
const gate = (g: object = {}) => {
  const p = parsePipelineInput({ gate: g });
  if (!p.ok) throw new Error(p.error);
  return p.value.gate;
};

describe('promotion gate', () => {
  it('promotes a first candidate at least as good as Harper alone', () => {
    const d = decideGate(evaluation(system('rules', '1', 0.4521), null), gate());
    expect(d.promote).toBe(true);
    expect(d.reasons[0]).toBe('JFLEG dev GLEU 0.4521 ≥ Harper alone 0.4514');
  });

  it('refuses a candidate that scores lower than the champion', () => {
    const d = decideGate(evaluation(system('rules', '2', 0.4490), system('rules', '1', 0.4521)), gate());
    expect(d.promote).toBe(false);
    expect(d.reasons[0]).toBe('JFLEG dev GLEU 0.4490 < champion v1 0.4521');
  });

  it('refuses a candidate that rewrites correct sentences, whatever its GLEU', () => {
    const d = decideGate(evaluation(system('rules', '2', 0.47, 0.5), system('rules', '1', 0.4521)), gate());
    expect(d.promote).toBe(false);
    expect(d.reasons[1]).toMatch(/changes too many correct sentences: only 50\.0% left unchanged/);
  });

  it('applies the configured margin', () => {
    expect(decideGate(evaluation(system('rules', '2', 0.4530), system('rules', '1', 0.4521)), gate({ minGleuDelta: 0.005 })).promote).toBe(false);
    expect(decideGate(evaluation(system('rules', '2', 0.4580), system('rules', '1', 0.4521)), gate({ minGleuDelta: 0.005 })).promote).toBe(true);
  });
});

describe('pipeline input', () => {
  it('fills defaults', () => {
    const p = parsePipelineInput({});
    expect(p.ok && p.value).toMatchObject({ samples: 600, reasonLanguage: 'ko', backends: { teacher: 'noise', trainer: 'rules' } });
  });
  it('names each bad field', () => {
    const p = parsePipelineInput({ samples: 5, reasonLanguage: 'fr', backends: { teacher: 'gpt5' }, extra: 1 });
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.error).toContain('samples: at least 10 samples');
      expect(p.error).toMatch(/reasonLanguage: .*"ko"/);
      expect(p.error).toMatch(/backends\.teacher: .*"noise"/);
      expect(p.error).toMatch(/Unrecognized key.*"extra"/);
    }
  });
});

describe('significance gate (paired bootstrap on every eval set)', () => {
  const cmp = (set: 'jfleg' | 'heldout' | 'feedback', delta: number, ci: [number, number]) => ({
    set, label: { jfleg: 'JFLEG dev', heldout: 'held-out split', feedback: 'held-out feedback' }[set], sentences: 100, reference: 'champion v1',
    candidateGleu: 0.5 + delta, referenceGleu: 0.5, delta, ci, pBetter: 0.5,
  });
  const withComparisons = (...comparisons: ReturnType<typeof cmp>[]): EvaluationResult => ({ ...evaluation(system('ensemble', '2', 0.47), system('ensemble', '1', 0.47)), comparisons });

  it('promotes when one set improves significantly and none regresses', () => {
    const d = decideGateBySignificance(withComparisons(cmp('jfleg', 0.0002, [-0.001, 0.0015]), cmp('feedback', 0.21, [0.12, 0.3])), gate());
    expect(d.promote).toBe(true);
    expect(d.reasons[0]).toBe('significant improvement on held-out feedback: Δ +0.2100, 95% CI [+0.1200, +0.3000] vs champion v1 (100 sentences)');
    expect(d.reasons[1]).toBe('no significant change on JFLEG dev: Δ +0.0002, 95% CI [−0.0010, +0.0015] vs champion v1 (100 sentences)');
  });

  it('refuses a tie as "no significant improvement", with the intervals, even when the point estimate is higher', () => {
    const d = decideGateBySignificance(withComparisons(cmp('jfleg', 0.00003, [-0.0004, 0.0005]), cmp('heldout', 0, [0, 0])), gate());
    expect(d.promote).toBe(false);
    expect(d.reasons[0]).toBe('no significant improvement: JFLEG dev: Δ +0.0000, 95% CI [−0.0004, +0.0005] vs champion v1 (100 sentences); held-out split: Δ +0.0000, 95% CI [+0.0000, +0.0000] vs champion v1 (100 sentences)');
  });

  it('compares exact values: a lower bound of 0 is not above 0, a difference that prints as 0.0000 still counts', () => {
    expect(decideGateBySignificance(withComparisons(cmp('jfleg', 0.001, [0, 0.002])), gate()).promote).toBe(false);
    expect(decideGateBySignificance(withComparisons(cmp('jfleg', 0.00004, [0.00001, 0.00008])), gate()).promote).toBe(true);
  });

  it('refuses a significant regression on any set, whatever the gains elsewhere', () => {
    const d = decideGateBySignificance(withComparisons(cmp('jfleg', 0.02, [0.01, 0.03]), cmp('heldout', -0.05, [-0.08, -0.02])), gate());
    expect(d.promote).toBe(false);
    expect(d.reasons[0]).toMatch(/^significant regression on held-out split: Δ −0\.0500/);
  });

  it('keeps the floor on unchanged correct sentences and the configured margin', () => {
    const low: EvaluationResult = { ...withComparisons(cmp('jfleg', 0.02, [0.01, 0.03])), candidate: system('ensemble', '2', 0.49, 0.5) };
    expect(decideGateBySignificance(low, gate()).promote).toBe(false);
    expect(decideGateBySignificance(withComparisons(cmp('jfleg', 0.004, [0.001, 0.007])), gate({ minGleuDelta: 0.005 })).promote).toBe(false);
  });

  it('promoteWhen "no-significant-regression" (machinery runs) promotes a tie, still refuses a significant regression', () => {
    const lenient = gate({ promoteWhen: 'no-significant-regression' });
    const tie = decideGateBySignificance(withComparisons(cmp('jfleg', -0.001, [-0.004, 0.002])), lenient);
    expect(tie.promote).toBe(true);
    expect(tie.reasons[0]).toMatch(/^no significant regression \(promoteWhen: no-significant-regression\): JFLEG dev: Δ −0\.0010/);
    expect(decideGateBySignificance(withComparisons(cmp('jfleg', -0.01, [-0.02, -0.001])), lenient).promote).toBe(false);
  });
});
