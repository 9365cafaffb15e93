/**
 * The seed data written for this project: clean sentences (the Text Repository), correction
 * scripts, one-shot examples (with Korean and English reasons) and the prompt template.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SeedExampleSchema, SeedScriptSchema, SeedTemplateSchema, SeedTextSchema } from './schema';

function load<T extends z.ZodType>(file: string, schema: T): z.output<T>[] {
  const raw = JSON.parse(readFileSync(path.join(import.meta.dirname, file), 'utf8'));
  const r = z.array(schema).safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`entities/seed/${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

export function loadSeed() {
  return {
    texts: load('texts.json', SeedTextSchema),
    scripts: load('scripts.json', SeedScriptSchema),
    examples: load('examples.json', SeedExampleSchema),
    templates: load('templates.json', SeedTemplateSchema),
  };
}
