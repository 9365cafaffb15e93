/**
 * The embedded default database: PGlite (Postgres compiled to WASM) with its data in a directory,
 * served over the Postgres wire protocol so `pg` and TypeORM talk to it exactly as to PostgreSQL.
 *
 * Usage: tsx infra/pglite-server.ts --dir DIR --host HOST --port PORT --max-connections N [--template-dir DIR]
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BatchAffineQueryQueue } from './pglite-queue';
import { z } from 'zod';

const Args = z.object({
  dir: z.string().min(1),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(1).max(65535),
  'max-connections': z.coerce.number().int().min(1).max(100).default(16),
  'template-dir': z.string().min(1).optional(),
});

/** The installed PGlite's version: a template cluster is only reused by the PGlite that made it. */
function pgliteVersion(): string {
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let dir = path.dirname(main); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/**
 * A new data directory starts as a copy of an empty cluster made once per PGlite version under
 * `templates`: initdb (in WASM) costs ~6 CPU-s and ~4 s of a fresh start, a copy milliseconds, and
 * every fresh stack (a test suite starts dozens) needs one. The template is made in a temporary
 * directory and renamed into place, so servers starting at once never copy half of one.
 */
async function prepareDataDir(dir: string, templates: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return; // an existing cluster: started as it is
  const template = path.join(templates, `pglite-${pgliteVersion()}`);
  if (!existsSync(template)) {
    mkdirSync(templates, { recursive: true });
    const tmp = mkdtempSync(path.join(templates, '.making-'));
    try {
      const db = await PGlite.create({ dataDir: tmp });
      await db.close(); // a clean shutdown: what a copy starts from
      renameSync(tmp, template);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(template)) throw e; // else another server made it first
    }
  }
  cpSync(template, dir, { recursive: true });
}

async function main() {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'max-connections': { type: 'string' }, 'template-dir': { type: 'string' } },
  });
  const args = Args.parse(values);
  if (args['template-dir']) await prepareDataDir(args.dir, args['template-dir']);
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
