/**
 * The embedded default database: PGlite (Postgres compiled to WASM) with its data in a directory,
 * served over the Postgres wire protocol so `pg` and TypeORM talk to it exactly as to PostgreSQL.
 *
 * Usage: tsx infra/pglite-server.ts --dir DIR --host HOST --port PORT --max-connections N
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parseArgs } from 'node:util';
import { BatchAffineQueryQueue } from './pglite-queue';
import { z } from 'zod';

const Args = z.object({
  dir: z.string().min(1),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(1).max(65535),
  'max-connections': z.coerce.number().int().min(1).max(100).default(16),
});

async function main() {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'max-connections': { type: 'string' } },
  });
  const args = Args.parse(values);
  const db = await PGlite.create({ dataDir: args.dir });
  const server = new PGLiteSocketServer({ db, host: args.host, port: args.port, maxConnections: args['max-connections'] });
  // Replace the library's queue, which interleaves concurrent connections' batches (see pglite-queue.ts).
  (server as unknown as { queryQueue: BatchAffineQueryQueue }).queryQueue = new BatchAffineQueryQueue(db);
  await server.start();
  console.log(`pglite listening on ${args.host}:${args.port} (data ${args.dir}, max ${args['max-connections']} connections)`);
  const stop = async (signal: string) => {
    console.log(`pglite: ${signal}, closing`);
    await server.stop();
    await db.close(); // flushes to disk so the next start finds a consistent data dir
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error(`pglite: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
