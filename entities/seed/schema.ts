/** zod schemas of the seed files, so a bad edit to them fails loudly at load time. */
import { z } from 'zod';
import { ERROR_TYPES } from '../../core/validation/types';

export const FORMS = ['email', 'chat', 'essay', 'interview_answer', 'report', 'social_post', 'cover_letter'] as const;
export const TONES = ['neutral', 'positive', 'negative', 'formal', 'casual'] as const;

export function lengthBucketOf(text: string): 'short' | 'medium' | 'long' {
  const n = text.trim().split(/\s+/).length;
  return n <= 10 ? 'short' : n <= 20 ? 'medium' : 'long';
}

export const SeedTextSchema = z
  .object({
    text: z.string().min(3),
    form: z.enum(FORMS),
    tone: z.enum(TONES),
    lengthBucket: z.enum(['short', 'medium', 'long']),
    language: z.string().min(2),
    task: z.string().min(2),
  })
  .refine((t) => t.lengthBucket === lengthBucketOf(t.text), { message: 'lengthBucket does not match the word count' });

export const SeedScriptSchema = z.object({
  name: z.string().min(1),
  style: z.string().min(1),
  keyExpressions: z.array(z.string().min(1)).min(1),
  speaker: z.object({ role: z.string(), level: z.string(), nativeLanguage: z.string() }),
});

export const SeedExampleSchema = z.object({
  awkward: z.string().min(3),
  corrected: z.string().min(3),
  reasonKo: z.string().regex(/[\uac00-\ud7a3]/, 'reasonKo must be Korean'),
  reasonEn: z.string().min(3),
  errorTypes: z.array(z.enum(ERROR_TYPES)).min(1),
  form: z.enum(FORMS),
  tone: z.enum(TONES),
});

export const SeedTemplateSchema = z.object({
  name: z.string().min(1),
  version: z.number().int().min(1),
  language: z.string(),
  task: z.string(),
  body: z.string().includes('{form_form}').includes('{mapping_emotion_form_tone}').includes('{example_example}'),
});

export type SeedText = z.infer<typeof SeedTextSchema>;
export type SeedScript = z.infer<typeof SeedScriptSchema>;
export type SeedExample = z.infer<typeof SeedExampleSchema>;
export type SeedTemplate = z.infer<typeof SeedTemplateSchema>;
