/** Shared CLI plumbing: config loading, error reporting, output. */
import { InvalidArgumentError } from 'commander';
import { type Config, ConfigError, loadConfig } from '../../core/config';
import { StackError } from '../../core/stack/process';

/** An error caused by the user's input: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function cliConfig(): Config {
  return loadConfig();
}

/** Wraps a command action so known errors print one clear message and set the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof UsageError) {
        console.error(`error: ${e.message}`);
        process.exitCode = 2;
      } else if (e instanceof ConfigError || e instanceof StackError) {
        console.error(`error: ${e.message}`);
        process.exitCode = 1;
      } else {
        console.error(`error: ${(e as Error)?.stack ?? String(e)}`);
        process.exitCode = 1;
      }
    }
  };
}

export function table(rows: Record<string, string>[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: Record<string, string>) => cols.map((c, i) => (r[c] ?? '').padEnd(width[i])).join('  ').trimEnd();
  return [line(Object.fromEntries(cols.map((c) => [c, c.toUpperCase()]))), ...rows.map(line)].join('\n');
}

/** Option parser for an integer flag: a bad value is commander's one-line error, exit code 1. */
export function intOption(name: string) {
  return (v: string) => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`--${name} must be an integer, got "${v}"`);
    return Number(v);
  };
}

/** Option parser for a number flag. */
export function numberOption(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`--${name} must be a number, got "${v}"`);
    return n;
  };
}
