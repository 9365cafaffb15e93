/**
 * The seed data written for this project: clean sentences (the Text Repository), correction
 * scripts, one-shot examples (with Korean and English reasons) and the prompt template.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SeedExampleSchema, SeedScriptSchema, SeedTemplateSchema, type SeedText, SeedTextSchema } from './schema';

/** The Text Repository's files: its sentences are the union of theirs. */
export const TEXT_FILES = ['texts.json', 'texts-more.json'] as const;

const SEED_DIR = import.meta.dirname;
/** How errors name a seed file: by its place in the repository, or in full when it is elsewhere (tests). */
const nameOf = (dir: string, file: string) => (dir === SEED_DIR ? `entities/seed/${file}` : path.join(dir, file));

function load<T extends z.ZodType>(file: string, schema: T, dir = SEED_DIR): z.output<T>[] {
  const raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const r = z.array(schema).safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${nameOf(dir, file)}: ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

/**
 * Every file's sentences, in file order. A sentence written twice (in one file or two) is an
 * error, not something to drop quietly: it would be drawn twice as often and make near-duplicates.
 */
export function loadTexts(dir = SEED_DIR, files: readonly string[] = TEXT_FILES): SeedText[] {
  const firstAt = new Map<string, string>();
  const repeats: string[] = [];
  const texts = files.flatMap((file) =>
    load(file, SeedTextSchema, dir).map((t, i) => {
      const at = `${nameOf(dir, file)}[${i}]`;
      const first = firstAt.get(t.text);
      if (first) repeats.push(`${at} repeats ${first}: ${JSON.stringify(t.text)}`);
      else firstAt.set(t.text, at);
      return t;
    }),
  );
  if (repeats.length) throw new Error(`Text Repository: ${repeats.length} duplicate sentence(s): ${repeats.join('; ')}`);
  return texts;
}

export function loadSeed() {
  return {
    texts: loadTexts(),
    scripts: load('scripts.json', SeedScriptSchema),
    examples: load('examples.json', SeedExampleSchema),
    templates: load('templates.json', SeedTemplateSchema),
  };
}
