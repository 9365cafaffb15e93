/** The LanguageTool server a benchmark uses: LANGUAGETOOL_URL, or one started (stack part) for the run. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { Stack } from '../ops/stack/index';
import { freePort } from '../ops/stack/process';

export interface BenchLanguageTool {
  url: string;
  /** The JVM's process id when started here (null for a server named by LANGUAGETOOL_URL). */
  pid: number | null;
  stop: () => Promise<void>;
}

/** `heap`: start a server of its own with this Java heap, even when LANGUAGETOOL_URL is set. */
export async function languagetoolServer(opts: { heap?: string } = {}): Promise<BenchLanguageTool> {
  if (process.env.LANGUAGETOOL_URL && !opts.heap) return { url: process.env.LANGUAGETOOL_URL, pid: null, stop: async () => {} };
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'correctly-bench-lt-'));
  const config = loadConfig({ ...process.env, CORRECTLY_STATE_DIR: stateDir, LANGUAGETOOL_PORT: String(await freePort()), LANGUAGETOOL_URL: '', CORRECTLY_CONFIG: '', ...(opts.heap ? { LANGUAGETOOL_HEAP: opts.heap } : {}) });
  const stack = new Stack(config);
  await stack.up(['languagetool']);
  return {
    url: `http://127.0.0.1:${config.languagetoolPort}`,
    pid: stack.procs.running('languagetool'),
    stop: async () => {
      await stack.down(['languagetool']);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
