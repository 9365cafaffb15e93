/** A standalone command line with only `correct`, so tests can run the real command without the full CLI. */
import { Command } from 'commander';
import { registerCorrect } from '../../client/commands/correct';

const program = new Command('correctly').showHelpAfterError();
registerCorrect(program);
await program.parseAsync(process.argv);
