/**
 * The correction prompt: one text shared by the LoRA trainer (trainer/prompts.json is what the
 * model is fine-tuned on), the served model's Ollama Modelfile, and the OpenAI/Ollama correctors,
 * so a model is always asked the way it was trained. Reply: JSON {corrected, reason}.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ReasonLanguage } from '../../core/engines/types';
import { PROMPTS_FILE } from '../../config/paths';
import type { ChatMessage } from './llm';


const PromptsSchema = z.object({
  system: z.object({ ko: z.string().min(1), en: z.string().min(1) }),
  user: z.string().includes('{sentence}'),
});
export type CorrectionPrompts = z.infer<typeof PromptsSchema>;

let cached: CorrectionPrompts | undefined;
export function correctionPrompts(): CorrectionPrompts {
  cached ??= PromptsSchema.parse(JSON.parse(readFileSync(PROMPTS_FILE, 'utf8')));
  return cached;
}

/** The reply every corrector model gives. strictObject: OpenAI's strict JSON schema needs it. */
export const CorrectionReplySchema = z.strictObject({
  corrected: z.string().describe('the corrected sentence; the input unchanged when it is already correct'),
  reason: z.string().describe('why each change was made, in the requested language; empty when nothing changed'),
});
export type CorrectionReply = z.infer<typeof CorrectionReplySchema>;

export function correctionMessages(sentence: string, lang: ReasonLanguage): ChatMessage[] {
  const p = correctionPrompts();
  return [
    { role: 'system', content: p.system[lang] },
    { role: 'user', content: p.user.replace('{sentence}', sentence) },
  ];
}
