/** `correctly controller …`: the RetrainingController of a model (state, history, signals, policy). */
import { type Command, InvalidArgumentError } from 'commander';
import type { PolicyPatch } from '../../contracts/controller';
import { CorrectlyClient, InvalidInputError } from '../index';
import { action, cliConfig, intOption, table, UsageError } from './util';

async function withController<T>(modelName: string | undefined, fn: (c: CorrectlyClient, ctl: ReturnType<CorrectlyClient['controller']>) => Promise<T>): Promise<T> {
  const c = await CorrectlyClient.connect(cliConfig());
  try {
    return await fn(c, c.controller(modelName));
  } catch (e) {
    if (e instanceof InvalidInputError) throw new UsageError(e.message);
    if ((e as Error)?.name === 'WorkflowNotFoundError') throw new UsageError(`no controller running for this model: start it with \`correctly controller start\` or a signal`);
    throw e;
  } finally {
    await c.close();
  }
}

/** A whole number of seconds (or of anything else countable), ≥ 0. */
function count(name: string) {
  const int = intOption(name);
  return (v: string) => {
    const n = int(v);
    if (n < 0) throw new InvalidArgumentError(`--${name} must not be negative, got "${v}"`);
    return n;
  };
}

export function registerController(program: Command) {
  const ctl = program.command('controller').description('the RetrainingController: one long-lived workflow per served model');
  const model = (cmd: Command) => cmd.option('--model-name <name>', 'registered model (default MLFLOW_MODEL_NAME)');

  model(ctl.command('start').description('start the controller if it is not running (policy from CONTROLLER_* settings)')).action(action(async (o: { modelName?: string }) => {
    await withController(o.modelName, async (c, h) => {
      console.log(`controller ${await h.ensureStarted()} running: ${c.webUiUrl(h.workflowId)}`);
    });
  }));

  model(ctl.command('status').description('state of the controller').option('--json')).action(action(async (o: { modelName?: string; json?: boolean }) => {
    await withController(o.modelName, async (_c, h) => {
      const s = await h.state();
      if (o.json) return console.log(JSON.stringify(s, null, 2));
      console.log(`${h.workflowId}: ${s.status}; ${s.pipelinesStarted} pipelines, ${s.promotions} promotions, champion ${s.champion ?? '-'}`);
      if (s.active) console.log(`running ${s.active.pipelineId} since ${s.active.startedAt}`);
      if (s.cooldownUntil) console.log(`cooldown until ${s.cooldownUntil}`);
      console.log(`policy ${JSON.stringify(s.policy)}`);
    });
  }));

  model(ctl.command('history').description('recent decisions and outcomes').option('--json')).action(action(async (o: { modelName?: string; json?: boolean }) => {
    await withController(o.modelName, async (_c, h) => {
      const events = await h.history();
      console.log(o.json ? JSON.stringify(events, null, 2) : table(events.map((e) => ({ at: e.at.slice(0, 19), event: e.kind, detail: e.detail.slice(0, 120) }))));
    });
  }));

  for (const [name, kind, help] of [
    ['retrain', 'retrainRequested', 'ask for a retraining now (skips debounce and cooldown, not the budget)'],
    ['drift', 'driftDetected', 'report drift by hand'],
    ['new-data', 'newDataAvailable', 'tell the controller new data is available'],
  ] as const) {
    model(ctl.command(`${name} <reason...>`).description(help)).action(action(async (reason: string[], o: { modelName?: string }) => {
      await withController(o.modelName, async (_c, h) => {
        const trigger = { reason: reason.join(' '), source: `cli (${process.env.USER ?? 'operator'})` };
        if (kind === 'retrainRequested') await h.retrainRequested(trigger);
        else if (kind === 'driftDetected') await h.driftDetected(trigger);
        else await h.newDataAvailable(trigger);
        console.log(`signalled ${kind} to ${h.workflowId}`);
      });
    }));
  }

  model(
    ctl
      .command('policy')
      .description('change the policy (validated by the workflow before anything changes)')
      .option('--cooldown <s>', 'seconds after a pipeline in which automatic triggers start nothing', count('cooldown'))
      .option('--debounce <s>', 'quiet seconds before deciding', count('debounce'))
      .option('--max-per-day <n>', 'budget: pipelines per 24 h', count('max-per-day'))
      .option('--approval <yes|no>', 'pipelines wait for human approval')
      .option('--pause', 'start nothing until --resume')
      .option('--resume'),
  ).action(action(async (o: { modelName?: string; cooldown?: number; debounce?: number; maxPerDay?: number; approval?: string; pause?: boolean; resume?: boolean }) => {
    const patch: PolicyPatch = {};
    if (o.cooldown !== undefined) patch.cooldownSeconds = o.cooldown;
    if (o.debounce !== undefined) patch.debounceSeconds = o.debounce;
    if (o.maxPerDay !== undefined) patch.maxPipelinesPerDay = o.maxPerDay;
    if (o.approval !== undefined) {
      if (!['yes', 'no'].includes(o.approval)) throw new UsageError(`--approval must be yes or no, got "${o.approval}"`);
      patch.approvalRequired = o.approval === 'yes';
    }
    if (o.pause && o.resume) throw new UsageError('--pause and --resume contradict each other');
    if (o.pause) patch.paused = true;
    if (o.resume) patch.paused = false;
    if (!Object.keys(patch).length) throw new UsageError('nothing to change: give --cooldown, --debounce, --max-per-day, --approval, --pause or --resume');
    await withController(o.modelName, async (_c, h) => console.log(JSON.stringify(await h.setPolicy(patch))));
  }));
}
