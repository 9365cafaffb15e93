/**
 * Where things are in a checkout: the one place that knows the project's folders and the data
 * beside it. Everything is found from this file's own place (`import.meta.dirname`, which the CLI
 * build rewrites to this source directory), so a clone works wherever it lies.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository's root (package.json, the sources, `.tools`, `.venv-trainer`). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/** Tools `make setup` builds or downloads: the Temporal CLI, LanguageTool's jars, Ollama (tests). */
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');
/** LanguageTool's jars (infra/languagetool/pom.xml, fetched by setup.sh). */
export const LANGUAGETOOL_LIB = path.join(TOOLS_DIR, 'languagetool/lib');
/** An empty MLflow database migrated by the venv's MLflow (infra/mlflow/empty-db.py, run by setup.sh). */
export const MLFLOW_EMPTY_DB = path.join(TOOLS_DIR, 'mlflow/empty.db');
/** Empty PGlite clusters, one per PGlite version, that new data directories start as (infra/pglite-server.ts makes them on first use). */
export const PGLITE_TEMPLATES = path.join(TOOLS_DIR, 'pglite');
/** `mlflow server` in one Python process (MLflow imported once, not twice). */
export const MLFLOW_SERVE = path.join(PROJECT_ROOT, 'infra/mlflow/serve.py');

/** The trainer's venv (trainer/setup.sh) and its Python. */
export const TRAINER_VENV = path.join(PROJECT_ROOT, '.venv-trainer');
export const TRAINER_VENV_PYTHON = path.join(TRAINER_VENV, 'bin', 'python');
/** The prompt texts the LLM providers and the Python trainer share. */
export const PROMPTS_FILE = path.join(PROJECT_ROOT, 'trainer/prompts.json');

/** Workflow code a worker bundles (Temporal's workflowsPath). */
export const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows/index.ts');
/** Entry points the dev stack starts as processes. */
export const WORKER_MAIN = path.join(PROJECT_ROOT, 'worker/main.ts');
export const SERVE_MAIN = path.join(PROJECT_ROOT, 'serve/main.ts');
export const PGLITE_SERVER = path.join(PROJECT_ROOT, 'infra/pglite-server.ts');
/** Makes the compiled build current (bin/correctly and the stack's Node programs run from it). */
export const ENSURE_BUILD = path.join(PROJECT_ROOT, 'scripts/ensure-build.sh');
/** The web page and dashboard files the serving API hands out. */
export const SERVE_PUBLIC_DIR = path.join(PROJECT_ROOT, 'serve/public');
/** The compiled build (scripts/build-cli.mjs): the CLI and the stack's Node programs. */
export const BUILD_DIR = path.join(PROJECT_ROOT, 'dist/cli');
/** Replaced by `true` in the build (esbuild's define); never declared when running from source. */
declare const CORRECTLY_BUILT: true;
/** Whether this code runs from the build rather than from source through tsx. */
export const RUNS_FROM_BUILD = typeof CORRECTLY_BUILT !== 'undefined';
/** What piscina loads in each engine-pool thread: the build's own thread when this code runs from the build, else the source through tsx. */
export const ENGINE_THREAD_ENTRY = RUNS_FROM_BUILD ? path.join(BUILD_DIR, 'pool-thread.js') : path.join(PROJECT_ROOT, 'adapters/engine-pool/pool-thread-entry.mjs');

/**
 * JFLEG dev (the fixed public eval set): JFLEG_DIR, else `shared/data/jfleg` beside the checkout or
 * beside any folder above it (a worktree under `wt/` finds the `shared/` of the main checkout),
 * else the place beside the checkout, so that a missing set names where it was looked for.
 */
export const JFLEG_DIR = process.env.JFLEG_DIR || findBesideCheckout('shared/data/jfleg');

function findBesideCheckout(rel: string): string {
  for (let dir = path.dirname(PROJECT_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, rel);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(path.dirname(PROJECT_ROOT), rel);
  }
}
