import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';

const exec = promisify(execFile);
const CHECK = path.join(PROJECT_ROOT, '.tools/bin/compose-check');
const check = (...args: string[]) => exec(CHECK, args, { cwd: PROJECT_ROOT });

describe('compose.yaml against the Compose Specification (compose-go)', () => {
  it('is valid with the documented .env.example and has every service', async () => {
    const { stdout } = await check('compose.yaml', '.env.example');
    expect(stdout.trim().split('\n')).toEqual([
      'api', 'chroma', 'languagetool', 'migrate', 'mlflow', 'ollama', 'openwebui', 'postgres', 'prometheus',
      'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker-cpu', 'worker-gpu',
    ]);
  });

  it('refuses to start without the database password', async () => {
    await expect(check('compose.yaml')).rejects.toMatchObject({ stderr: expect.stringContaining('required variable POSTGRES_PASSWORD is missing a value') });
  });

  it('the checker catches keys the specification does not allow', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  x:\n    image: busybox\n    bogus_key: true\n');
    await expect(check(path.join(dir, 'compose.yaml'))).rejects.toMatchObject({ stderr: expect.stringMatching(/bogus_key/) });
  });

  it('documents every variable compose.yaml reads in .env.example', async () => {
    const { readFileSync } = await import('node:fs');
    const compose = readFileSync(path.join(PROJECT_ROOT, 'compose.yaml'), 'utf8');
    const example = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const used = new Set([...compose.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...used].filter((v) => !documented.has(v))).toEqual([]);
  });
});
