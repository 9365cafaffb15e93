/**
 * Generates a migration from the difference between the entity schemas and a database that has
 * every committed migration applied (a fresh in-process PGlite, so no server is needed).
 *
 * Usage: npx tsx scripts/generate-migration.ts <Name>
 */
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '../ops/stack/process';
import { createDataSource } from '../entities/data-source';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: tsx scripts/generate-migration.ts <PascalCaseName>');
  process.exit(2);
}

const db = await PGlite.create();
const port = await freePort();
const server = new PGLiteSocketServer({ db, port, maxConnections: 4 });
await server.start();
const ds = createDataSource(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, { poolSize: 1 });
await ds.initialize();
await ds.runMigrations();
const sql = await ds.driver.createSchemaBuilder().log();
await ds.destroy();
await server.stop();
await db.close();

if (sql.upQueries.length === 0) {
  console.log('No changes in the entity schemas: no migration generated.');
  process.exit(0);
}
const ts = Date.now();
const cls = `${name}${ts}`;
const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  async up(db: QueryRunner): Promise<void> {
${sql.upQueries.map((u) => `    await db.query(${q(u.query)});`).join('\n')}
  }

  async down(db: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map((d) => `    await db.query(${q(d.query)});`).join('\n')}
  }
}
`;
const dir = path.resolve(import.meta.dirname, '../entities/migrations');
const file = `${ts}-${name}`;
writeFileSync(path.join(dir, `${file}.ts`), body);
const indexFile = path.join(dir, 'index.ts');
const index = readFileSync(indexFile, 'utf8')
  .replace(/^(\/\/.*\n)/, `$1import { ${cls} } from './${file}';\n`)
  .replace(/= \[(.*)\];/s, (_m, list: string) => `= [${[...list.split(',').map((s) => s.trim()).filter(Boolean), cls].join(', ')}];`);
writeFileSync(indexFile, index);
console.log(`Wrote entities/migrations/${file}.ts (${sql.upQueries.length} statements)`);
