/**
 * The drift check's I/O: loads the reference (the accepted training split of the champion's
 * dataset version), the serving window (requests + feedback), describes both, decides, stores one
 * drift_report row per check (keyed by the check's workflow run, so a retry never duplicates it),
 * and signals the RetrainingController with signalWithStart.
 *
 * The CPU work (the champion on the reference sentences, form/tone classification, descriptors,
 * the KS/Wasserstein/chi-square statistics) runs in worker threads, off the event loop
 * that completes workflow tasks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { In } from 'typeorm';
import { quantile, type QualitySignals } from '../core/drift/assess';
import { type Descriptors, vocabulary } from '../core/drift/descriptors';
import { changedWords } from '../core/engines/classify';
import { loadRunCorrector } from '../adapters/mlflow-models';
import { withFreshEngineThread } from '../adapters/engine-pool/pool';
import { stableId } from '../core/ids';
import { DatasetVersionSchema, DriftReportSchema, FeedbackSchema, ModelVersionSchema, ServingRequestSchema, TextEntrySchema } from '../entities';
import { CPU_QUEUE } from '../contracts/queues';
import { controllerId, type PolicyPatch } from '../contracts/controller';
import type { DriftCheckOutcome, DriftCheckParams } from '../contracts/drift-check';
import type { ActivityDeps } from './deps';

interface Reference {
  datasetMd5: string;
  championVersion: string;
  /** Vocabulary of one half of the training split; descriptors are of the other half, so OOV is honest. */
  vocab: string[];
  descriptors: Descriptors;
  sentences: number;
}

type TextEntries = { text: string; form: string; tone: string }[];

export function driftActivities(deps: ActivityDeps) {
  const cpu = () => deps.engines().functions<typeof import('./cpu')>(new URL('./cpu.ts', import.meta.url), { signal: Context.current().cancellationSignal });
  const stats = () => deps.engines().functions<typeof import('../core/drift/assess')>(new URL('../core/drift/assess.ts', import.meta.url), { signal: Context.current().cancellationSignal });

  /** Reference descriptors, cached per (dataset, champion): describing runs the champion on every sentence. */
  async function loadReference(modelName: string, maxReference: number, texts: TextEntries): Promise<Reference | string> {
    const champion = await deps.mlflow.getByAlias(modelName, 'champion');
    if (!champion?.run_id) return `no champion for ${modelName} yet: nothing to compare with`;
    const db = await deps.db();
    const mv = await db.getRepository(ModelVersionSchema).findOneBy({ name: modelName, version: champion.version });
    if (!mv) return `champion v${champion.version} has no model_version row (not promoted by a pipeline)`;
    const ds = await db.getRepository(DatasetVersionSchema).findOneBy({ pipelineId: mv.pipelineId });
    if (!ds) return `champion v${champion.version}: dataset of pipeline ${mv.pipelineId} not found`;
    const cacheFile = path.join(deps.paths.stateDir, 'drift', `reference-${ds.md5.replace('.dir', '')}-v${champion.version}-${maxReference}.json`);
    if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Reference;

    const trainFile = path.join(ds.path, 'train.jsonl');
    if (!existsSync(trainFile)) throw new Error(`reference data missing: ${trainFile} (dataset ${ds.md5}); run \`dvc pull\` in ${deps.paths.dvcRepo}`);
    const lines = readFileSync(trainFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; awkward: string });
    lines.sort((a, b) => a.id.localeCompare(b.id));
    const vocabHalf = lines.filter((_, i) => i % 2 === 0);
    let refHalf = lines.filter((_, i) => i % 2 === 1);
    if (refHalf.length > maxReference) refHalf = refHalf.filter((_, i) => i % Math.ceil(refHalf.length / maxReference) === 0);
    const vocab = [...vocabulary(vocabHalf.map((l) => l.awkward))].sort();
    // Edit density of the reference is what the champion itself does on training inputs: in a
    // fresh engine thread, in order, so the same reference comes out every time (see withFreshEngineThread).
    const runId = champion.run_id;
    const pairs = await withFreshEngineThread(deps.config, async (create) => {
      const corrector = await loadRunCorrector(deps.mlflow, runId, champion.version, deps.paths.modelsDir, deps.config, create);
      const out: { input: string; output: string }[] = [];
      try {
        for (const l of refHalf) {
          out.push({ input: l.awkward, output: (await corrector.correct(l.awkward)).corrected });
          if (out.length % 50 === 0) Context.current().heartbeat({ reference: out.length });
        }
      } finally {
        await corrector.close?.();
      }
      return out;
    });
    const ref: Reference = { datasetMd5: ds.md5, championVersion: champion.version, vocab, descriptors: await cpu().describePairs(pairs, vocab, texts), sentences: pairs.length };
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(ref));
    return ref;
  }

  async function judgeScore(rows: { inputRedacted: string; output: string; reason: string; reasonLanguage: 'ko' | 'en' }[], judge: 'openai' | 'ollama', sample: number) {
    const { createLlmJudge } = await import('../adapters/providers/index');
    const j = createLlmJudge(judge, deps.config);
    const changed = rows.filter((r) => r.output !== r.inputRedacted).slice(0, sample);
    let total = 0;
    for (const r of changed) {
      const { removed, added } = changedWords(r.inputRedacted, r.output);
      const judgement = await j.judge({ source: r.inputRedacted, corrected: r.output, edits: [{ before: removed.join(' '), after: added.join(' '), type: 'other' }], reason: r.reason, reasonLanguage: r.reasonLanguage });
      total += judgement.explanationScore;
    }
    return { judge: j.name, judged: changed.length, score: changed.length ? total / changed.length : 1 };
  }

  return {
    async checkDrift(input: DriftCheckParams & { checkId: string; windowEnd: string }): Promise<DriftCheckOutcome> {
      const db = await deps.db();
      const reports = db.getRepository(DriftReportSchema);
      const id = stableId('drift', input.checkId);
      const existing = await reports.findOneBy({ id });
      const windowEnd = new Date(input.windowEnd);
      const windowStart = new Date(Math.max(windowEnd.getTime() - input.windowSeconds * 1000, input.since ? Date.parse(input.since) : 0));
      const outcomeOf = (r: { id: string; drifted: boolean; sampleSize: number; signaled: boolean; metrics: Record<string, unknown> }): DriftCheckOutcome => ({
        reportId: r.id,
        drifted: r.drifted,
        sampleSize: r.sampleSize,
        skipped: (r.metrics.skipped as string | undefined) ?? null,
        reasons: (r.metrics.reasons as string[] | undefined) ?? [],
        championVersion: (r.metrics.championVersion as string | undefined) ?? null,
        signaled: r.signaled,
      });
      if (existing) return outcomeOf(existing);

      const store = async (drifted: boolean, sampleSize: number, metrics: Record<string, unknown>) => {
        const row = { id, modelName: input.modelName, windowStart, windowEnd, sampleSize, metrics: { checkId: input.checkId, ...metrics }, drifted, signaled: false };
        await reports.upsert(row, ['id']);
        return outcomeOf(row);
      };

      const requests = await db.getRepository(ServingRequestSchema).createQueryBuilder('r')
        .where('r.createdAt >= :start AND r.createdAt <= :end', { start: windowStart, end: windowEnd })
        .orderBy('r.createdAt', 'ASC')
        .getMany();
      if (requests.length < input.minSamples) {
        return store(false, requests.length, { skipped: `${requests.length} requests in the window, fewer than the ${input.minSamples} needed`, reasons: [] });
      }
      const texts = await db.getRepository(TextEntrySchema).find({ select: { text: true, form: true, tone: true }, order: { id: 'ASC' } });
      const entries = texts.map(({ text, form, tone }) => ({ text, form, tone }));
      const reference = await loadReference(input.modelName, input.maxReference, entries);
      if (typeof reference === 'string') return store(false, requests.length, { skipped: reference, reasons: [] });

      const current = await cpu().describePairs(requests.map((r) => ({ input: r.inputRedacted, output: r.output })), reference.vocab, entries);
      const feedback = [];
      for (let i = 0; i < requests.length; i += 1000) {
        feedback.push(...(await db.getRepository(FeedbackSchema).find({ where: { requestId: In(requests.slice(i, i + 1000).map((r) => r.id)) } })));
      }
      const latencies = requests.map((r) => r.latencyMs);
      const quality: QualitySignals = {
        requests: requests.length,
        feedback: feedback.length,
        thumbsDownRate: feedback.length ? feedback.filter((f) => f.rating === 'down').length / feedback.length : null,
        fallbackRate: requests.filter((r) => r.fallback).length / requests.length,
        latencyP50Ms: quantile(latencies, 0.5),
        latencyP95Ms: quantile(latencies, 0.95),
        judge: input.judge === 'none' ? null : await judgeScore(requests, input.judge, input.judgeSample),
      };
      const assessment = await stats().assessDrift(reference.descriptors, current, quality, input.thresholds, input.quality);
      return store(assessment.drifted, requests.length, {
        championVersion: reference.championVersion,
        datasetMd5: reference.datasetMd5,
        referenceSentences: reference.sentences,
        features: assessment.features,
        driftedShare: assessment.driftedShare,
        inputDrift: assessment.inputDrift,
        quality,
        qualityBreaches: assessment.qualityBreaches,
        reasons: assessment.reasons,
        thresholds: input.thresholds,
        qualityThresholds: input.quality,
      });
    },

    /** signalWithStart: the controller is started if it is not running yet. */
    async signalControllerDrift(input: { modelName: string; reportId: string; reasons: string[]; policy?: PolicyPatch }): Promise<{ controllerId: string }> {
      const connection = await Connection.connect({ address: deps.config.temporalAddress, connectTimeout: 10_000 });
      try {
        const client = new Client({ connection, namespace: deps.config.temporalNamespace });
        const workflowId = controllerId(input.modelName);
        await client.workflow.signalWithStart('retrainingController', {
          workflowId,
          taskQueue: CPU_QUEUE,
          args: [{ modelName: input.modelName, ...(input.policy ? { policy: input.policy } : {}) }],
          signal: 'driftDetected',
          signalArgs: [{ reason: input.reasons.join('; ').slice(0, 2000) || 'drift detected', reportId: input.reportId, source: 'drift check' }],
          staticSummary: `Retraining controller for ${input.modelName}`,
        });
        await (await deps.db()).getRepository(DriftReportSchema).update({ id: input.reportId }, { signaled: true });
        return { controllerId: workflowId };
      } finally {
        await connection.close();
      }
    },
  };
}
