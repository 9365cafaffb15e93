/**
 * `correctly stage generate|validate|train|evaluate [params…] [paths…]`: one stage of the
 * retraining pipeline without Temporal, as `dvc repro` runs it (dvc.yaml, params.yaml). Parameters
 * arrive through DVC's dict unpacking (`${generate}` → `--samples 400 --batch-size 200 …`); every
 * stage accepts every parameter and uses the ones it needs. Progress goes to stderr.
 */
import type { Command } from 'commander';
import { createDeps } from '../../activities/deps';
import { type StageFlags, StageFlagsSchema, StageInputError } from '../../stages/params';
import { evaluateStage, generateStage, trainStage, validateStage } from '../../stages/stages';
import { action, cliConfig, intOption, numberOption, UsageError } from './util';


/** The params.yaml keys, as flags. */
function withParams(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'random seed (generation, split, bootstrap)', intOption('seed'))
    .option('--samples <n>', 'samples to generate', intOption('samples'))
    .option('--batch-size <n>', 'samples per generation batch', intOption('batch-size'))
    .option('--teacher <noise|openai|ollama>', 'teacher backend')
    .option('--reason-language <ko|en>', 'language of explanations')
    .option('--embedder <local|openai|ollama>', 'embedder for near-duplicate detection')
    .option('--near-duplicate-threshold <x>', 'cosine similarity above which a sample is a near-duplicate', numberOption('near-duplicate-threshold'))
    .option('--pii-policy <redact|reject>', 'what to do with personal data')
    .option('--max-reject-rate <x>', 'fail when more than this share is rejected', numberOption('max-reject-rate'))
    .option('--max-sentence-tokens <n>', 'token limit of each sentence', intOption('max-sentence-tokens'))
    .option('--valid-split <x>', 'share of samples in the valid split', numberOption('valid-split'))
    .option('--test-split <x>', 'share of samples in the test split', numberOption('test-split'))
    .option('--model-name <name>', 'registered model name the candidates go to')
    .option('--min-count <n>', 'rules trainer: minimal support of a rule', intOption('min-count'))
    .option('--min-precision <x>', 'rules trainer: minimal Wilson-bounded precision', numberOption('min-precision'))
    .option('--confidence <z>', 'rules trainer: z of the Wilson bound', numberOption('confidence'))
    .option('--max-span <n>', 'rules trainer: longest edit in tokens', intOption('max-span'))
    .option('--jfleg-limit <n>', 'evaluate on the first N JFLEG dev sentences (0 = all)', intOption('jfleg-limit'))
    .option('--min-gleu-delta <x>', 'gate: GLEU the candidate must gain over the reference', numberOption('min-gleu-delta'))
    .option('--min-no-change-rate <x>', 'gate: share of correct sentences to leave unchanged', numberOption('min-no-change-rate'));
}

const PARAM_KEYS = Object.keys(StageFlagsSchema.shape);

function flagsOf(opts: Record<string, unknown>): StageFlags {
  return StageFlagsSchema.parse(Object.fromEntries(Object.entries(opts).filter(([k]) => PARAM_KEYS.includes(k))));
}

const log = (line: string) => console.error(line);

/** Runs a stage over the configured database, MLflow and Chroma, closing connections after. */
function stageAction<O extends Record<string, unknown>>(fn: (deps: ReturnType<typeof createDeps>, flags: StageFlags, opts: O) => Promise<unknown>) {
  return action(async (opts: O) => {
    const deps = createDeps(cliConfig());
    try {
      await fn(deps, flagsOf(opts), opts);
    } catch (e) {
      if (e instanceof StageInputError) throw new UsageError(e.message);
      throw e;
    } finally {
      await deps.close();
    }
  });
}

export function registerStage(program: Command) {
  const stage = program.command('stage').description('run one pipeline stage without Temporal (what `dvc repro` calls; see dvc.yaml)');
  withParams(stage.command('generate').description('generate samples with the teacher'))
    .option('--out <dir>', 'output directory (samples.jsonl, run.json)', 'data/generated')
    .action(stageAction((deps, flags, o: { out: string }) => generateStage(deps, flags, { dir: o.out }, log)));
  withParams(stage.command('validate').description('validate the samples, split and register the dataset'))
    .option('--generated <dir>', 'the generate stage output', 'data/generated')
    .option('--dataset <dir>', 'dataset output directory (train/valid/test.jsonl)', 'data/dataset')
    .option('--report <file>', 'validation report (DVC metrics)', 'validation.json')
    .option('--plot <file>', 'rejections per reason (CSV)', 'plots/rejections.csv')
    .action(stageAction((deps, flags, o: { generated: string; dataset: string; report: string; plot: string }) => validateStage(deps, flags, o, log)));
  withParams(stage.command('train').description('train the rules model on the dataset (MLflow run)'))
    .option('--dataset <dir>', 'the dataset', 'data/dataset')
    .option('--validation <file>', 'the validate stage report', 'validation.json')
    .option('--model <dir>', 'model output directory (rules.json, train.json)', 'data/model')
    .action(stageAction((deps, flags, o: { dataset: string; validation: string; model: string }) => trainStage(deps, flags, o, log)));
  withParams(stage.command('evaluate').description('register and evaluate the candidate against Harper (and the champion)'))
    .option('--dataset <dir>', 'the dataset', 'data/dataset')
    .option('--model <dir>', 'the train stage output', 'data/model')
    .option('--metrics <file>', 'metrics output (DVC metrics)', 'metrics.json')
    .option('--plot <file>', 'GLEU per system and eval set (CSV)', 'plots/gleu.csv')
    .option('--report <file>', 'full evaluation report (JSON)', 'reports/evaluation.json')
    .action(stageAction((deps, flags, o: { dataset: string; model: string; metrics: string; plot: string; report: string }) => evaluateStage(deps, flags, o, log)));
}
