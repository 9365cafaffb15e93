import type { Command } from 'commander';
import { endpoints, links } from '../../config';
import { Stack } from '../../ops/stack/index';
import { applyDriftSchedule } from '../controller';
import { CorrectlyClient } from '../index';
import { formatResult } from './pipeline';
import { printStatus, readyStack } from './stack';
import { action, cliConfig, intOption } from './util';

export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('bring the embedded stack up, seed the database, run one whole retraining pipeline, ask the served model for a correction, schedule the drift check, and print the links')
    .option('--samples <n>', 'samples to generate', intOption('samples'), 600)
    .option('--reason-language <ko|en>', 'language of explanations', 'ko')
    .action(action(async (o: { samples: number; reasonLanguage: 'ko' | 'en' }) => {
      const config = cliConfig();
      const e = endpoints(config);
      console.log('» starting the stack (Temporal, PGlite, MLflow, Chroma, CPU worker, serving API)…');
      const stack = new Stack(config);
      const status = await stack.up(undefined, (l) => console.log(`  ${l}`));
      printStatus(status);

      console.log('\n» seeding the database and starting the retraining controller…');
      await readyStack(config, undefined, (l) => console.log(`  ${l}`));

      console.log(`\n» running a retraining pipeline (${o.samples} samples, reasons in ${o.reasonLanguage})…`);
      const client = await CorrectlyClient.connect(config);
      try {
        const run = await client.startPipeline({ samples: o.samples, reasonLanguage: o.reasonLanguage, trigger: 'demo' });
        console.log(`  ${run.workflowId} — watch it live at ${run.webUiUrl}`);
        let last = '';
        const timer = setInterval(async () => {
          const p = await run.progress().catch(() => null);
          const line = p ? `  … ${p.stage}: ${p.stages[p.stage as keyof typeof p.stages]?.summary ?? p.state}` : '';
          if (line && line !== last) console.log((last = line));
        }, 2000);
        const result = await run.result().finally(() => clearInterval(timer));
        console.log('\n' + formatResult(result, { temporal: run.webUiUrl, mlflow: links(config).mlflowRun(result.mlflowRunId) }));

        // What a learner sees: the served model answers through the API the web page uses.
        console.log('\n» asking the serving API for a correction…');
        const sentence = 'I am agree with you, but we discussed about it yesterday.';
        const res = await fetch(`${e.apiUrl}/v1/corrections`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: sentence, reasonLanguage: o.reasonLanguage }),
          signal: AbortSignal.timeout(30_000),
        }).catch((err: Error) => err);
        if (res instanceof Error || !res.ok) {
          console.log(`  the serving API did not answer (${res instanceof Error ? res.message : `HTTP ${res.status}`}): see \`bin/correctly stack status\``);
        } else {
          const c = (await res.json()) as { corrected: string; reason: string; engine: string; modelVersion: string | null; latencyMs: number };
          console.log(`  in:     ${sentence}\n  out:    ${c.corrected}\n  reason: ${c.reason || '(no change)'}\n  served by ${c.engine}${c.modelVersion ? ` v${c.modelVersion}` : ''} in ${c.latencyMs.toFixed(0)} ms`);
        }

        // Level 2: the drift check runs on a schedule and signals the controller by itself.
        const schedule = await applyDriftSchedule(client);
        console.log(`\n» drift check ${schedule.created ? 'scheduled' : 'schedule updated'} (${schedule.scheduleId}, every ${Math.round(config.driftCheckInterval / 60_000)} min): drifted traffic retrains the model without a human step`);

        console.log(`\nThe stack keeps running:
  web page (learners)      ${e.apiUrl}/
  dashboard                ${e.apiUrl}/dashboard
  OpenAI-compatible API    ${e.apiUrl}/v1   (OpenWebUI: OPENAI_API_BASE_URLS=${e.apiUrl}/v1)
  Temporal Web UI          ${e.temporalUiUrl}
  MLflow                   ${e.mlflowUrl}
Stop it with \`bin/correctly stack down\`.`);
      } finally {
        await client.close();
      }
    }));
}
