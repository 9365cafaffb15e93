/**
 * Check `schema_invalid`: the candidate's shape and text hygiene, as a zod schema.
 * Non-empty strings after trimming, clean text (no control characters, nothing invalid UTF-8 left
 * behind), a known reason language and error types, and a reason in the language it claims:
 * a Korean reason must contain Hangul, an English one must not be mostly Hangul.
 */
import { z } from 'zod';
import { containsHangul, hangulShare, textProblem } from './text';
import { type CandidateSample, ERROR_TYPES, type RejectionReason } from './types';

/** Largest share of Hangul among the letters of an English reason. */
export const MAX_HANGUL_SHARE_IN_ENGLISH = 0.5;

const cleanText = (allowNewlines: boolean) =>
  z
    .string()
    .refine((s) => s.trim().length > 0, 'must not be empty or only whitespace')
    .superRefine((s, ctx) => {
      const problem = textProblem(s, allowNewlines);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** The triple's shape and text hygiene, without the reason-language rule. */
const CandidateShapeSchema = z.object({
  id: z.string().refine((s) => s.trim().length > 0, 'must not be empty or only whitespace'),
  awkward: cleanText(false),
  corrected: cleanText(false),
  reason: cleanText(true),
  reasonLanguage: z.enum(['ko', 'en']),
  errorTypes: z
    .array(z.enum(ERROR_TYPES))
    .min(1, 'must name at least one error type')
    .refine((a) => new Set(a).size === a.length, 'must not repeat an error type'),
});

/** Why `reason` is not in `language`, or null. */
export function reasonLanguageProblem(reason: string, language: 'ko' | 'en'): string | null {
  if (language === 'ko' && !containsHangul(reason)) return 'a Korean (ko) reason must contain Hangul';
  if (language === 'en' && hangulShare(reason) > MAX_HANGUL_SHARE_IN_ENGLISH) return 'an English (en) reason must not be mostly Hangul';
  return null;
}

/** A valid candidate triple (for use at other boundaries; `checkSchema` applies the same rules). */
export const CandidateSampleSchema = CandidateShapeSchema.superRefine((s, ctx) => {
  const problem = reasonLanguageProblem(s.reason, s.reasonLanguage);
  if (problem) ctx.addIssue({ code: 'custom', path: ['reason'], message: problem });
});

export type SchemaCheck = { ok: true; sample: CandidateSample; reasons: [] } | { ok: false; sample: CandidateSample; reasons: RejectionReason[] };

/**
 * Validates one candidate. Always returns a `sample` usable by later checks: on failure, a
 * best-effort copy with the string fields that were strings (others empty), so checks that only
 * need text can still run when `textUsable` is true.
 */
export function checkSchema(raw: unknown, fallbackId: string): SchemaCheck & { textUsable: boolean } {
  const r = CandidateShapeSchema.safeParse(raw);
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const reasons: RejectionReason[] = r.success
    ? []
    : r.error.issues.map((i) => {
        const field = i.path.map(String).join('.') || '(sample)';
        return { code: 'schema_invalid', field, detail: `${field}: ${i.message}` };
      });
  // The language rule runs on its own, so its issue is reported alongside the others.
  if (typeof o.reason === 'string' && (o.reasonLanguage === 'ko' || o.reasonLanguage === 'en')) {
    const problem = reasonLanguageProblem(o.reason, o.reasonLanguage);
    if (problem) reasons.push({ code: 'schema_invalid', field: 'reason', detail: `reason: ${problem}` });
  }
  if (r.success && !reasons.length) {
    const d = r.data;
    return { ok: true, textUsable: true, reasons: [], sample: { id: d.id, awkward: d.awkward, corrected: d.corrected, reason: d.reason, reasonLanguage: d.reasonLanguage, errorTypes: [...d.errorTypes] } };
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const sample: CandidateSample = {
    id: typeof o.id === 'string' && o.id.trim() ? o.id : fallbackId,
    awkward: str(o.awkward),
    corrected: str(o.corrected),
    reason: str(o.reason),
    reasonLanguage: o.reasonLanguage === 'en' ? 'en' : 'ko',
    errorTypes: Array.isArray(o.errorTypes) ? o.errorTypes.filter((t): t is string => typeof t === 'string') : [],
  };
  // Text checks make sense only when the three text fields are non-empty strings.
  const textUsable = [o.awkward, o.corrected, o.reason].every((v) => typeof v === 'string' && v.trim().length > 0);
  return { ok: false, textUsable, reasons, sample };
}
