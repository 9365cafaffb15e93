/**
 * PII redaction for outgoing prompts: core/validation's redactPii, counted. Whatever is sent to an
 * LLM (teacher, judge, corrector, baseline) loses every PII pattern and the names of people.
 */
import { type DetectOptions, redactPii } from '../../core/validation/pii';
import { PII_TYPES } from '../../core/validation/types';

export const LLM_PII: DetectOptions = { types: PII_TYPES };

export function redactText(text: string): { text: string; redactions: number } {
  const r = redactPii(text, LLM_PII);
  return { text: r.text, redactions: r.redactions.length };
}
