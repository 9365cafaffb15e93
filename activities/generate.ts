/**
 * Stage 1: a batch of training triples from the teacher, one-shot prompted from the stored template
 * with a clean sentence of the Text Repository and an example of the same form.
 * Idempotent: sample ids are (pipeline, batch, index), so a retried batch only fills the gaps.
 */
import { Context } from '@temporalio/activity';
import { In } from 'typeorm';
import { stableId } from '../core/ids';
import { loopYielder } from '../core/yield';
import { createTeacher, type TeacherBackendName } from '../adapters/teachers';
import { renderTemplate } from '../core/teacher/template';
import { redactPii, redactSample, samplePiiTypes } from '../core/validation/pii';
import { ExampleSchema, type GeneratedSample, GeneratedSampleSchema, PromptTemplateSchema, TextEntrySchema } from '../entities';
import type { ActivityDeps } from './deps';
import { ApplicationFailure } from '@temporalio/activity';
import { drawBatch } from '../core/teacher/draw';

export interface GenerateBatchInput {
  pipelineId: string;
  batch: number;
  /** Index of the batch's first sample in the run (texts are drawn without replacement over the run); default batch × count. */
  offset?: number;
  count: number;
  seed: number;
  teacher: TeacherBackendName;
  reasonLanguage: 'ko' | 'en';
  templateName?: string;
}
export interface GenerateBatchOutput {
  batch: number;
  generated: number;
  /** Sentences the teacher could not turn into a triple (e.g. no error type applies). */
  skipped: number;
  /** Teacher output that failed its schema: stored as rejected samples. */
  invalid: number;
}

/** How often a generate batch heartbeats while it works (the workflow's heartbeat timeout is a few times this). */
export const GENERATE_HEARTBEAT_EVERY_MS = 5_000;

export function generateActivities(deps: ActivityDeps) {
  return {
    async generateBatch(input: GenerateBatchInput): Promise<GenerateBatchOutput> {
      const ctx = Context.current();
      const db = await deps.db();
      const templateName = input.templateName ?? 'triple-generation';
      const template = await db.getRepository(PromptTemplateSchema).findOne({ where: { name: templateName }, order: { version: 'DESC' } });
      if (!template) throw ApplicationFailure.nonRetryable(`prompt template "${templateName}" not found: run \`correctly db seed\``, 'InvalidInput');
      const texts = await db.getRepository(TextEntrySchema).find({ where: { language: 'en', task: 'gec' }, order: { id: 'ASC' } });
      if (!texts.length) throw ApplicationFailure.nonRetryable('the Text Repository is empty: run `correctly db seed`', 'InvalidInput');
      const examples = await db.getRepository(ExampleSchema).find({ where: { reasonLanguage: input.reasonLanguage }, order: { id: 'ASC' } });
      if (!examples.length) throw ApplicationFailure.nonRetryable(`no one-shot examples with ${input.reasonLanguage} reasons: run \`correctly db seed\``, 'InvalidInput');

      const samples = db.getRepository(GeneratedSampleSchema);
      const ids = Array.from({ length: input.count }, (_, i) => stableId('smp', input.pipelineId, input.batch, i));
      const done = new Set((await samples.find({ select: { id: true }, where: { id: In(ids) } })).map((s) => s.id));
      const teacher = createTeacher(input.teacher, deps.config);
      const piiTypes = samplePiiTypes(input.teacher);
      const draws = drawBatch(texts, examples, { seed: input.seed, batch: input.batch, offset: input.offset ?? input.batch * input.count, count: input.count });
      const out: GenerateBatchOutput = { batch: input.batch, generated: done.size, skipped: 0, invalid: 0 };
      let pending: Partial<GeneratedSample>[] = [];
      const flush = async () => {
        if (!pending.length) return;
        await samples.upsert(pending, ['id']);
        pending = [];
        ctx.heartbeat({ generated: out.generated });
      };

      // The offline teacher computes synchronously: let the worker's event loop run every 20 ms.
      const breathe = loopYielder();
      // A timer heartbeats between flushes: an LLM teacher takes seconds a sample, so 100 samples
      // outlast any heartbeat timeout that still notices a lost worker quickly.
      const beat = setInterval(() => ctx.heartbeat({ generated: out.generated }), GENERATE_HEARTBEAT_EVERY_MS);
      try {
        for (let i = 0; i < input.count; i++) {
          await breathe();
          // The draws do not depend on what is done, so a resumed batch makes the same choices.
          const { text, example } = draws[i];
          if (done.has(ids[i])) continue;
          const prompt = renderTemplate(template.body, {
            form_form: text.form,
            mapping_emotion_form_tone: `${text.tone} ${text.form}`,
            example_example: `Awkward: ${example.awkward}\nCorrected: ${example.corrected}\nReason: ${example.reason}`,
            reason_language: input.reasonLanguage === 'ko' ? 'Korean' : 'English',
            text: text.text,
          });
          const base = { id: ids[i], pipelineId: input.pipelineId, batch: input.batch, language: text.language, task: text.task, teacher: teacher.name, sourceTextId: text.id, exampleId: example.id, templateId: template.id };
          const result = await teacher.generate({
            text: text.text,
            form: text.form,
            tone: text.tone,
            example: { awkward: example.awkward, corrected: example.corrected, reason: example.reason, errorTypes: example.errorTypes },
            reasonLanguage: input.reasonLanguage,
            seed: input.seed * 1_000_003 + input.batch * 10_007 + i,
            prompt,
          });
          if (result.kind === 'skipped') {
            out.skipped++;
            continue;
          }
          // Redacted before it is stored, like everything else (validate checks the policy later).
          if (result.kind === 'invalid') {
            // Kept, so every rejection is on record with its reason.
            out.invalid++;
            const raw = redactPii(result.raw.slice(0, 10_000), { types: piiTypes }).text;
            pending.push({ ...base, awkward: raw, corrected: '', reason: '', reasonLanguage: input.reasonLanguage, errorTypes: [], status: 'rejected', rejectionReasons: [{ code: 'teacher_invalid_output', detail: redactPii(result.error, { types: piiTypes }).text }], tokens: result.tokens ?? null });
          } else {
            out.generated++;
            const { sample, redactions } = redactSample({ id: ids[i], ...result.triple }, { types: piiTypes });
            const { awkward, corrected, reason } = sample;
            pending.push({ ...base, ...result.triple, awkward, corrected, reason, status: 'pending', rejectionReasons: [], redactions: redactions.map(({ field, type, start, end }) => ({ field, type, start, end })), split: null, tokens: result.tokens ?? null });
          }
          if (pending.length >= 100) await flush();
        }
        await flush();
      } finally {
        clearInterval(beat);
      }
      return out;
    },
  };
}
