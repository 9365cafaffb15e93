import type { Command } from 'commander';
import { endpoints } from '../../config';
import { seedDatabase } from '../../entities/seed';
import { createDataSource, openDatabase } from '../../entities/data-source';
import { action, cliConfig, table } from './util';

async function withDataSource<T>(fn: (ds: ReturnType<typeof createDataSource>) => Promise<T>): Promise<T> {
  const ds = createDataSource(endpoints(cliConfig()).databaseUrl, { poolSize: 1 });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

export function registerDb(program: Command) {
  const db = program.command('db').description('Database schema and seed data');
  db.command('migrate')
    .description('apply pending migrations')
    .action(action(async () => {
      const ran = await withDataSource((ds) => ds.runMigrations());
      console.log(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}` : 'schema is up to date');
    }));
  db.command('revert')
    .description('revert the last applied migration')
    .action(action(async () => {
      await withDataSource((ds) => ds.undoLastMigration());
      console.log('reverted the last migration');
    }));
  db.command('status')
    .description('list migrations and whether each is applied')
    .action(action(async () => {
      const rows = await withDataSource(async (ds) => {
        const [{ exists }]: { exists: boolean }[] = await ds.query(`select to_regclass('schema_migrations') is not null as exists`);
        const applied: { name: string }[] = exists ? await ds.query('select name from schema_migrations') : [];
        const appliedNames = new Set(applied.map((r) => r.name));
        return ds.migrations.map((m) => ({ migration: m.name!, state: appliedNames.has(m.name!) ? 'applied' : 'pending' }));
      });
      console.log(table(rows));
    }));
  db.command('seed')
    .description('load the seed data (idempotent: seeding twice leaves the same rows); migrates first')
    .action(action(async () => {
      const ds = await openDatabase(endpoints(cliConfig()).databaseUrl, { poolSize: 2 });
      try {
        const counts = await seedDatabase(ds);
        console.log(Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '));
      } finally {
        await ds.destroy();
      }
    }));
}
