/**
 * The trainer's Python for tests: trainer/setup.sh makes sure the pinned venv exists (a no-op
 * when it is up to date), then commands run with JSON-lines stdout parsed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { trainerPython } from '../../activities/finetune';
import { PROJECT_ROOT } from '../../config/paths';

const exec = promisify(execFile);
export const FIXTURE_DATA = path.join(PROJECT_ROOT, 'test/trainer/fixtures/data');

let venvChecked = false;

/**
 * Runs trainer/setup.sh and returns the venv's Python. The venv (torch and friends, ~3 GB of
 * wheels) is installed once and cached; the script's line says whether it was up to date.
 */
export async function ensureTrainerVenv(): Promise<string> {
  if (!process.env.CORRECTLY_TRAINER_PYTHON && !venvChecked) {
    const r = await exec('bash', [path.join(PROJECT_ROOT, 'trainer/setup.sh')], { cwd: PROJECT_ROOT, maxBuffer: 16 << 20 });
    console.log(r.stdout.split('\n').filter((l) => l.startsWith('[trainer setup]')).join('\n'));
    venvChecked = true;
  }
  return trainerPython();
}

export interface PyRun {
  child: ChildProcess;
  events: Record<string, unknown>[];
  stderr: string[];
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `python -m <module> args`, collecting JSON lines; `onEvent` sees each as it comes. */
export function runModule(python: string, module: string, args: string[], onEvent?: (e: Record<string, unknown>, run: PyRun) => void): PyRun {
  const child = spawn(python, ['-m', module, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: PyRun = { child, events: [], stderr: [], done: undefined as never };
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const e = JSON.parse(line) as Record<string, unknown>;
        run.events.push(e);
        onEvent?.(e, run);
      } catch {
        /* not a JSON line */
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    run.stderr.push(d);
    if (run.stderr.length > 200) run.stderr.shift();
  });
  run.done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return run;
}

/** Runs a module to its end; throws with stderr's tail when it fails. */
export async function runToEnd(python: string, module: string, args: string[]): Promise<Record<string, unknown>[]> {
  const r = runModule(python, module, args);
  const { code, signal } = await r.done;
  if (code !== 0) throw new Error(`python -m ${module} exited with ${code ?? signal}: ${r.stderr.join('').slice(-3000)}`);
  return r.events;
}

/** A fresh temp dir with the fixture dataset (train.jsonl, valid.jsonl). */
export function fixtureDataset(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-lora-data-'));
  cpSync(FIXTURE_DATA, dir, { recursive: true });
  return dir;
}

/** Builds the tiny random Gemma 3 and its local tokenizer into a temp dir. */
export async function buildTinyModel(python: string, dataDir: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-tiny-gemma-'));
  await runToEnd(python, 'trainer.tiny', ['--out', dir, '--data', dataDir, '--seed', '0']);
  return dir;
}

/** Trainer arguments that overfit the fixture in a few dozen CPU steps. */
export const SMOKE_ARGS = ['--lr', '3e-2', '--batch-size', '8', '--grad-accum', '1', '--lora-r', '16', '--lora-dropout', '0', '--warmup-ratio', '0', '--logging-steps', '1', '--patience', '0'];
