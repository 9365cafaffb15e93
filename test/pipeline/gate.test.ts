import { describe, expect, it } from 'vitest';
import { decideGate } from '../../contracts/gate';
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
