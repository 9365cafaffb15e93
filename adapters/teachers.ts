/**
 * Teachers by backend name, with one result shape for the generate stage: a triple, a skip (the
 * teacher found nothing to do with the sentence), or invalid output kept for the record. The LLM
 * teachers come from the providers (./providers), created for the config the caller passes.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import { NoiseTeacher } from '../core/teacher/noise';
import { type Teacher, type TeacherRequest, type TeacherTriple, TeacherTripleSchema } from '../core/teacher/types';
import { createLlmTeacher } from './providers/index';

export type TeacherBackendName = 'noise' | 'openai' | 'ollama';

export type GenerationResult =
  | { kind: 'ok'; triple: TeacherTriple; tokens?: { prompt: number; completion: number } }
  | { kind: 'skipped'; reason: string }
  | { kind: 'invalid'; raw: string; error: string; tokens?: { prompt: number; completion: number } };

export interface GeneratingTeacher {
  readonly name: string;
  generate(req: TeacherRequest): Promise<GenerationResult>;
}

/** Wraps a Teacher: its output is validated against the triple schema before it is kept. */
export function asGenerating(teacher: Teacher): GeneratingTeacher {
  return {
    name: teacher.name,
    async generate(req) {
      const out = await teacher.generate(req);
      if (out === null) return { kind: 'skipped', reason: 'no applicable error' };
      const r = TeacherTripleSchema.safeParse(out);
      if (!r.success) return { kind: 'invalid', raw: JSON.stringify(out), error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      if (r.data.corrected.trim() !== req.text.trim()) return { kind: 'invalid', raw: JSON.stringify(out), error: 'corrected side differs from the clean sentence' };
      return { kind: 'ok', triple: r.data };
    },
  };
}

export function createTeacher(name: TeacherBackendName, config: Config): GeneratingTeacher {
  if (name === 'noise') return asGenerating(new NoiseTeacher());
  if (name === 'openai' && !config.openaiApiKey) throw ApplicationFailure.nonRetryable('teacher "openai" needs OPENAI_API_KEY', 'InvalidInput');
  if (name === 'ollama' && !config.ollamaHost) throw ApplicationFailure.nonRetryable('teacher "ollama" needs OLLAMA_HOST', 'InvalidInput');
  return asGenerating(createLlmTeacher(name, config));
}
