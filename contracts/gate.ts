/**
 * The promotion gate: a pure function of the evaluation, so the workflow's decision is
 * deterministic, replayable and unit-testable.
 */
import type { EvaluationResult, GateDecision, PipelineParams } from './pipeline';

export function decideGate(ev: EvaluationResult, gate: PipelineParams['gate']): GateDecision {
  const reasons: string[] = [];
  let promote = true;
  const ref = ev.champion ?? ev.harper;
  const refName = ev.champion ? `champion v${ev.champion.modelVersion}` : 'Harper alone';
  const fmt = (x: number) => x.toFixed(4);

  const need = ref.jfleg.gleu + gate.minGleuDelta;
  if (ev.candidate.jfleg.gleu + 1e-9 >= need) {
    reasons.push(`JFLEG dev GLEU ${fmt(ev.candidate.jfleg.gleu)} ≥ ${refName} ${fmt(ref.jfleg.gleu)}${gate.minGleuDelta ? ` + ${gate.minGleuDelta}` : ''}`);
  } else {
    promote = false;
    reasons.push(`JFLEG dev GLEU ${fmt(ev.candidate.jfleg.gleu)} < ${refName} ${fmt(ref.jfleg.gleu)}${gate.minGleuDelta ? ` + ${gate.minGleuDelta}` : ''}`);
  }
  if (ev.candidate.heldout.noChangeRate + 1e-9 >= gate.minNoChangeRate) {
    reasons.push(`leaves ${(ev.candidate.heldout.noChangeRate * 100).toFixed(1)}% of correct sentences unchanged (≥ ${(gate.minNoChangeRate * 100).toFixed(0)}%)`);
  } else {
    promote = false;
    reasons.push(`changes too many correct sentences: only ${(ev.candidate.heldout.noChangeRate * 100).toFixed(1)}% left unchanged (< ${(gate.minNoChangeRate * 100).toFixed(0)}%)`);
  }
  return { promote, reasons };
}
