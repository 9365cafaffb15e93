import type { Command } from 'commander';
import { describeConfig } from '../../core/config';
import { type ComponentStatus, Stack, type StackPart } from '../../core/stack/index';
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

export function registerStack(program: Command) {
  const stack = program.command('stack').description('Start, stop and inspect the local servers (Temporal, database, MLflow, Chroma)');
  stack
    .command('up [parts...]')
    .description('start every part not yet running and wait until healthy')
    .action(action(async (parts: string[]) => {
      const s = new Stack(cliConfig());
      printStatus(await s.up(parseParts(parts), (l) => console.log(l)));
    }));
  stack
    .command('down [parts...]')
    .description('stop the parts this stack started')
    .action(action(async (parts: string[]) => {
      const stopped = await new Stack(cliConfig()).down(parseParts(parts));
      console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
    }));
  stack
    .command('status [parts...]')
    .description('show each part with its URLs')
    .option('--json', 'print JSON')
    .action(action(async (parts: string[], opts: { json?: boolean }) => {
      const rows = await new Stack(cliConfig()).status(parseParts(parts));
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else printStatus(rows);
      if (rows.some((r) => r.state !== 'up')) process.exitCode = 3;
    }));

  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .option('--json', 'print JSON')
    .action(action((opts: { json?: boolean }) => {
      const rows = describeConfig(cliConfig());
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else console.log(table(rows.map((r) => ({ env: r.env, value: r.value, source: r.source }))));
    }));
}
