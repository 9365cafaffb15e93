/** `correctly schedule apply|show|delete|check`: the drift-check Temporal Schedule. */
import type { Command } from 'commander';
import { links } from '../../config';
import { formatDuration } from '../../core/values';
import { applyDriftSchedule, describeDriftSchedule, driftCheckInputFromConfig, driftScheduleId, runDriftCheck } from '../controller';
import { CorrectlyClient } from '../index';
import { action, cliConfig, UsageError } from './util';

async function withClient<T>(fn: (c: CorrectlyClient) => Promise<T>): Promise<T> {
  const c = await CorrectlyClient.connect(cliConfig());
  try {
    return await fn(c);
  } catch (e) {
    if ((e as Error)?.name === 'InvalidInputError') throw new UsageError((e as Error).message);
    throw e;
  } finally {
    await c.close();
  }
}

export function registerSchedule(program: Command) {
  const schedule = program.command('schedule').description('the drift-check schedule (DRIFT_CHECK_INTERVAL, DRIFT_WINDOW, DRIFT_* thresholds)');

  schedule
    .command('apply')
    .description('create the drift-check schedule, or update it to the current config (idempotent)')
    .option('--model-name <name>', 'registered model to watch (default MLFLOW_MODEL_NAME)')
    .option('--paused', 'create or leave it paused')
    .action(action(async (o: { modelName?: string; paused?: boolean }) => {
      await withClient(async (c) => {
        const r = await applyDriftSchedule(c, { modelName: o.modelName, paused: o.paused });
        console.log(`${r.created ? 'created' : 'updated'} schedule ${r.scheduleId}: every ${formatDuration(c.config.driftCheckInterval)}, window ${formatDuration(c.config.driftWindow)}`);
        console.log(links(c.config).schedule(r.scheduleId));
        console.log(`controller ${r.controllerId} running (drift signals it): ${c.webUiUrl(r.controllerId)}`);
      });
    }));

  schedule
    .command('show')
    .description('the schedule, its next runs and recent actions')
    .option('--model-name <name>')
    .option('--json', 'as JSON')
    .action(action(async (o: { modelName?: string; json?: boolean }) => {
      await withClient(async (c) => {
        const d = await describeDriftSchedule(c, o.modelName);
        if (!d) throw new UsageError(`no schedule ${driftScheduleId(o.modelName ?? c.config.mlflowModelName)}: run \`correctly schedule apply\``);
        const view = {
          scheduleId: d.scheduleId,
          paused: d.state.paused,
          note: d.state.note,
          every: d.spec.intervals?.map((i) => i.every),
          nextActionTimes: d.info.nextActionTimes.slice(0, 3),
          recentActions: d.info.recentActions.slice(-5).map((a) => ({ at: a.takenAt, workflowId: a.action.workflow.workflowId })),
        };
        console.log(o.json ? JSON.stringify(view, null, 2) : Object.entries(view).map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n'));
      });
    }));

  schedule
    .command('delete')
    .description('delete the drift-check schedule')
    .option('--model-name <name>')
    .action(action(async (o: { modelName?: string }) => {
      await withClient(async (c) => {
        const id = driftScheduleId(o.modelName ?? c.config.mlflowModelName);
        if (!(await describeDriftSchedule(c, o.modelName))) throw new UsageError(`no schedule ${id}`);
        await c.temporal.schedule.getHandle(id).delete();
        console.log(`deleted schedule ${id}`);
      });
    }));

  schedule
    .command('check')
    .description('run one drift check now and print its outcome')
    .option('--model-name <name>')
    .option('--no-signal', 'do not signal the controller on drift')
    .action(action(async (o: { modelName?: string; signal: boolean }) => {
      await withClient(async (c) => {
        const modelName = o.modelName ?? c.config.mlflowModelName;
        const out = await runDriftCheck(c, driftCheckInputFromConfig(c.config, modelName, { signalController: o.signal }));
        console.log(JSON.stringify(out, null, 2));
      });
    }));
}
