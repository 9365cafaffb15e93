/**
 * JFLEG dev (754 sentences, 4 references, tokenized): the fixed public eval set.
 * Found where config/paths.ts says (JFLEG_DIR, else shared/data/jfleg beside the checkout).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JFLEG_DIR } from '../config/paths';


/** Full path of a JFLEG dev file, failing with a clear message if the data is missing. */
export function jfleg(file: string): string {
  const p = path.join(JFLEG_DIR, file);
  if (!existsSync(p)) throw new Error(`JFLEG data not found: ${p} (set JFLEG_DIR to the folder holding dev.src and dev.ref0..3)`);
  return p;
}

/** Lines of a text, split on '\n', without the single trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readLines(file: string): string[] {
  return splitLines(readFileSync(file, 'utf8'));
}

export interface JflegDev {
  src: string[];
  refs: string[][];
}

export function loadJfleg(limit = 0): JflegDev {
  const take = (l: string[]) => (limit > 0 ? l.slice(0, limit) : l);
  return {
    src: take(readLines(jfleg('dev.src'))),
    refs: [0, 1, 2, 3].map((k) => take(readLines(jfleg(`dev.ref${k}`)))),
  };
}
