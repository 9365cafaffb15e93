import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file whole: to a temp name first, then one rename, so a crash never leaves half a file
 * and a reader never sees one. The temp name is unique per call, so writers in several processes
 * or threads may race for the same file: the last rename wins, each with a whole file.
 */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true }); // a failed write (disk full) leaves no half file behind
    throw e;
  }
}
