/**
 * vitest globalSetup: one real LanguageTool server for the whole test run (a JVM takes ~10 s and
 * ~400 MB to start, so test files share it rather than each starting its own). It is started
 * through the same Stack code as `correctly stack up languagetool`, on a free port, and its URL is
 * exported as LANGUAGETOOL_URL, so every config loaded in a test (and every child process a test
 * starts) uses it. A LANGUAGETOOL_URL already set (an external server) is used as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config';
import { freePort } from '../../ops/stack/process';
import { Stack } from '../../ops/stack/index';

declare module 'vitest' {
  export interface ProvidedContext {
    languagetoolUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.LANGUAGETOOL_URL) {
    project.provide('languagetoolUrl', process.env.LANGUAGETOOL_URL);
    return;
  }
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-lt-'));
  const config = loadConfig({ ...process.env, CORRECTLY_STATE_DIR: stateDir, LANGUAGETOOL_PORT: String(await freePort()), CORRECTLY_CONFIG: '' });
  const stack = new Stack(config);
  await stack.up(['languagetool']);
  const url = `http://127.0.0.1:${config.languagetoolPort}`;
  process.env.LANGUAGETOOL_URL = url;
  project.provide('languagetoolUrl', url);
  return async () => {
    await stack.down(['languagetool']);
    rmSync(stateDir, { recursive: true, force: true });
  };
}
