/** Where the JFLEG dev files live: ../shared/data/jfleg next to the repository, or $JFLEG_DIR. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const JFLEG_DIR =
  process.env.JFLEG_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/jfleg');

/** Full path of a JFLEG dev file, failing with a clear message if the data is missing. */
export function jfleg(file: string): string {
  const p = path.join(JFLEG_DIR, file);
  if (!existsSync(p)) throw new Error(`JFLEG data not found: ${p} (set JFLEG_DIR to the folder holding dev.src and dev.ref0..3)`);
  return p;
}
