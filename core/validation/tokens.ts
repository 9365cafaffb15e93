/**
 * Check `too_many_tokens`: token counts with the real o200k_base BPE (the encoding GPT-4o uses),
 * per field and in total, against configurable limits.
 */
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import type { ValidationConfig } from './config';
import type { CandidateSample, RejectionReason, TokenCounts } from './types';

// Text that happens to spell a special token ("<|endoftext|>") is counted as ordinary text.
const PLAIN = { disallowedSpecial: new Set<string>() };

/** o200k_base tokens in `text`. */
export function countTokens(text: string): number {
  return countO200k(text, PLAIN);
}

export function sampleTokens(s: Pick<CandidateSample, 'awkward' | 'corrected' | 'reason'>): TokenCounts {
  const awkward = countTokens(s.awkward);
  const corrected = countTokens(s.corrected);
  const reason = countTokens(s.reason);
  return { awkward, corrected, reason, total: awkward + corrected + reason };
}

export function checkTokens(t: TokenCounts, limits: ValidationConfig['tokens']): RejectionReason[] {
  const out: RejectionReason[] = [];
  const over = (field: keyof TokenCounts, n: number, max: number) => {
    if (n > max) out.push({ code: 'too_many_tokens', field, detail: `${field}: ${n} tokens > ${max}` });
  };
  over('awkward', t.awkward, limits.maxSentenceTokens);
  over('corrected', t.corrected, limits.maxSentenceTokens);
  over('reason', t.reason, limits.maxReasonTokens);
  over('total', t.total, limits.maxTotalTokens);
  return out;
}
