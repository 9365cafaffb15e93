/** Shared CLI plumbing: config loading, error reporting, option parsers, output. */
import { InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../../config';
import { parseBoolean, parseDuration } from '../../core/values';
import { reportError } from './errors';

export { UsageError } from './errors';

export function cliConfig(): Config {
  return loadConfig();
}

/** Wraps a command action so that any error prints as one line (see errors.ts) and sets the exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.exitCode = reportError(e);
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

/** Shortens text for a table cell (the data itself, e.g. `--json`, keeps it whole). */
export function cell(text: string, width = 120): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
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

/** Option parser for a duration flag (`30s`, `15m`, `6h`, `1d`; a bare number is seconds), as whole seconds. */
export function durationOption(name: string) {
  return (v: string) => {
    const ms = parseDuration(v, 's');
    if (ms === null || ms % 1000 !== 0) throw new InvalidArgumentError(`--${name} must be a duration such as 30s, 15m, 6h or 1d (or whole seconds), got "${v}"`);
    return ms / 1000;
  };
}

/** Option parser for a yes/no flag value: true/false, yes/no, on/off, 1/0. */
export function booleanOption(name: string) {
  return (v: string) => {
    const b = parseBoolean(v);
    if (b === null) throw new InvalidArgumentError(`--${name} must be true or false (or yes/no), got "${v}"`);
    return b;
  };
}
