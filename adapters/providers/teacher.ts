/**
 * An LLM (OpenAI or Ollama) as the teacher that generates training triples: it gets the prompt
 * rendered from the stored template ({form_form}, {mapping_emotion_form_tone}, {example_example}
 * filled by core/teacher) and answers {awkward, corrected, reason, errorTypes} under a JSON schema.
 * The prompt is redacted and token-checked by Llm before it is sent; a reply whose awkward sentence
 * equals its correction is re-asked; when the re-asks are spent the sentence is skipped (null).
 *
 * The corrected side must be the clean sentence given (the generate stage checks it too).
 */
import { z } from 'zod';
import type { Teacher, TeacherRequest, TeacherTriple } from '../../core/teacher/types';
import { ERROR_TYPES } from '../../core/validation/types';
import { MalformedOutputError } from '../../core/engines/provider-errors';
import type { Llm } from './llm';

export const TeacherReplySchema = z.strictObject({
  awkward: z.string().describe('the sentence as a learner might write it, with one to three natural errors'),
  corrected: z.string().describe('the natural, correct sentence'),
  reason: z.string().describe('why each change was made, in the requested language'),
  errorTypes: z.array(z.enum(ERROR_TYPES)).describe('the kinds of error in the awkward sentence'),
});

const SYSTEM = {
  ko: 'You write training data for an English writing tutor for Korean learners. Follow the instructions, then reply with JSON only: {"awkward": the sentence with the learner errors, "corrected": the corrected sentence, "reason": the explanation of each correction written in Korean (한국어), "errorTypes": the error types}.',
  en: 'You write training data for an English writing tutor. Follow the instructions, then reply with JSON only: {"awkward": the sentence with the learner errors, "corrected": the corrected sentence, "reason": the explanation of each correction written in English, "errorTypes": the error types}.',
};

export class LlmTeacher implements Teacher {
  readonly name: string;

  constructor(readonly llm: Llm, private readonly opts: { temperature?: number; signal?: AbortSignal } = {}) {
    this.name = llm.name;
  }

  async generate(req: TeacherRequest): Promise<TeacherTriple | null> {
    const schema = TeacherReplySchema.refine((r) => r.corrected.trim() === req.text.trim(), {
      message: `corrected must be exactly the given sentence: ${JSON.stringify(req.text.trim())}`,
      path: ['corrected'],
    }).refine((r) => r.awkward.trim() !== r.corrected.trim(), {
      message: 'awkward must differ from corrected: put at least one learner error in it',
      path: ['awkward'],
    }).refine((r) => r.errorTypes.length > 0, { message: 'name at least one error type', path: ['errorTypes'] });
    try {
      const r = await this.llm.structured(schema, 'training_triple', [
        { role: 'system', content: SYSTEM[req.reasonLanguage] },
        { role: 'user', content: req.prompt },
      ], { purpose: 'teacher', seed: req.seed, temperature: this.opts.temperature ?? 0.7, signal: this.opts.signal });
      const { awkward, corrected, reason, errorTypes } = r.value;
      return { awkward: awkward.trim(), corrected: corrected.trim(), reason: reason.trim(), reasonLanguage: req.reasonLanguage, errorTypes: [...new Set(errorTypes)] };
    } catch (e) {
      if (e instanceof MalformedOutputError) return null; // this sentence is skipped; transport errors go up (retried)
      throw e;
    }
  }
}
