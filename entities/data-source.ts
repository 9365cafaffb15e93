/**
 * One way to open the database, for every process: PGlite (over the wire) and PostgreSQL alike.
 * The schema is owned by the committed migrations; `synchronize` is never used.
 */
import { DataSource } from 'typeorm';
import { ENTITY_SCHEMAS } from './index';
import { MIGRATIONS } from './migrations';

export function createDataSource(url: string, opts: { poolSize?: number; logging?: boolean } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITY_SCHEMAS,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // One transaction per migration, so a failure leaves the schema at the last good migration.
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: opts.logging ?? false,
    poolSize: opts.poolSize ?? 5,
    connectTimeoutMS: 10_000,
  });
}

/** Opens a data source, runs pending migrations, and returns it. */
export async function openDatabase(url: string, opts: { poolSize?: number; migrate?: boolean } = {}): Promise<DataSource> {
  const ds = createDataSource(url, opts);
  await ds.initialize();
  if (opts.migrate ?? true) await ds.runMigrations();
  return ds;
}
