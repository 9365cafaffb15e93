#!/usr/bin/env node
/**
 * The `correctly` command line. Each command group lives in client/commands/ and is imported only
 * when one of its commands runs (or its help is asked for), so `correctly --help` starts at once.
 * `--debug`, anywhere on the line, prints stack traces with errors.
 */
import { Command } from 'commander';
import { reportError, setDebug } from './commands/errors';

type Register = (program: Command) => void;

/** The command groups: the top-level commands each registers, a one-line summary of each, and how to load it. */
const GROUPS: { summaries: Record<string, string>; load: () => Promise<Register> }[] = [
  { summaries: { stack: 'start, stop and inspect the local servers', config: 'the effective configuration (secrets masked)' }, load: async () => (await import('./commands/stack')).registerStack },
  { summaries: { db: 'database migrations and seed data' }, load: async () => (await import('./commands/db')).registerDb },
  { summaries: { pipeline: 'start, follow, cancel and approve retraining pipelines' }, load: async () => (await import('./commands/pipeline')).registerPipeline },
  { summaries: { gleu: 'GLEU of a hypothesis file, as the JFLEG scorer computes it' }, load: async () => (await import('./commands/gleu')).registerGleu },
  {
    summaries: { correct: 'correct sentences, one per line' },
    load: async () => (await import('./commands/correct')).registerCorrect,
  },
  { summaries: { demo: 'what `make demo` runs: stack, seed, one pipeline, a served correction, the drift schedule' }, load: async () => (await import('./commands/demo')).registerDemo },
  { summaries: { worker: 'a worker process (cpu: workflows and CPU stages; gpu: the fine-tune)' }, load: async () => (await import('./commands/worker')).registerWorker },
  { summaries: { schedule: 'the drift-check Temporal Schedule' }, load: async () => (await import('./commands/schedule')).registerSchedule },
  { summaries: { controller: 'the RetrainingController: state, history, triggers, policy, approval' }, load: async () => (await import('./commands/controller')).registerController },
  { summaries: { stage: 'one pipeline stage without Temporal, as `dvc repro` runs it' }, load: async () => (await import('./commands/stage')).registerStage },
  { summaries: { serve: 'the serving API and web page in the foreground' }, load: async () => (await import('./commands/serve')).registerServe },
  { summaries: { 'api-key': 'create an API key for the serving API (its API_KEYS entry)' }, load: async () => (await import('./commands/apikey')).registerApiKey },
];

const argv = process.argv.filter((a) => a !== '--debug');
setDebug(argv.length !== process.argv.length || process.env.CORRECTLY_DEBUG === '1');

const program = new Command('correctly')
  .description('Correctly: corrects awkward English, explains why, and retrains itself through Temporal workflows')
  .option('--debug', 'print stack traces with errors')
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`) });

// The command named on the line (`correctly help <command>` names it second).
const args = argv.slice(2).filter((a) => !a.startsWith('-'));
const named = args[0] === 'help' ? args[1] : args[0];
const group = GROUPS.find((g) => named !== undefined && named in g.summaries);
try {
  if (group) (await group.load())(program);
  else for (const g of GROUPS) for (const [name, summary] of Object.entries(g.summaries)) program.command(name).summary(summary);
  await program.parseAsync(argv);
} catch (e) {
  process.exitCode = reportError(e);
}
