/**
 * Settings of the validate stage, validated with zod. Every field has a default, so
 * `ValidationConfigSchema.parse({})` is the default config and any subset may be given.
 */
import { z } from 'zod';
import { PATTERN_PII_TYPES, PII_TYPES } from './types';

const ratio = z.number().positive();

export const ValidationConfigSchema = z
  .object({
    tokens: z
      .object({
        /** Most o200k_base tokens in `awkward` and in `corrected`, each. */
        maxSentenceTokens: z.number().int().positive().default(128),
        /** Most tokens in `reason`. */
        maxReasonTokens: z.number().int().positive().default(256),
        /** Most tokens in the three fields together. */
        maxTotalTokens: z.number().int().positive().default(512),
      })
      .strict()
      .prefault({}),
    pii: z
      .object({
        /** `redact`: replace PII with typed placeholders and keep the sample; `reject`: reject it (it is redacted all the same). */
        policy: z.enum(['redact', 'reject']).default('redact'),
        /** PII types looked for (default: all but `person_name`, which is added for samples an LLM teacher wrote). */
        types: z.array(z.enum(PII_TYPES)).default([...PATTERN_PII_TYPES]),
      })
      .strict()
      .prefault({}),
    profanity: z
      .object({
        enabled: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    lengthRatio: z
      .object({
        /** Bounds of len(awkward) / len(corrected), in characters after trimming. */
        min: ratio.default(0.5),
        max: ratio.default(2),
      })
      .strict()
      .refine((r) => r.min <= r.max, 'lengthRatio.min must not exceed lengthRatio.max')
      .prefault({}),
    tooDifferent: z
      .object({
        /** Character-level edit distance / the longer length above which a pair may be "too different"… */
        maxEditRatio: z.number().min(0).max(1).default(0.5),
        /** …when the two also share less than this Dice overlap of words. */
        minWordOverlap: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .prefault({}),
    nearDuplicate: z
      .object({
        enabled: z.boolean().default(true),
        /** Cosine similarity at or above which a sample duplicates an earlier one. */
        threshold: z.number().min(0).max(1).default(0.95),
        /** Neighbours fetched per query (the sample itself may be one of them on a re-run). */
        neighbours: z.number().int().min(2).max(100).default(3),
        /** Texts per embedder call and vectors per vector-index request. */
        batchSize: z.number().int().min(1).max(5000).default(256),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ValidationConfig = z.output<typeof ValidationConfigSchema>;
export type ValidationConfigInput = z.input<typeof ValidationConfigSchema>;

export const DEFAULT_VALIDATION_CONFIG: ValidationConfig = ValidationConfigSchema.parse({});

/** Parses a config, throwing one readable error that lists every problem. */
export function parseValidationConfig(input: unknown = {}): ValidationConfig {
  const r = ValidationConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  throw new Error(`Invalid validation config: ${r.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
}
