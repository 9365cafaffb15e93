/**
 * The explanation judge: an LLM grades a correction's explanation edit by edit with a rubric.
 *
 * For each edit (the diff of input → output, so the judge sees exactly what changed):
 *   covered         the explanation explains this edit;
 *   correct         the edit fixes a real error or clearly improves the sentence;
 *   wrongErrorType  the explanation (or the edit's type label) names the wrong kind of error.
 * And for the whole explanation:
 *   hallucinated    changes the explanation describes that were not made (each one listed).
 *
 * Scores of one correction:
 *   explanationScore = #(covered ∧ ¬wrongErrorType) / (#edits + #hallucinated)
 *                      (no edits: 1 when the explanation claims no change, else 0)
 *   correctness      = #correct / #edits (1 with no edits; about the correction, not the explanation)
 * and over a set, their means plus the rates of each rubric item.
 */
import { z } from 'zod';
import type { Edit, ReasonLanguage } from '../../core/engines/types';
import type { Llm } from './llm';

export interface JudgeInput {
  source: string;
  corrected: string;
  edits: Pick<Edit, 'before' | 'after' | 'type'>[];
  /** The explanation being judged. */
  reason: string;
  reasonLanguage: ReasonLanguage;
  /** Reference corrections, when the eval set has them (help the judge decide `correct`). */
  references?: string[];
}

export interface EditVerdict {
  covered: boolean;
  correct: boolean;
  wrongErrorType: boolean;
}

export interface Judgement {
  edits: EditVerdict[];
  hallucinated: string[];
  explanationScore: number;
  correctness: number;
}

const VerdictSchema = z.strictObject({
  index: z.number().int().describe('the edit number, from 1'),
  covered: z.boolean(),
  correct: z.boolean(),
  wrongErrorType: z.boolean(),
});

function replySchema(n: number) {
  return z
    .strictObject({
      edits: z.array(VerdictSchema),
      hallucinated: z.array(z.string()).describe('changes the explanation describes that were not made'),
      claimsNoChange: z.boolean().describe('the explanation says nothing needed changing'),
    })
    .refine((r) => r.edits.length === n && r.edits.every((e, i) => e.index === i + 1), {
      message: `edits must list exactly ${n} verdict${n === 1 ? '' : 's'}, numbered 1..${n} in order`,
    });
}

const SYSTEM = `You grade explanations of English grammar corrections. You get the original sentence, the corrected sentence, the numbered list of edits (exactly what changed) and the explanation a system gave (in Korean or English).
For each edit decide:
- covered: the explanation explains this edit (mentions the change or its reason);
- correct: the edit fixes a real error or clearly improves the sentence (compare with the references when given);
- wrongErrorType: the explanation or the edit's type label names the wrong kind of error (e.g. calls a tense fix an article fix).
Also list under "hallucinated" every change the explanation describes that is not among the edits, and set claimsNoChange when the explanation says no change was needed.
Reply with JSON only.`;

export function judgeMessages(input: JudgeInput) {
  const edits = input.edits.length
    ? input.edits.map((e, i) => `${i + 1}. '${e.before}' → '${e.after}' (type: ${e.type})`).join('\n')
    : '(no edits: the sentence was left unchanged)';
  const refs = input.references?.length ? `\nReferences:\n${input.references.map((r) => `- ${r}`).join('\n')}` : '';
  return [
    { role: 'system' as const, content: SYSTEM },
    {
      role: 'user' as const,
      content: `Original: ${input.source}\nCorrected: ${input.corrected}\nEdits:\n${edits}${refs}\nExplanation (${input.reasonLanguage === 'ko' ? 'Korean' : 'English'}): ${input.reason || '(empty)'}`,
    },
  ];
}

/** The scores of one correction from the rubric answers (see the file comment). */
export function scoreJudgement(edits: EditVerdict[], hallucinated: string[], claimsNoChange: boolean): Judgement {
  const n = edits.length;
  const good = edits.filter((e) => e.covered && !e.wrongErrorType).length;
  const explanationScore = n === 0 ? (claimsNoChange && !hallucinated.length ? 1 : 0) : good / (n + hallucinated.length);
  const correctness = n === 0 ? 1 : edits.filter((e) => e.correct).length / n;
  return { edits, hallucinated, explanationScore, correctness };
}

export class LlmJudge {
  constructor(readonly llm: Llm, private readonly opts: { signal?: AbortSignal } = {}) {}

  get name(): string {
    return this.llm.name;
  }

  async judge(input: JudgeInput): Promise<Judgement> {
    const r = await this.llm.structured(replySchema(input.edits.length), 'explanation_judgement', judgeMessages(input), {
      purpose: 'judge',
      temperature: 0,
      seed: 0,
      signal: this.opts.signal,
    });
    return scoreJudgement(
      r.value.edits.map(({ covered, correct, wrongErrorType }) => ({ covered, correct, wrongErrorType })),
      r.value.hallucinated,
      r.value.claimsNoChange,
    );
  }
}

export interface JudgeSummary {
  judged: number;
  edits: number;
  explanationScore: number;
  correctness: number;
  coveredRate: number;
  correctRate: number;
  wrongErrorTypeRate: number;
  /** Hallucinated changes per judged correction. */
  hallucinationsPerCorrection: number;
}

export function summarizeJudgements(js: readonly Judgement[]): JudgeSummary {
  const all = js.flatMap((j) => j.edits);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const rate = (f: (e: EditVerdict) => boolean) => (all.length ? all.filter(f).length / all.length : 0);
  return {
    judged: js.length,
    edits: all.length,
    explanationScore: mean(js.map((j) => j.explanationScore)),
    correctness: mean(js.map((j) => j.correctness)),
    coveredRate: rate((e) => e.covered),
    correctRate: rate((e) => e.correct),
    wrongErrorTypeRate: rate((e) => e.wrongErrorType),
    hallucinationsPerCorrection: js.length ? js.reduce((a, j) => a + j.hallucinated.length, 0) / js.length : 0,
  };
}
