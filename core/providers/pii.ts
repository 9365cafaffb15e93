/** PII redaction for outgoing prompts: core/validation's redactPii, counted. */
import { redactPii } from '../validation/pii';

export function redactText(text: string): { text: string; redactions: number } {
  const r = redactPii(text);
  return { text: r.text, redactions: r.redactions.length };
}
