/**
 * The DVC pipeline's stages (dvc.yaml): generate → validate → train → evaluate. Each runs the same
 * activity functions as the Temporal workflow (through `runActivity`), against the configured
 * database, MLflow and Chroma, and writes its results as files in the DVC workspace so that DVC can
 * cache, version and diff them. State between stages travels through those files only.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { decideGateBySignificance } from '../contracts/gate';
import type { EvaluationResult } from '../contracts/pipeline';
import { generateBatchInput, generationBatches, sourceCounts, userSamplesInput, validateSamplesInput, validationRefusal, versionDatasetInput } from '../contracts/pipeline-steps';
import { sha256 } from '../core/ids';
import { writeFileAtomic } from '../core/write-atomic';
import { GeneratedSampleSchema } from '../entities';
import { runActivity } from './activity';
import { experimentId, pipelineParams, StageInputError, type StageFlags, trainOptions } from './params';

type Log = (line: string) => void;

function readJson<T>(file: string, schema: z.ZodType<T>, producedBy: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new StageInputError(`${file} is missing: run the ${producedBy} stage first (dvc repro)`);
  }
  const r = schema.safeParse(JSON.parse(text));
  if (!r.success) throw new StageInputError(`${file} is not what the ${producedBy} stage writes: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

const csv = (rows: (string | number)[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

// ---- generate ------------------------------------------------------------------------------

export const GeneratedRunSchema = z.object({ pipelineId: z.string(), batches: z.number().int(), generated: z.number().int(), skipped: z.number().int(), invalid: z.number().int() });

/** Teacher generation in the workflow's batch layout; outputs the samples and a run summary. */
export async function generateStage(deps: ActivityDeps, flags: StageFlags, out: { dir: string }, log: Log) {
  const p = pipelineParams(flags);
  const pipelineId = experimentId(p);
  const { generateBatch, collectUserSamples } = createActivities(deps);
  const batches = generationBatches(p);
  const totals = { generated: 0, skipped: 0, invalid: 0 };
  for (const b of batches) {
    const r = await runActivity(generateBatch, { pipelineId, activityType: 'generateBatch' }, generateBatchInput(pipelineId, p, b));
    totals.generated += r.generated;
    totals.skipped += r.skipped;
    totals.invalid += r.invalid;
    log(`generate: batch ${b.batch + 1}/${batches.length}: ${r.generated} samples`);
  }
  const users = await runActivity(collectUserSamples, { pipelineId, activityType: 'collectUserSamples' }, userSamplesInput(pipelineId, p));
  totals.generated += users.feedback + users.traffic;
  log(`generate: ${users.feedback} samples from feedback, ${users.traffic} from traffic${users.trafficSkipped ? ` (no traffic: ${users.trafficSkipped})` : ''}`);
  const rows = await (await deps.db()).getRepository(GeneratedSampleSchema).find({ where: { pipelineId }, order: { id: 'ASC' } });
  const lines = rows.map((s) =>
    JSON.stringify({ id: s.id, batch: s.batch, teacher: s.teacher, source: s.source, sourceTextId: s.sourceTextId, exampleId: s.exampleId, awkward: s.awkward, corrected: s.corrected, reason: s.reason, reasonLanguage: s.reasonLanguage, errorTypes: s.errorTypes }),
  );
  rmSync(out.dir, { recursive: true, force: true });
  writeFileAtomic(path.join(out.dir, 'samples.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));
  const summary = { pipelineId, batches: batches.length, ...totals };
  writeFileAtomic(path.join(out.dir, 'run.json'), JSON.stringify(summary, null, 2) + '\n');
  log(`generate: ${totals.generated} samples for ${pipelineId} (${totals.skipped} skipped, ${totals.invalid} invalid)`);
  return summary;
}

// ---- validate (+ the deterministic split, versioned in the dataset registry) ----------------

export const ValidationReportSchema = z.object({
  pipelineId: z.string(),
  total: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  redacted: z.number(),
  rejectedBy: z.record(z.string(), z.number()),
  dataset: z.object({ md5: z.string(), train: z.number(), valid: z.number(), test: z.number() }),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export async function validateStage(deps: ActivityDeps, flags: StageFlags, io: { generated: string; dataset: string; report: string; plot: string }, log: Log) {
  const p = pipelineParams(flags);
  const pipelineId = experimentId(p);
  const gen = readJson(path.join(io.generated, 'run.json'), GeneratedRunSchema, 'generate');
  if (gen.pipelineId !== pipelineId) {
    throw new StageInputError(`${io.generated} holds samples of ${gen.pipelineId}, but these parameters make ${pipelineId}: the generate stage is out of date (dvc repro runs it)`);
  }
  const stored = await (await deps.db()).getRepository(GeneratedSampleSchema).countBy({ pipelineId });
  if (stored === 0) throw new StageInputError(`the database has no samples of ${pipelineId} (was it reset?): run \`dvc repro --force generate\``);

  const { validateSamples, versionDataset } = createActivities(deps);
  const report = await runActivity(validateSamples, { pipelineId, activityType: 'validateSamples' }, validateSamplesInput(pipelineId, p));
  // The workflow's refusal: a dataset made mostly of rejects is not trained on.
  const refusal = validationRefusal(report, p.validation.maxRejectRate);
  if (refusal) throw new StageInputError(refusal);
  const ds = await runActivity(versionDataset, { pipelineId, activityType: 'versionDataset' }, versionDatasetInput(pipelineId, p));

  // The workspace copy of the registered dataset: DVC hashes it to the same md5.
  rmSync(io.dataset, { recursive: true, force: true });
  mkdirSync(io.dataset, { recursive: true });
  for (const split of ['train', 'valid', 'test']) copyFileSync(path.join(ds.path, `${split}.jsonl`), path.join(io.dataset, `${split}.jsonl`));
  const out: ValidationReport = {
    pipelineId,
    total: report.total,
    accepted: report.accepted,
    rejected: report.rejected,
    redacted: report.redacted,
    rejectedBy: Object.fromEntries(Object.entries(report.byReason).sort(([a], [b]) => a.localeCompare(b))),
    dataset: { md5: ds.md5, ...ds.counts },
  };
  writeFileAtomic(io.report, JSON.stringify(out, null, 2) + '\n');
  writeFileAtomic(io.plot, csv([['reason', 'samples'], ...Object.entries(out.rejectedBy)]));
  log(`validate: ${report.accepted}/${report.total} accepted; dataset md5 ${ds.md5} (${ds.counts.train} train / ${ds.counts.valid} valid / ${ds.counts.test} test; ${sourceCounts(ds.counts)})`);
  return out;
}

// ---- train --------------------------------------------------------------------------------

export const TrainedModelSchema = z.object({
  pipelineId: z.string(),
  trainKey: z.string(),
  modelName: z.string(),
  runId: z.string(),
  datasetMd5: z.string(),
  rules: z.number(),
  trainPairs: z.number(),
});

export async function trainStage(deps: ActivityDeps, flags: StageFlags, io: { dataset: string; validation: string; model: string }, log: Log) {
  const p = pipelineParams(flags);
  const v = readJson(io.validation, ValidationReportSchema, 'validate');
  const options = trainOptions(flags);
  // One MLflow run per (samples, trainer options): changed options train a new run, not the old one's.
  const trainKey = `${v.pipelineId}-rules-${sha256(JSON.stringify({ modelName: p.modelName, options })).slice(0, 8)}`;
  const { trainRulesModel } = createActivities(deps);
  const r = await runActivity(trainRulesModel, { pipelineId: trainKey, activityType: 'trainRulesModel' }, {
    pipelineId: trainKey,
    modelName: p.modelName,
    datasetMd5: v.dataset.md5,
    datasetPath: path.resolve(io.dataset),
    seed: p.seed,
    trigger: 'dvc repro',
    options,
  });
  rmSync(io.model, { recursive: true, force: true });
  mkdirSync(io.model, { recursive: true });
  copyFileSync(r.artifactPath, path.join(io.model, 'rules.json'));
  const info = { pipelineId: v.pipelineId, trainKey, modelName: p.modelName, runId: r.runId, datasetMd5: v.dataset.md5, rules: r.metrics.rules ?? 0, trainPairs: r.metrics.train_pairs ?? 0 };
  writeFileAtomic(path.join(io.model, 'train.json'), JSON.stringify(info, null, 2) + '\n');
  log(`train: ${info.rules} rules from ${info.trainPairs} pairs (MLflow run ${r.runId})`);
  return info;
}

// ---- evaluate -----------------------------------------------------------------------------

/** metrics.json: deterministic for a given seed (latency is in the report, not here). */
export function metricsOf(ev: Omit<EvaluationResult, 'reportPath'>, promote: boolean) {
  const sys = (s: EvaluationResult['harper']) => ({
    jfleg_gleu: s.jfleg.gleu,
    heldout_gleu: s.heldout.gleu,
    heldout_no_change_rate: s.heldout.noChangeRate,
    jfleg_over_correction_rate: s.jfleg.overCorrectionRate,
  });
  return {
    candidate: sys(ev.candidate),
    ...(ev.champion ? { champion: sys(ev.champion) } : {}),
    harper: sys(ev.harper),
    ...(ev.base ? { base: sys(ev.base) } : {}),
    ...Object.fromEntries((ev.comparisons ?? []).flatMap((c) => [[`delta_${c.set}`, c.delta], [`delta_${c.set}_ci_low`, c.ci[0]], [`delta_${c.set}_ci_high`, c.ci[1]]])),
    delta_gleu: ev.comparison.delta,
    delta_ci_low: ev.comparison.ci[0],
    delta_ci_high: ev.comparison.ci[1],
    p_better: ev.comparison.pBetter,
    gate_passed: promote ? 1 : 0,
  };
}

export async function evaluateStage(deps: ActivityDeps, flags: StageFlags, io: { dataset: string; model: string; metrics: string; plot: string; report: string }, log: Log) {
  const p = pipelineParams(flags);
  const m = readJson(path.join(io.model, 'train.json'), TrainedModelSchema, 'train');
  const { registerCandidate, evaluateCandidate } = createActivities(deps);
  const reg = await runActivity(registerCandidate, { pipelineId: m.trainKey, activityType: 'registerCandidate' }, { pipelineId: m.trainKey, modelName: m.modelName, runId: m.runId, datasetMd5: m.datasetMd5 });
  const ev = await runActivity(evaluateCandidate, { pipelineId: m.trainKey, activityType: 'evaluateCandidate' }, {
    pipelineId: m.trainKey,
    modelName: m.modelName,
    candidateVersion: reg.version,
    runId: m.runId,
    datasetPath: path.resolve(io.dataset),
    jflegLimit: p.gate.jflegLimit,
    seed: p.seed,
  });
  // The gate is reported, not acted on: promotion stays with the Temporal pipeline.
  const gate = decideGateBySignificance(ev, p.gate);
  const { reportPath, ...result } = ev;
  writeFileAtomic(io.metrics, JSON.stringify(metricsOf(result, gate.promote), null, 2) + '\n');
  const rows: (string | number)[][] = [['system', 'eval_set', 'gleu']];
  for (const [name, s] of [['candidate', ev.candidate], ['champion', ev.champion], ['base', ev.base ?? null], ['harper', ev.harper]] as const) {
    if (s) rows.push([name, 'jfleg', s.jfleg.gleu], [name, 'heldout', s.heldout.gleu]);
  }
  writeFileAtomic(io.plot, csv(rows));
  writeFileAtomic(io.report, JSON.stringify({ modelName: m.modelName, candidateVersion: reg.version, mlflowRunId: m.runId, gate, evaluation: result }, null, 2) + '\n');
  log(`evaluate: candidate v${reg.version} JFLEG GLEU ${ev.candidate.jfleg.gleu.toFixed(4)}, Harper ${ev.harper.jfleg.gleu.toFixed(4)} (report ${reportPath})`);
  return { version: reg.version, evaluation: ev, gate };
}
