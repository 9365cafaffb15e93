import { createHash } from 'node:crypto';

/**
 * A stable id from its parts: re-running the same stage of the same workflow produces the same
 * ids, so writes become upserts and nothing is duplicated.
 */
export function stableId(prefix: string, ...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.map(String).join('\u241f')).digest('hex').slice(0, 24);
  return `${prefix}_${h}`;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
