/** The LanguageTool server a benchmark uses: LANGUAGETOOL_URL, or one started (stack part) for the run. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { Stack } from '../ops/stack/index';
import { freePort } from '../ops/stack/process';

export async function languagetoolServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.LANGUAGETOOL_URL) return { url: process.env.LANGUAGETOOL_URL, stop: async () => {} };
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'correctly-bench-lt-'));
  const config = loadConfig({ ...process.env, CORRECTLY_STATE_DIR: stateDir, LANGUAGETOOL_PORT: String(await freePort()), CORRECTLY_CONFIG: '' });
  const stack = new Stack(config);
  await stack.up(['languagetool']);
  return {
    url: `http://127.0.0.1:${config.languagetoolPort}`,
    stop: async () => {
      await stack.down(['languagetool']);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
