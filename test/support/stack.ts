/**
 * Isolated real servers for integration tests: every test file gets its own state dir and
 * OS-chosen free ports, started through the same Stack code that `correctly stack up` uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../config';
import { freePort } from '../../ops/stack/process';
import { Stack, type StackPart } from '../../ops/stack/index';

export interface TestStack {
  config: Config;
  parts: StackPart[];
  stack: Stack;
  stateDir: string;
  stop(): Promise<void>;
}

/** Env for a fresh, isolated config: temp state dir and free ports for every server. */
export async function isolatedEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-'));
  return {
    CORRECTLY_STATE_DIR: stateDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    PGLITE_PORT: String(await freePort()),
    MLFLOW_PORT: String(await freePort()),
    CHROMA_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    ...extra,
  };
}

/** Starts the named parts of a private stack. Call stop() in afterAll. */
export async function startTestStack(parts: StackPart[], extraEnv: Record<string, string> = {}): Promise<TestStack> {
  const env = await isolatedEnv(extraEnv);
  const config = loadConfig({ ...process.env, DATABASE_URL: '', MLFLOW_TRACKING_URI: '', CHROMA_URL: '', CORRECTLY_CONFIG: '', ...env });
  const stack = new Stack(config);
  try {
    await stack.up(parts);
  } catch (e) {
    // parts that did start must not outlive a failed start (leaked servers starve later tests)
    await stack.down(parts).catch(() => {});
    rmSync(env.CORRECTLY_STATE_DIR, { recursive: true, force: true });
    throw e;
  }
  return {
    config,
    parts,
    stack,
    stateDir: env.CORRECTLY_STATE_DIR,
    async stop() {
      await stack.down(parts);
      rmSync(env.CORRECTLY_STATE_DIR, { recursive: true, force: true });
    },
  };
}

/**
 * The env that points a child process (worker, CLI, API) or a derived config at exactly this
 * config's servers: state dir and ports, nothing inherited from outside. `extra` wins.
 */
export function stackEnv(c: Config, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CORRECTLY_STATE_DIR: c.stateDir,
    CORRECTLY_EVAL_CACHE_DIR: c.evalCacheDir ?? '',
    TEMPORAL_ADDRESS: c.temporalAddress,
    TEMPORAL_UI_PORT: String(c.temporalUiPort),
    PGLITE_PORT: String(c.pglitePort),
    MLFLOW_PORT: String(c.mlflowPort),
    CHROMA_PORT: String(c.chromaPort),
    API_PORT: String(c.apiPort),
    LANGUAGETOOL_URL: c.languagetoolUrl ?? '',
    LANGUAGETOOL_PORT: String(c.languagetoolPort),
    DATABASE_URL: '',
    MLFLOW_TRACKING_URI: '',
    CHROMA_URL: '',
    CORRECTLY_CONFIG: '',
    ...extra,
  };
}
