#!/usr/bin/env node
/** The `correctly` command line. Each command group lives in client/commands/. */
import { Command } from 'commander';
import '../core/engines/champion'; // registers the `champion` engine
import '../core/providers'; // registers the `openai` and `ollama` engines
import { registerCorrect } from './commands/correct';
import { registerDb } from './commands/db';
import { registerDemo } from './commands/demo';
import { registerGleu } from './commands/gleu';
import { registerPipeline } from './commands/pipeline';
import { registerStack } from './commands/stack';
import { registerWorker } from './commands/worker';
import { registerSchedule } from './commands/schedule';
import { registerController } from './commands/controller';
import { registerStage } from './commands/stage';
import { registerServe } from './commands/serve';
import { registerApiKey } from './commands/apikey';

const program = new Command('correctly')
  .description('Correctly: corrects awkward English, explains why, and retrains itself through Temporal workflows')
  .showHelpAfterError();

registerStack(program);
registerDb(program);
registerPipeline(program);
registerGleu(program);
registerCorrect(program);
registerDemo(program);
registerWorker(program);
registerSchedule(program);
registerController(program);
registerStage(program);
registerServe(program);
registerApiKey(program);

await program.parseAsync(process.argv);
