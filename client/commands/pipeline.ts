/** `correctly pipeline start|status|list|cancel|approve`. */
import type { Command } from 'commander';
import type { PolicyPatch } from '../../contracts/controller';
import { parsePipelineInput, pipelineStartDetails, type PipelineInput, type PipelineProgress, type PipelineResult } from '../../contracts/pipeline';
import { signed } from '../../contracts/gate';
import { sourceCounts } from '../../contracts/pipeline-steps';
import { links } from '../../config';
import type { CorrectlyClient } from '../index';
import { action, cliConfig, intOption, numberOption, table, UsageError } from './util';

/** What a pipeline runs with: `pipeline start` takes these, and `controller policy` sets them for the pipelines it starts. */
export interface PipelineSettings {
  samples?: number; seed?: number; reasonLanguage?: string; teacher?: string; trainer?: string; baseline?: string; minGleuDelta?: number; jflegLimit?: number;
}

export function withPipelineSettings(cmd: Command): Command {
  return cmd
    .option('--samples <n>', 'samples to generate', intOption('samples'))
    .option('--seed <n>', 'random seed', intOption('seed'))
    .option('--reason-language <ko|en>', 'language of explanations')
    .option('--teacher <noise|openai|ollama>', 'teacher backend')
    .option('--trainer <rules|lora>', 'trainer backend')
    .option('--baseline <none|openai|ollama>', 'LLM baseline to compare against')
    .option('--min-gleu-delta <x>', 'GLEU the candidate must gain over the reference', numberOption('min-gleu-delta'))
    .option('--jfleg-limit <n>', 'evaluate on the first N JFLEG dev sentences (0 = all)', intOption('jfleg-limit'));
}

/** The settings as the controller policy's `pipeline` part (only those given). */
export function policyPipelineFromOptions(o: PipelineSettings): PolicyPatch['pipeline'] {
  const out: Record<string, unknown> = {};
  for (const k of ['samples', 'seed', 'reasonLanguage', 'teacher', 'trainer', 'baseline', 'minGleuDelta', 'jflegLimit'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out as PolicyPatch['pipeline'];
}

interface StartOpts extends PipelineSettings {
  batchSize?: number; scorerPairs?: number; embedder?: string; approval?: boolean; modelName?: string;
  trigger?: string; wait?: boolean; json?: boolean; id?: string; dryRun?: boolean;
}

async function withClient<T>(fn: (c: CorrectlyClient) => Promise<T>): Promise<T> {
  const { CorrectlyClient } = await import('../index');
  const client = await CorrectlyClient.connect(cliConfig());
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

export function pipelineInputFromOptions(o: StartOpts): PipelineInput {
  const input: Record<string, unknown> = {};
  if (o.modelName !== undefined) input.modelName = o.modelName;
  if (o.samples !== undefined) input.samples = o.samples;
  if (o.batchSize !== undefined) input.batchSize = o.batchSize;
  if (o.seed !== undefined) input.seed = o.seed;
  if (o.reasonLanguage !== undefined) input.reasonLanguage = o.reasonLanguage;
  if (o.trigger !== undefined) input.trigger = o.trigger;
  const backends: Record<string, unknown> = {};
  if (o.teacher) backends.teacher = o.teacher;
  if (o.trainer) backends.trainer = o.trainer;
  if (o.embedder) backends.embedder = o.embedder;
  if (o.baseline) backends.baseline = o.baseline;
  if (Object.keys(backends).length) input.backends = backends;
  const gate: Record<string, unknown> = {};
  if (o.minGleuDelta !== undefined) gate.minGleuDelta = o.minGleuDelta;
  if (o.jflegLimit !== undefined) gate.jflegLimit = o.jflegLimit;
  if (Object.keys(gate).length) input.gate = gate;
  if (o.scorerPairs !== undefined) input.train = { scorerPairs: o.scorerPairs };
  if (o.approval) input.approval = { required: true };
  return input as PipelineInput;
}

export function formatResult(r: PipelineResult, links: { temporal: string; mlflow: string }): string {
  const m = r.metrics;
  const f4 = (x: number) => x.toFixed(4);
  const row = (name: string, s: typeof m.candidate | null | undefined) =>
    s
      ? { system: name, version: s.modelVersion ?? '-', 'jfleg gleu': f4(s.jfleg.gleu), 'heldout gleu': f4(s.heldout.gleu), ...(m.candidate.feedback ? { 'feedback gleu': s.feedback ? f4(s.feedback.gleu) : '-' } : {}), 'no-change': s.heldout.noChangeRate.toFixed(3), 'p50 ms': s.jfleg.latencyMsP50.toFixed(1) }
      : null;
  const rows = [row('candidate', m.candidate), row('champion', m.champion), row('base', m.base), row('harper', m.harper)].filter(Boolean) as Record<string, string>[];
  // One line per eval set the gate decided on (older results have only the JFLEG comparison).
  const comparisons = m.comparisons?.length
    ? m.comparisons.map((c) => `vs ${c.reference} on ${c.label} (${c.sentences}): Δ GLEU ${signed(c.delta)}  95% CI [${signed(c.ci[0])}, ${signed(c.ci[1])}]`)
    : [`vs ${m.comparison.reference}: Δ GLEU ${signed(m.comparison.delta)}  95% CI [${signed(m.comparison.ci[0])}, ${signed(m.comparison.ci[1])}]`];
  const c = r.datasetVersion.counts;
  return [
    `pipeline   ${r.pipelineId}`,
    `dataset    md5 ${r.datasetVersion.md5}  (${c.train} train / ${c.valid} valid / ${c.test} test; ${sourceCounts(c)})`,
    `candidate  v${r.candidateVersion}  (MLflow run ${r.mlflowRunId})`,
    '',
    table(rows),
    '',
    ...comparisons,
    `promoted   ${r.promoted ? 'yes' : 'no'}: ${r.why.join('; ')}`,
    r.deployed ? `deployed   ${r.deployed.detail}` : '',
    '',
    `Temporal Web UI  ${links.temporal}`,
    `MLflow           ${links.mlflow}`,
  ].join('\n');
}

function formatProgress(p: PipelineProgress): string {
  return [
    `${p.pipelineId}: ${p.state} (stage ${p.stage})`,
    table(Object.entries(p.stages).map(([name, s]) => ({ stage: name, status: s.status, summary: s.summary ?? '' }))),
  ].join('\n');
}

export function registerPipeline(program: Command) {
  const pipeline = program.command('pipeline').description('Start and follow retraining pipelines');
  withPipelineSettings(
    pipeline.command('start').description('start a retraining pipeline (generate → validate → version → train → evaluate → promote → deploy)'),
  )
    .option('--batch-size <n>', 'samples per generation batch', intOption('batch-size'))
    .option('--embedder <local|openai|ollama>', 'embedder for near-duplicate detection')
    .option('--scorer-pairs <n>', 'fit the edit scorer on at most N training pairs (0 = keep the prior)', intOption('scorer-pairs'))
    .option('--approval', 'require a human approval before promotion')
    .option('--model-name <name>', 'registered model name')
    .option('--trigger <text>', 'why this run was started')
    .option('--id <workflowId>', 'workflow id (default: pipeline-<time>-<random>)')
    .option('--wait', 'wait for the result and print a summary')
    .option('--dry-run', 'check the input and show what would run, without starting it')
    .option('--json', 'print JSON')
    .action(action(async (o: StartOpts) => {
      const input = pipelineInputFromOptions(o);
      const parsed = parsePipelineInput(input);
      if (!parsed.ok) throw new UsageError(`invalid pipeline input: ${parsed.error}`);
      if (o.dryRun) {
        const d = pipelineStartDetails(input);
        console.log(o.json ? JSON.stringify(parsed.value, null, 2) : `would start: ${d.staticSummary}\n${d.staticDetails.replace(/\n\n```json[\s\S]*$/, '')}`);
        return;
      }
      const config = cliConfig();
      await withClient(async (client) => {
        const run = await client.startPipeline(input, { workflowId: o.id });
        if (!o.wait) {
          console.log(o.json ? JSON.stringify({ workflowId: run.workflowId, webUi: run.webUiUrl }) : `started ${run.workflowId}\n${run.webUiUrl}`);
          return;
        }
        if (!o.json) console.log(`started ${run.workflowId}: follow it at ${run.webUiUrl}`);
        const result = await run.result();
        const mlflow = links(config).mlflowRun(result.mlflowRunId);
        console.log(o.json ? JSON.stringify({ ...result, links: { temporal: run.webUiUrl, mlflow } }, null, 2) : formatResult(result, { temporal: run.webUiUrl, mlflow }));
      });
    }));
  pipeline
    .command('status <workflowId>')
    .description('show the stages of a pipeline')
    .option('--json', 'print JSON')
    .action(action(async (id: string, o: { json?: boolean }) => {
      await withClient(async (client) => {
        const p = await client.pipeline(id).progress();
        console.log(o.json ? JSON.stringify(p, null, 2) : formatProgress(p));
      });
    }));
  pipeline
    .command('list')
    .description('list recent pipelines')
    .option('--limit <n>', 'how many', intOption('limit'), 20)
    .option('--json', 'print JSON')
    .action(action(async (o: { limit: number; json?: boolean }) => {
      await withClient(async (client) => {
        const rows = await client.listPipelines(o.limit);
        console.log(o.json ? JSON.stringify(rows, null, 2) : table(rows.map((r) => ({ workflow: r.workflowId, status: r.status, stage: r.stage ?? '-', promoted: r.promoted === undefined ? '-' : String(r.promoted), started: r.startTime.toISOString() }))));
      });
    }));
  pipeline
    .command('cancel <workflowId> [reason]')
    .description('cancel a running pipeline')
    .action(action(async (id: string, reason?: string) => {
      await withClient(async (client) => {
        await client.pipeline(id).cancel(reason);
        console.log(`cancel requested for ${id}`);
      });
    }));
  pipeline
    .command('approve <workflowId>')
    .description('approve (or --reject) the candidate of a pipeline awaiting approval')
    .requiredOption('--reviewer <name>', 'who decides')
    .option('--reject', 'reject instead of approve')
    .option('--comment <text>', 'why')
    .action(action(async (id: string, o: { reviewer: string; reject?: boolean; comment?: string }) => {
      await withClient(async (client) => {
        console.log(await client.pipeline(id).approve({ approved: !o.reject, reviewer: o.reviewer, ...(o.comment ? { comment: o.comment } : {}) }));
      });
    }));
}
