/** A standalone command line with only `gleu`, so tests can run the real command without the full CLI. */
import { Command } from 'commander';
import { registerGleu } from '../../client/commands/gleu';

const program = new Command('correctly').showHelpAfterError();
registerGleu(program);
await program.parseAsync(process.argv);
