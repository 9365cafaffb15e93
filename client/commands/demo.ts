import type { Command } from 'commander';
import { endpoints } from '../../core/config';
import { Stack } from '../../core/stack/index';
import { seedDatabase } from '../../core/db/seed';
import { openDatabase } from '../../entities/data-source';
import { CorrectlyClient } from '../index';
import { formatResult, mlflowRunUrl } from './pipeline';
import { printStatus } from './stack';
import { action, cliConfig } from './util';

export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('bring the embedded stack up, seed the database, run one whole retraining pipeline and print its summary and links')
    .option('--samples <n>', 'samples to generate', (v) => Number(v), 600)
    .option('--reason-language <ko|en>', 'language of explanations', 'ko')
    .action(action(async (o: { samples: number; reasonLanguage: 'ko' | 'en' }) => {
      const config = cliConfig();
      const e = endpoints(config);
      console.log('» starting the stack (Temporal, PGlite, MLflow, Chroma, CPU worker)…');
      const stack = new Stack(config);
      const status = await stack.up(undefined, (l) => console.log(`  ${l}`));
      printStatus(status);

      console.log('\n» migrating and seeding the database…');
      const ds = await openDatabase(e.databaseUrl, { poolSize: 2 });
      try {
        const counts = await seedDatabase(ds);
        console.log(`  ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      } finally {
        await ds.destroy();
      }

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
        console.log('\n' + formatResult(result, { temporal: run.webUiUrl, mlflow: mlflowRunUrl(e.mlflowUrl, result.mlflowRunId) }));
        console.log(`\nThe stack keeps running: Temporal Web UI ${e.temporalUiUrl} · MLflow ${e.mlflowUrl}. Stop it with \`bin/correctly stack down\`.`);
      } finally {
        await client.close();
      }
    }));
}
