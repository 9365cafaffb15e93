#!/usr/bin/env node
/** The `correctly` command line. Each command group lives in client/commands/. */
import { Command } from 'commander';
import { registerDb } from './commands/db';
import { registerStack } from './commands/stack';

const program = new Command('correctly')
  .description('Correctly: corrects awkward English, explains why, and retrains itself through Temporal workflows')
  .showHelpAfterError();

registerStack(program);
registerDb(program);

await program.parseAsync(process.argv);
