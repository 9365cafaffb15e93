/** The Python that runs trainer/ (the LoRA fine-tune and local generation of its models). */
import { existsSync } from 'node:fs';
import { TRAINER_VENV_PYTHON } from '../config/paths';


/** `explicit` (e.g. CORRECTLY_TRAINER_PYTHON), else the project's .venv-trainer, else python3. */
export function trainerPython(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.CORRECTLY_TRAINER_PYTHON) return process.env.CORRECTLY_TRAINER_PYTHON;
  const venv = TRAINER_VENV_PYTHON;
  return existsSync(venv) ? venv : 'python3';
}
