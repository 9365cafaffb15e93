import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../ops/stack/process';
import { createDataSource } from '../../entities/data-source';
import { ENTITY_SCHEMAS } from '../../entities';
import { startPostgres, type TestPostgres } from '../support/postgres';

const expectedTables = ENTITY_SCHEMAS.map((s) => s.options.tableName!).sort();

async function tables(url: string): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 1 });
  await ds.initialize();
  try {
    const rows: { table_name: string }[] = await ds.query(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'schema_migrations' order by 1`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await ds.destroy();
  }
}

/** Up, down and up again; after each step the schema matches the entities exactly (or is empty). */
async function roundTrip(url: string) {
  const ds = createDataSource(url, { poolSize: 2 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations();
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(url)).toEqual(expectedTables);
    // Nothing left for the generator to do: migrations and entities agree.
    const diff = await ds.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);

    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration();
    expect(await tables(url)).toEqual([]);

    await ds.runMigrations();
    expect(await tables(url)).toEqual(expectedTables);
    expect(await ds.runMigrations()).toEqual([]); // idempotent
  } finally {
    await ds.destroy();
  }
}

describe('migrations on PGlite over the wire protocol', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  beforeAll(async () => {
    db = await PGlite.create();
    const port = await freePort();
    server = new PGLiteSocketServer({ db, port, maxConnections: 8 });
    await server.start();
    url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });
  it('goes up, down and up again, matching the entities', async () => {
    await roundTrip(url);
  });
});

describe('migrations on real PostgreSQL', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });
  it('runs on PostgreSQL 15', () => {
    expect(pg.version).toMatch(/PostgreSQL\) 15\./);
  });
  it('goes up, down and up again, matching the entities', async () => {
    await roundTrip(pg.url);
  });
});
