/** `correctly stack up|down|status [parts…]` and `correctly config`. */
import type { Command } from 'commander';
import { type Config, endpoints } from '../../config';
import type { ComponentStatus, StackPart } from '../../ops/stack/index';
import { action, cliConfig, table, UsageError } from './util';

const PARTS: StackPart[] = ['temporal', 'database', 'mlflow', 'chroma', 'languagetool', 'worker', 'api'];

function parseParts(list: string[]): StackPart[] | undefined {
  if (!list.length) return undefined;
  for (const p of list) if (!PARTS.includes(p as StackPart)) throw new UsageError(`unknown stack part "${p}"; choose from ${PARTS.join(', ')}`);
  return list as StackPart[];
}

export function printStatus(rows: ComponentStatus[]) {
  console.log(
    table(
      rows.map((r) => ({
        part: r.name,
        state: r.state + (r.embedded ? '' : ' (external)'),
        pid: r.pid ? String(r.pid) : '-',
        urls: Object.entries(r.urls).map(([k, v]) => `${k}: ${v}`).join('  '),
      })),
    ),
  );
}

/**
 * What makes a started stack usable at once: the database migrated and seeded (idempotent), and the
 * controller of the default model running (so a plain signal from any Temporal client finds it).
 */
export async function readyStack(config: Config, parts: StackPart[] | undefined, log: (line: string) => void): Promise<void> {
  if (!parts || parts.includes('database')) {
    const { openDatabase } = await import('../../entities/data-source');
    const { seedDatabase } = await import('../../entities/seed');
    const ds = await openDatabase(endpoints(config).databaseUrl, { poolSize: 2 });
    try {
      const counts = await seedDatabase(ds);
      log(`database migrated and seeded: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    } finally {
      await ds.destroy();
    }
  }
  if (!parts || parts.includes('temporal')) {
    const { CorrectlyClient } = await import('../index');
    const client = await CorrectlyClient.connect(config);
    try {
      const id = await client.controller().ensureStarted();
      log(`controller ${id} running: ${client.webUiUrl(id)}`);
    } finally {
      await client.close();
    }
  }
}

export function registerStack(program: Command) {
  const stack = program.command('stack').description('Start, stop and inspect the local servers (Temporal, database, MLflow, Chroma, CPU worker, serving API)');
  stack
    .command('up [parts...]')
    .description('start every part not yet running and wait until healthy; then seed the database and start the controller (idempotent)')
    .action(
      action(async (list: string[]) => {
        const { Stack } = await import('../../ops/stack/index');
        const config = cliConfig();
        const parts = parseParts(list);
        printStatus(await new Stack(config).up(parts, (l) => console.log(l)));
        await readyStack(config, parts, (l) => console.log(l));
      }),
    );
  stack
    .command('down [parts...]')
    .description('stop the parts this stack started')
    .action(
      action(async (list: string[]) => {
        const { Stack } = await import('../../ops/stack/index');
        const stopped = await new Stack(cliConfig()).down(parseParts(list));
        console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      }),
    );
  stack
    .command('status [parts...]')
    .description('show each part with its URLs (exit code 3 when one is not up)')
    .option('--json', 'print JSON')
    .action(
      action(async (list: string[], opts: { json?: boolean }) => {
        const { Stack } = await import('../../ops/stack/index');
        const rows = await new Stack(cliConfig()).status(parseParts(list));
        if (opts.json) console.log(JSON.stringify(rows, null, 2));
        else printStatus(rows);
        if (rows.some((r) => r.state !== 'up')) process.exitCode = 3;
      }),
    );

  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const { describeConfig } = await import('../../config');
        const rows = describeConfig(cliConfig());
        if (opts.json) console.log(JSON.stringify(rows, null, 2));
        else console.log(table(rows.map((r) => ({ env: r.env, value: r.value, source: r.source }))));
      }),
    );
}
