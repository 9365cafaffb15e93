/**
 * Dataset versioning with the real DVC CLI: one DVC repository (no SCM) holding a directory per
 * dataset, pushed to a remote (a local directory by default, any DVC remote URL in production).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const exec = promisify(execFile);
const isUrl = (remote: string) => /^[a-z0-9]+:\/\//.test(remote);

const DvcFile = z.object({ md5: z.string().regex(/^[0-9a-f]{32}(\.dir)?$/), size: z.coerce.number(), nfiles: z.coerce.number().optional() });
export type DvcOut = z.infer<typeof DvcFile>;

export class DvcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DvcError';
  }
}

export class DvcRepo {
  /**
   * DVC holds a repo-wide lock: commands of one worker wait their turn in this queue, and
   * `--wait-for-lock` makes a command wait for another worker process's lock instead of failing.
   */
  private queue: Promise<unknown> = Promise.resolve();

  readonly remote: string;

  constructor(readonly dir: string, remote: string, readonly dvcBin: string) {
    // a local remote is stored absolute: the config is written beside the repo, then moved
    this.remote = isUrl(remote) ? remote : path.resolve(remote);
  }

  private async run(args: string[], cwd = this.dir): Promise<string> {
    const job = this.queue.then(async () => {
      try {
        const { stdout } = await exec(this.dvcBin, ['--wait-for-lock', ...args], { cwd, env: { ...process.env, DVC_NO_ANALYTICS: '1' }, maxBuffer: 16 << 20 });
        return stdout;
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new DvcError(`dvc ${args.join(' ')} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' | ')}`);
      }
    });
    this.queue = job.catch(() => {});
    return job;
  }

  /**
   * Creates the repository and its default remote if missing (idempotent). Worker processes on one
   * state dir may race here: the repository is built beside the target and moved into place with
   * one rename, so no process ever sees a half-written `.dvc` (a process that saw `.dvc` before its
   * creator wrote the config once lost the remote, and its push failed).
   */
  async ensure(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const dvcDir = path.join(this.dir, '.dvc');
    if (!isUrl(this.remote)) mkdirSync(this.remote, { recursive: true });
    if (!existsSync(dvcDir)) await this.createAtomically(dvcDir);
    const config = () => (existsSync(path.join(dvcDir, 'config')) ? readFileSync(path.join(dvcDir, 'config'), 'utf8') : '');
    if (!config().includes(`url = ${this.remote}`) || !/remote = storage/.test(config())) {
      await this.run(['remote', 'add', '--default', '--force', 'storage', this.remote]);
    }
    if (!/analytics = false/.test(config())) await this.run(['config', 'core.analytics', 'false']);
  }

  private async createAtomically(dvcDir: string): Promise<void> {
    const staging = mkdtempSync(`${this.dir}.init-`);
    try {
      const inStaging = (args: string[]) => this.run(args, staging);
      await inStaging(['init', '--no-scm', '--quiet']);
      await inStaging(['remote', 'add', '--default', 'storage', this.remote]);
      await inStaging(['config', 'core.analytics', 'false']);
      try {
        renameSync(path.join(staging, '.dvc'), dvcDir);
      } catch (e) {
        // another process won the race: its repository is complete, use it
        if (!existsSync(path.join(dvcDir, 'config'))) throw e;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** `dvc add` then `dvc push` of a directory or file inside the repo; returns its md5 and size. */
  async addAndPush(relPath: string): Promise<DvcOut> {
    await this.run(['add', '--quiet', relPath]);
    const out = this.readDvcFile(relPath);
    await this.run(['push', '--quiet', `${relPath}.dvc`]);
    return out;
  }

  readDvcFile(relPath: string): DvcOut {
    const text = readFileSync(path.join(this.dir, `${relPath}.dvc`), 'utf8');
    const field = (k: string) => text.match(new RegExp(`^\\s*-?\\s*${k}:\\s*(\\S+)`, 'm'))?.[1];
    return DvcFile.parse({ md5: field('md5'), size: field('size'), nfiles: field('nfiles') });
  }

  /** Whether the remote holds everything the .dvc file names (`dvc status --cloud`). */
  async inRemote(relPath: string): Promise<boolean> {
    const out = await this.run(['status', '--cloud', '--json', `${relPath}.dvc`]);
    return Object.keys(JSON.parse(out || '{}')).length === 0;
  }
}
