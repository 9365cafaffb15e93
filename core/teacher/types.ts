/** The teacher port: turns a clean sentence (+ one-shot context) into a training triple. */
import { z } from 'zod';
import { ERROR_TYPES } from '../validation/types';

export const TeacherRequestSchema = z.object({
  text: z.string().min(1),
  form: z.string(),
  tone: z.string(),
  example: z.object({ awkward: z.string(), corrected: z.string(), reason: z.string(), errorTypes: z.array(z.string()) }),
  reasonLanguage: z.enum(['ko', 'en']),
  seed: z.number().int(),
  prompt: z.string(),
});
export type TeacherRequest = z.infer<typeof TeacherRequestSchema>;

/** Also validates LLM teacher output. */
export const TeacherTripleSchema = z.object({
  awkward: z.string().trim().min(1),
  corrected: z.string().trim().min(1),
  reason: z.string().trim().min(1),
  reasonLanguage: z.enum(['ko', 'en']),
  errorTypes: z.array(z.enum(ERROR_TYPES)).min(1),
});
export type TeacherTriple = z.infer<typeof TeacherTripleSchema>;

export interface Teacher {
  readonly name: string;
  generate(req: TeacherRequest): Promise<TeacherTriple | null>;
}
