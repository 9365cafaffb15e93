/**
 * The command line itself, without a stack: the compiled build (and that it finds the project's
 * files from dist/), lazy command groups, one-line errors with their exit codes, --debug, and the
 * value parsers for durations and yes/no.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { InvalidArgumentError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeError, oneLine } from '../../client/commands/errors';
import { booleanOption, durationOption } from '../../client/commands/util';
import { formatDuration, parseBoolean, parseDuration } from '../../core/values';
import { PROJECT_ROOT } from '../../config/paths';

const exec = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'bin/correctly');
const DIST = path.join(PROJECT_ROOT, 'dist/cli');
/** Runs the CLI; resolves with its exit code and output instead of throwing. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  exec(BIN, args, { env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

describe('values as people write them', () => {
  it('durations: units, and bare numbers only where a unit is given', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('3600')).toBeNull();
    expect(parseDuration('3600', 's')).toBe(3_600_000);
    expect(parseDuration('6 hours')).toBeNull();
    expect(parseDuration('-5s', 's')).toBeNull();
    expect([0, 90_000, 21_600_000, 93_600_000, 250].map(formatDuration)).toEqual(['0s', '1m 30s', '6h', '1d 2h', '250ms']);
  });

  it('booleans: true/false, yes/no, on/off, 1/0', () => {
    expect(['true', 'YES', 'on', '1', 'y'].map(parseBoolean)).toEqual([true, true, true, true, true]);
    expect(['false', 'No', 'off', '0', 'n'].map(parseBoolean)).toEqual([false, false, false, false, false]);
    expect(parseBoolean('maybe')).toBeNull();
  });

  it('CLI flags: --cooldown 6h is 21600 seconds, --approval true is true; bad values name the flag', () => {
    expect(durationOption('cooldown')('6h')).toBe(21_600);
    expect(durationOption('cooldown')('3600')).toBe(3600);
    expect(() => durationOption('cooldown')('500ms')).toThrow(InvalidArgumentError);
    expect(() => durationOption('cooldown')('soon')).toThrow(/--cooldown must be a duration such as 30s, 15m, 6h or 1d/);
    expect(booleanOption('approval')('true')).toBe(true);
    expect(booleanOption('approval')('no')).toBe(false);
    expect(() => booleanOption('approval')('perhaps')).toThrow(/--approval must be true or false \(or yes\/no\), got "perhaps"/);
  });
});

describe('error lines', () => {
  it('one line whatever the message, with the exit code of its kind', () => {
    expect(oneLine('Invalid configuration:\n  A="x": bad\n  B="y": worse')).toBe('Invalid configuration: A="x": bad; B="y": worse');
    const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name }, extra);
    expect(describeError(named('UsageError', 'bad flag'))).toEqual({ message: 'bad flag', exitCode: 2 });
    expect(describeError(named('RefusedError', 'no retraining: paused'))).toEqual({ message: 'no retraining: paused', exitCode: 1 });
    expect(describeError(named('WorkflowNotFoundError', 'workflow execution already completed', { workflowId: 'p-1' }))).toEqual({
      message: 'workflow p-1: workflow execution already completed (see `correctly pipeline list` or the Temporal Web UI)',
      exitCode: 1,
    });
    expect(describeError(new TypeError('x is not a function\n    at y'))).toEqual({ message: 'x is not a function; at y (--debug shows the stack trace)', exitCode: 1 });
  });
});

describe('bin/correctly', () => {
  beforeAll(async () => {
    await exec(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build-cli.mjs')]);
  });

  it('runs the compiled build, whose rewritten source directories all exist', () => {
    const dirs = new Set<string>();
    // This build's files only: the build keeps older builds' chunks for a day (running processes may still load them).
    const built = statSync(path.join(DIST, '.built')).mtimeMs;
    for (const f of readdirSync(DIST).filter((f) => f.endsWith('.js') && statSync(path.join(DIST, f)).mtimeMs >= built)) {
      for (const m of readFileSync(path.join(DIST, f), 'utf8').matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) dirs.add(path.resolve(DIST, m[1]));
    }
    expect([...dirs]).toEqual(expect.arrayContaining([path.join(PROJECT_ROOT, 'config'), path.join(PROJECT_ROOT, 'entities/seed')]));
    for (const d of dirs) expect(existsSync(d), d).toBe(true);
  });

  it('--help lists every command without loading them', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['stack', 'config', 'db', 'pipeline', 'gleu', 'correct', 'demo', 'worker', 'schedule', 'controller', 'stage', 'serve']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('a command\'s help comes from its own group', async () => {
    const r = await cli(['controller', 'policy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--cooldown <duration>');
    expect(r.stdout).toContain('--samples <n>');
  });

  it('errors are one line with no stack; --debug adds the stack', async () => {
    const down = await cli(['controller', 'status']);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe('error: cannot reach Temporal at 127.0.0.1:1 (Failed to connect before the deadline): is the stack up? `correctly stack status` tells\n');
    const debug = await cli(['controller', 'status', '--debug']);
    expect(debug.stderr.split('\n')[0]).toBe(down.stderr.trim());
    expect(debug.stderr).toMatch(/TemporalUnreachableError: .*\n\s+at /);
    const flag = await cli(['controller', 'policy', '--cooldown', 'soon']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe(`error: option '--cooldown <duration>' argument 'soon' is invalid. --cooldown must be a duration such as 30s, 15m, 6h or 1d (or whole seconds), got "soon" (see --help)\n`);
    const config = await cli(['config'], { CONTROLLER_APPROVAL: 'maybe', DRIFT_WINDOW: 'an hour' });
    expect(config.code).toBe(1);
    expect(config.stderr).toBe('error: Invalid configuration: DRIFT_WINDOW="an hour": must be a duration such as 30s, 15m, 6h or 1d; CONTROLLER_APPROVAL="maybe": must be true or false (or yes/no, on/off, 1/0)\n');
    const unknown = await cli(['bogus']);
    expect(unknown.stderr).toBe("error: unknown command 'bogus' (see --help)\n");
  });

  it('yes/no settings accept yes and no', async () => {
    const r = await cli(['config', '--json'], { CONTROLLER_APPROVAL: 'yes' });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { env: string; value: string }[]).find((x) => x.env === 'CONTROLLER_APPROVAL')?.value).toBe('true');
  });

  it('pipeline start --dry-run checks the input and starts nothing (no Temporal needed)', async () => {
    const ok = await cli(['pipeline', 'start', '--samples', '200', '--trainer', 'lora', '--dry-run']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^would start: Retrain correctly-corrector: 200 samples, noise teacher, lora trainer/);
    const bad = await cli(['pipeline', 'start', '--samples', '5', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: invalid pipeline input: samples: at least 10 samples\n');
  });

  it('runs from source through tsx when asked (the fallback)', async () => {
    const r = await cli(['--help'], { CORRECTLY_FROM_SOURCE: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('controller');
  });
});
