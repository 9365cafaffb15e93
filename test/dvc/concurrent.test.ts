/**
 * Several worker processes version datasets into one DVC repository at once (scale-out): creating
 * the repository races, and `dvc add`/`push` share a repo lock. Every process must succeed on its
 * first attempt, each dataset land in the remote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DvcRepo } from '../../adapters/dvc';
import { PROJECT_ROOT } from '../../config/paths';

const exec = promisify(execFile);
const DVC = path.join(PROJECT_ROOT, '.venv/bin/dvc');

describe('DVC repository shared by concurrent worker processes', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'correctly-dvc-race-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('three processes create the repo and version three datasets at once, all on the first attempt', async () => {
    const dir = path.join(tmp, 'repo');
    const remote = path.join(tmp, 'remote');
    const names = ['a', 'b', 'c'];
    const outs = await Promise.all(
      names.map(async (name) => {
        // a failing process exits 1 with its error as JSON on stdout: keep it for the assertion below
        const stdout = await exec(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/dvc/race-entry.ts'), dir, remote, DVC, name], { cwd: PROJECT_ROOT }).then(
          (r) => r.stdout,
          (e: { stdout?: string; stderr?: string; message: string }) => e.stdout || JSON.stringify({ name, error: (e.stderr || e.message).trim() }),
        );
        return JSON.parse(stdout.trim().split('\n').at(-1)!) as { name: string; md5?: string; error?: string };
      }),
    );
    expect(outs.map((o) => o.error ?? 'ok')).toEqual(['ok', 'ok', 'ok']);
    expect(new Set(outs.map((o) => o.md5)).size).toBe(3);
    const repo = new DvcRepo(dir, remote, DVC);
    for (const n of names) expect(await repo.inRemote(`datasets/${n}`)).toBe(true);
  });
});
