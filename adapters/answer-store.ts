/**
 * Answer stores in files (core/engines/answer-store): one small JSON file per text under
 * `<dir>/<system@version>/<sha256[0:2]>/<sha256>.json`, named by the hash of the text alone (the
 * text itself is not written). Written atomically, so threads and processes may share a directory
 * and race for a file; a file that does not parse as the system's answer is a miss and is written
 * again, and a store that cannot be written is only slower.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AnswerStore } from '../core/engines/answer-store';
import { HARPER_VERSION, type RawLint } from '../core/engines/harper';
import { sha256 } from '../core/ids';
import { writeFileAtomic } from '../core/write-atomic';

export class FileAnswerStore<T> implements AnswerStore<T> {
  private readonly dir: string;

  /** @param system names the system and its version: answers of another version are never read. */
  constructor(
    root: string,
    system: string,
    private readonly schema: z.ZodType<T>,
  ) {
    this.dir = path.join(root, system.replace(/[^\w.@-]/g, '_'));
  }

  private file(text: string): string {
    const hash = sha256(text);
    return path.join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  get(text: string): T | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.file(text), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Best effort: a store that cannot be written (disk full, read-only) costs time, never a result. */
  set(text: string, answer: T): void {
    try {
      writeFileAtomic(this.file(text), JSON.stringify(answer));
    } catch {
      // asked again next time
    }
  }
}

const rawLintSchema: z.ZodType<RawLint> = z.object({
  rule: z.string(),
  kind: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  problem: z.string(),
  message: z.string(),
  suggestions: z.array(z.object({ kind: z.enum(['replace', 'remove', 'insert_after']), text: z.string() })),
});

/** Harper's lints by text under `dir`, keyed by the Harper version. */
export function harperAnswerStore(dir: string): AnswerStore<RawLint[]> {
  return new FileAnswerStore(dir, HARPER_VERSION, z.array(rawLintSchema));
}
