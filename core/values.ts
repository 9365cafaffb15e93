/**
 * Values as people write them: durations (`90s`, `15m`, `6h`, `1d`, `250ms`) and yes/no. Pure: the
 * config, the CLI and workflow code (for display) share it.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Milliseconds of `text`, or null when it is not a duration. A bare number counts in `bareUnit`
 * when one is given (the CLI's `--cooldown 3600` means seconds), and is refused otherwise.
 */
export function parseDuration(text: string, bareUnit?: Unit): number | null {
  const t = text.trim();
  if (bareUnit && /^\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * UNIT_MS[bareUnit]);
  const m = PATTERN.exec(t);
  return m ? Math.round(parseFloat(m[1]) * UNIT_MS[m[2] as Unit]) : null;
}

/** `6h`, `90s`, `1d 2h`: the largest units that add up to `ms` exactly (at most two). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0 && parts.length < 2) {
      parts.push(`${n}${unit}`);
      rest -= n * UNIT_MS[unit];
    }
  }
  return parts.join(' ');
}

const TRUE = ['true', 'yes', 'y', 'on', '1'];
const FALSE = ['false', 'no', 'n', 'off', '0'];

/** true/false/yes/no/on/off/1/0 (any case) as a boolean, or null when it is none of them. */
export function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  return TRUE.includes(t) ? true : FALSE.includes(t) ? false : null;
}
