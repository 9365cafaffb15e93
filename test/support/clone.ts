/**
 * A fresh clone of this working tree for tests that follow the README as a newcomer would: every
 * tracked and untracked-but-not-ignored file copied into a temp directory and committed there (so
 * uncommitted work is what gets tested), with the installed `node_modules`, `.venv` and `.tools`
 * linked in (what `make setup` leaves behind; nothing else: no dist/, no .state/).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SETTINGS } from '../../config';
import { JFLEG_DIR } from '../../config/paths';
import { PROJECT_ROOT } from '../../config/paths';

export const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };

export interface Clone {
  dir: string;
  remove(): void;
}

export function freshClone(prefix = 'correctly-clone-'): Clone {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(PROJECT_ROOT, f);
    try {
      readFileSync(from, { flag: 'r' }); // skip deleted-but-tracked files
    } catch {
      continue;
    }
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(from, path.join(dir, f));
  }
  for (const link of ['node_modules', '.venv', '.tools']) symlinkSync(path.join(PROJECT_ROOT, link), path.join(dir, link));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_IDENTITY }, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fresh clone');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment of a newcomer's shell: none of Correctly's settings (defaults apply), plus what
 * this machine needs (JFLEG's location, a git identity, no DVC analytics).
 */
export function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const s of Object.values(SETTINGS)) delete env[s.env];
  delete env.CORRECTLY_CONFIG;
  return { ...env, JFLEG_DIR, DVC_NO_ANALYTICS: '1', ...GIT_IDENTITY, ...extra };
}

/**
 * What every test file of a run shares (test/support/global-*.ts): the LanguageTool server and the
 * evaluation cache. A newcomer's environment drops all settings; a test that runs a README block
 * gives these back so the block does not start a JVM or score the base systems again.
 */
export function runShared(keys: readonly RunShared[] = ['LANGUAGETOOL_URL', 'CORRECTLY_EVAL_CACHE_DIR']): Record<string, string> {
  const shared: Record<string, string> = {};
  for (const k of keys) if (process.env[k]) shared[k] = process.env[k]!;
  return shared;
}
type RunShared = 'LANGUAGETOOL_URL' | 'CORRECTLY_EVAL_CACHE_DIR';

/** The fenced code blocks of a Markdown file, with the heading they sit under. */
export function codeBlocks(markdown: string): { heading: string; lang: string; code: string }[] {
  const out: { heading: string; lang: string; code: string }[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{1,6} (.*)$/.exec(lines[i]);
    if (h) heading = h[1];
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(fence[1].length));
    out.push({ heading, lang: fence[2], code: body.join('\n') });
  }
  return out;
}
