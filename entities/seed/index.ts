/**
 * Loads the seed data (entities/seed/*.json: Text Repository, Correction Scripts, one-shot Examples,
 * prompt templates) idempotently: ids are derived from content, so seeding twice changes nothing.
 */
import type { DataSource } from 'typeorm';
import { stableId } from '../../core/ids';
import { loadSeed } from './data';
import { CorrectionScriptSchema, ExampleSchema, PromptTemplateSchema, TextEntrySchema } from '../index';

export interface SeedCounts {
  texts: number;
  scripts: number;
  examples: number;
  templates: number;
}

export async function seedDatabase(ds: DataSource): Promise<SeedCounts> {
  const seed = loadSeed();
  const placeholders = (body: string) => [...new Set([...body.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]))];
  await ds.transaction(async (tx) => {
    const upsert = async <T extends object>(schema: Parameters<typeof tx.getRepository>[0], rows: T[]) => {
      for (let i = 0; i < rows.length; i += 200) await tx.getRepository(schema).upsert(rows.slice(i, i + 200) as never, ['id']);
    };
    await upsert(TextEntrySchema, seed.texts.map((t) => ({ id: stableId('txt', t.language, t.task, t.text), language: t.language, task: t.task, form: t.form, tone: t.tone, lengthBucket: t.lengthBucket, text: t.text })));
    await upsert(CorrectionScriptSchema, seed.scripts.map((s) => ({ id: stableId('scr', s.name), language: 'en', task: 'gec', name: s.name, style: s.style, keyExpressions: s.keyExpressions, speaker: s.speaker })));
    // One row per reason language, so the generator picks examples in the language it writes.
    await upsert(ExampleSchema, seed.examples.flatMap((e) => (['ko', 'en'] as const).map((lang) => ({
      id: stableId('ex', 'en', 'gec', e.awkward, lang),
      language: 'en',
      task: 'gec',
      awkward: e.awkward,
      corrected: e.corrected,
      reason: lang === 'ko' ? e.reasonKo : e.reasonEn,
      reasonLanguage: lang,
      errorTypes: e.errorTypes,
      form: e.form,
      tone: e.tone,
    }))));
    await upsert(PromptTemplateSchema, seed.templates.map((t) => ({ id: stableId('tpl', t.name, t.version), language: t.language, task: t.task, name: t.name, version: t.version, body: t.body, placeholders: placeholders(t.body) })));
  });
  const count = async (schema: Parameters<typeof ds.getRepository>[0]) => ds.getRepository(schema).count();
  return {
    texts: await count(TextEntrySchema),
    scripts: await count(CorrectionScriptSchema),
    examples: await count(ExampleSchema),
    templates: await count(PromptTemplateSchema),
  };
}
