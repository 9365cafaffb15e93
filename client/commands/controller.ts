/** `correctly controller …`: the RetrainingController of a model (state, history, triggers, policy, approval). */
import type { Command } from 'commander';
import type { ControllerClient } from '../controller';
import type { ControllerState, PolicyPatch, TriggerKind } from '../../contracts/controller';
import { formatDuration } from '../../core/values';
import { type PipelineSettings, policyPipelineFromOptions, withPipelineSettings } from './pipeline';
import { action, booleanOption, cell, cliConfig, durationOption, intOption, table, UsageError } from './util';

async function withController<T>(modelName: string | undefined, fn: (ctl: ControllerClient, webUi: (id: string) => string) => Promise<T>): Promise<T> {
  const { CorrectlyClient } = await import('../index');
  const c = await CorrectlyClient.connect(cliConfig());
  try {
    return await fn(c.controller(modelName), (id) => c.webUiUrl(id));
  } catch (e) {
    if ((e as Error)?.name === 'InvalidInputError') throw new UsageError((e as Error).message);
    if ((e as Error)?.name === 'WorkflowNotFoundError') throw new UsageError(`no controller runs for this model: \`correctly controller start\` (or \`stack up\`, \`schedule apply\`) starts it`);
    throw e;
  } finally {
    await c.close();
  }
}

/** `3s ago`, `in 2h 5m`: a time relative to now, for status lines. */
function relative(iso: string): string {
  const ms = Date.parse(iso) - Date.now();
  const d = formatDuration(Math.abs(Math.round(ms / 1000)) * 1000);
  return ms >= 0 ? `in ${d}` : `${d} ago`;
}

function formatStatus(id: string, s: ControllerState): string {
  const p = s.policy;
  const lines = [
    `${id}: ${s.status.replace('_', ' ')}`,
    `champion   ${s.champion ? `${s.champion.version ? `v${s.champion.version}` : 'none yet'} (read from MLflow ${relative(s.champion.readAt)}${s.champion.error ? `; ${s.champion.error}` : ''})` : 'not read yet (read when the controller next decides)'}`,
    `pipelines  ${s.pipelinesStarted} started, ${s.promotions} promoted${s.lastFinishedAt ? `, last ended ${relative(s.lastFinishedAt)}` : ''}`,
  ];
  if (s.active) lines.push(`${s.active.state === 'awaiting_approval' ? 'awaiting   approval of' : 'running   '} ${s.active.pipelineId} (since ${relative(s.active.startedAt)})`);
  if (s.pending) lines.push(`pending    ${s.pending.count} trigger(s), coalesced: ${s.pending.reasons.at(-1)}`);
  if (s.cooldownUntil) lines.push(`cooldown   until ${s.cooldownUntil} (${relative(s.cooldownUntil)})`);
  lines.push(
    `policy     cooldown ${formatDuration(p.cooldownSeconds * 1000)}, debounce ${formatDuration(p.debounceSeconds * 1000)}, ≤ ${p.maxPipelinesPerDay} per day, approval ${p.approvalRequired ? 'yes' : 'no'}${p.paused ? ', paused' : ''}${Object.keys(p.pipeline).length ? `, pipelines ${JSON.stringify(p.pipeline)}` : ''}`,
  );
  if (s.refused.length) {
    lines.push(`refused    ${s.refused.length} signal(s) it could not use:`);
    for (const r of s.refused.slice(-5)) lines.push(`  ${r.at.slice(0, 19)}Z ${r.name}: ${r.reason} (payload ${cell(r.payload, 80)})`);
  }
  return lines.join('\n');
}

const TRIGGERS: [string, TriggerKind, string][] = [
  ['drift', 'drift', 'report drift by hand (a signal: fire and forget)'],
  ['new-data', 'newData', 'tell the controller new data is available (a signal)'],
];

export function registerController(program: Command) {
  const ctl = program.command('controller').description('the RetrainingController: one long-lived workflow per served model');
  const model = (cmd: Command) => cmd.option('--model-name <name>', 'registered model (default MLFLOW_MODEL_NAME)');

  model(ctl.command('start').description('start the controller if it is not running (policy from CONTROLLER_* settings); `stack up` and `schedule apply` do this too')).action(
    action(async (o: { modelName?: string }) => {
      await withController(o.modelName, async (h, webUi) => {
        console.log(`controller ${await h.ensureStarted()} running: ${webUi(h.workflowId)}`);
      });
    }),
  );

  model(ctl.command('status').description('state of the controller, the champion, pending triggers and refused signals').option('--json')).action(
    action(async (o: { modelName?: string; json?: boolean }) => {
      await withController(o.modelName, async (h) => {
        const s = await h.state();
        console.log(o.json ? JSON.stringify(s, null, 2) : formatStatus(h.workflowId, s));
      });
    }),
  );

  model(ctl.command('history').description('decisions and outcomes, oldest first (reasons in full with --json)').option('--json').option('--limit <n>', 'the last N events', intOption('limit'))).action(
    action(async (o: { modelName?: string; json?: boolean; limit?: number }) => {
      await withController(o.modelName, async (h) => {
        const events = (await h.history()).slice(-(o.limit ?? Infinity));
        console.log(o.json ? JSON.stringify(events, null, 2) : table(events.map((e) => ({ at: e.at.slice(0, 19), event: e.kind, detail: cell(e.detail) }))));
      });
    }),
  );

  model(ctl.command('retrain <reason...>').description('retrain now: waits for the answer (started, or queued behind the running pipeline); refused with the reason when paused or over budget')).action(
    action(async (reason: string[], o: { modelName?: string }) => {
      await withController(o.modelName, async (h, webUi) => {
        const answer = await h.retrainNow({ reason: reason.join(' '), source: `cli (${process.env.USER ?? 'operator'})` });
        console.log(answer.outcome === 'started' ? `started ${answer.pipelineId}\n${webUi(answer.pipelineId)}` : `queued behind ${answer.behind} (${answer.pending} trigger(s) pending)`);
      });
    }),
  );

  for (const [name, kind, help] of TRIGGERS) {
    model(ctl.command(`${name} <reason...>`).description(help)).action(
      action(async (reason: string[], o: { modelName?: string }) => {
        await withController(o.modelName, async (h) => {
          await h.signal(kind, { reason: reason.join(' '), source: `cli (${process.env.USER ?? 'operator'})` });
          console.log(`signalled ${kind} to ${h.workflowId} (see \`correctly controller status\`)`);
        });
      }),
    );
  }

  model(
    ctl
      .command('approve')
      .description('approve (or --reject) the candidate of the pipeline the controller waits on')
      .requiredOption('--reviewer <name>', 'who decides')
      .option('--reject', 'reject instead of approve')
      .option('--comment <text>', 'why'),
  ).action(
    action(async (o: { modelName?: string; reviewer: string; reject?: boolean; comment?: string }) => {
      await withController(o.modelName, async (h) => {
        const r = await h.approve({ approved: !o.reject, reviewer: o.reviewer, ...(o.comment ? { comment: o.comment } : {}) });
        console.log(`${r.pipelineId}: ${r.answer}`);
      });
    }),
  );

  withPipelineSettings(model(
    ctl
      .command('policy')
      .description('change the policy (an update: the workflow validates it before anything changes); --samples … set what the started pipelines run with')
      .option('--cooldown <duration>', 'after a pipeline, automatic triggers start nothing for this long (30s, 15m, 6h, 1d or seconds)', durationOption('cooldown'))
      .option('--debounce <duration>', 'quiet time before deciding on automatic triggers', durationOption('debounce'))
      .option('--max-per-day <n>', 'budget: pipelines per 24 h', intOption('max-per-day'))
      .option('--approval <yes|no>', 'pipelines wait for a human approval (yes/no, true/false)', booleanOption('approval'))
      .option('--pause', 'start nothing until --resume')
      .option('--resume'),
  )).action(
    action(async (o: PipelineSettings & { modelName?: string; cooldown?: number; debounce?: number; maxPerDay?: number; approval?: boolean; pause?: boolean; resume?: boolean }) => {
      const patch: PolicyPatch = {};
      if (o.cooldown !== undefined) patch.cooldownSeconds = o.cooldown;
      if (o.debounce !== undefined) patch.debounceSeconds = o.debounce;
      if (o.maxPerDay !== undefined) patch.maxPipelinesPerDay = o.maxPerDay;
      if (o.approval !== undefined) patch.approvalRequired = o.approval;
      if (o.pause && o.resume) throw new UsageError('--pause and --resume contradict each other');
      if (o.pause) patch.paused = true;
      if (o.resume) patch.paused = false;
      const pipeline = policyPipelineFromOptions(o);
      if (pipeline && Object.keys(pipeline).length) patch.pipeline = pipeline;
      if (!Object.keys(patch).length) throw new UsageError('nothing to change: give --cooldown, --debounce, --max-per-day, --approval, --pause, --resume or a pipeline setting (--samples …)');
      await withController(o.modelName, async (h) => console.log(JSON.stringify(await h.setPolicy(patch))));
    }),
  );
}
