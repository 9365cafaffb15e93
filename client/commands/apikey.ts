/**
 * `correctly api-key new NAME [--per-minute N]`: a fresh client API key for the serving API. The
 * key is printed once; the server is configured with its SHA-256 only (an API_KEYS entry), so
 * neither the config nor the database ever holds a usable key.
 */
import type { Command } from 'commander';
import { newApiKey } from '../../serve/auth';
import { action, intOption, UsageError } from './util';

export function registerApiKey(program: Command): void {
  program
    .command('api-key')
    .description('client API keys for the serving API (their own rate-limit quota; see API_KEYS)')
    .command('new <name>')
    .description('print a new key (give it to the client) and the API_KEYS entry (give it to the server)')
    .option('--per-minute <n>', 'requests per minute for this key (default API_RATE_LIMIT)', intOption('per-minute'))
    .action(action((name: string, opts: { perMinute?: number }) => {
      if (!/^[\w.-]{1,40}$/.test(name)) throw new UsageError(`name must be 1-40 letters, digits, ".", "_" or "-", got "${name}"`);
      if (opts.perMinute !== undefined && opts.perMinute < 1) throw new UsageError('--per-minute must be at least 1');
      const { key, entry } = newApiKey(name, opts.perMinute);
      console.log(`key (for the client, shown once):  ${key}`);
      console.log(`API_KEYS entry (for the server):    ${entry}`);
      console.log('Several entries are separated by commas. Clients send: Authorization: Bearer <key>');
    }));
}
