/** The Python that runs trainer/ (the LoRA fine-tune and local generation of its models). */
import { existsSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** `explicit` (e.g. CORRECTLY_TRAINER_PYTHON), else the project's .venv-trainer, else python3. */
export function trainerPython(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.CORRECTLY_TRAINER_PYTHON) return process.env.CORRECTLY_TRAINER_PYTHON;
  const venv = path.join(REPO_ROOT, '.venv-trainer', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}
