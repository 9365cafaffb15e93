/**
 * vitest globalSetup: one evaluation cache for the whole test run (CORRECTLY_EVAL_CACHE_DIR). Every
 * pipeline scores the base ensemble and Harper on the same JFLEG sentences; their outputs depend
 * only on the code, so the first pipeline of the run computes them and the others read them, as
 * pipelines sharing a cache do in production; so do rules models, keyed by what they learned.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  if (process.env.CORRECTLY_EVAL_CACHE_DIR) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-eval-cache-'));
  process.env.CORRECTLY_EVAL_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
