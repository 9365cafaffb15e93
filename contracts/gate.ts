/**
 * The promotion gate: a pure function of the evaluation, so the workflow's decision is
 * deterministic, replayable and unit-testable.
 *
 * `decideGateBySignificance` (pipelines since the significance gate): promote only a candidate
 * that is better than the champion (or, before the first champion, the base ensemble): the
 * paired-bootstrap 95% interval of the GLEU difference lies above 0 on at least one eval set, and
 * no set shows a significant regression (an interval below 0). A tie keeps the champion, and the
 * reason says "no significant improvement" with the intervals. Values are compared exactly; four
 * decimals appear only in the text. It also keeps the floor on unchanged correct sentences.
 *
 * `decideGate` is the gate before it (candidate ≥ reference on JFLEG dev), kept so histories of
 * earlier pipelines replay.
 */
import type { EvaluationResult, GateDecision, PipelineParams, SetComparison } from './pipeline';

const f4 = (x: number) => x.toFixed(4);
/** A GLEU difference or interval bound as text: sign always shown, four decimals ("+0.0123", "−0.0045"). */
export const signed = (x: number) => `${x >= 0 ? '+' : '−'}${f4(Math.abs(x))}`;
/** "JFLEG dev: Δ +0.0123, 95% CI [+0.0045, +0.0201] vs champion v3 (754 sentences)". */
export function describeComparison(c: SetComparison): string {
  return `${c.label}: Δ ${signed(c.delta)}, 95% CI [${signed(c.ci[0])}, ${signed(c.ci[1])}] vs ${c.reference} (${c.sentences} sentences)`;
}

export function decideGateBySignificance(ev: EvaluationResult, gate: PipelineParams['gate']): GateDecision {
  const comparisons = ev.comparisons ?? [];
  const better = comparisons.filter((c) => c.ci[0] > 0 && c.delta >= gate.minGleuDelta);
  const worse = comparisons.filter((c) => c.ci[1] < 0);
  const reasons: string[] = [];
  let promote: boolean;
  if (worse.length) {
    promote = false;
    reasons.push(`significant regression on ${worse.map(describeComparison).join('; ')}`);
  } else if (better.length) {
    promote = true;
    reasons.push(`significant improvement on ${better.map(describeComparison).join('; ')}`);
  } else if (gate.promoteWhen === 'no-significant-regression' && comparisons.length) {
    promote = true;
    reasons.push(`no significant regression (promoteWhen: no-significant-regression): ${comparisons.map(describeComparison).join('; ')}`);
  } else {
    promote = false;
    reasons.push(`no significant improvement: ${comparisons.length ? comparisons.map(describeComparison).join('; ') : 'nothing was compared'}${gate.minGleuDelta ? ` (a gain must also be ≥ ${gate.minGleuDelta})` : ''}`);
  }
  for (const c of comparisons) if (!better.includes(c) && !worse.includes(c) && promote) reasons.push(`no significant change on ${describeComparison(c)}`);
  const noChange = ev.candidate.heldout.noChangeRate;
  if (noChange >= gate.minNoChangeRate) {
    reasons.push(`leaves ${(noChange * 100).toFixed(1)}% of correct sentences unchanged (≥ ${(gate.minNoChangeRate * 100).toFixed(0)}%)`);
  } else {
    promote = false;
    reasons.push(`changes too many correct sentences: only ${(noChange * 100).toFixed(1)}% left unchanged (< ${(gate.minNoChangeRate * 100).toFixed(0)}%)`);
  }
  return { promote, reasons };
}

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
