/**
 * retrainingPipeline: generate → validate → version → train → evaluate → promote → deploy.
 *
 * The workflow holds decisions and state; activities do all I/O and are idempotent, keyed by the
 * workflow id + stage. Payloads carry ids, digests and paths only. Operators follow a run in the
 * Web UI through search attributes, the static summary, activity summaries and current details.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CPU_QUEUE, GPU_QUEUE } from '../worker/queues';
import { decideGate } from './gate';
import {
  type ApprovalDecision,
  parsePipelineInput,
  type PipelineInput,
  type PipelineProgress,
  type PipelineResult,
  type StageName,
  STAGES,
} from './pipeline-types';
import { CANDIDATE_VERSION, DATASET_VERSION, MODEL_NAME, PROMOTED, STAGE } from './search-attributes';

export const progressQuery = defineQuery<PipelineProgress>('progress');
export const cancelSignal = defineSignal<[string?]>('cancel');
export const approveUpdate = defineUpdate<string, [ApprovalDecision]>('approve');

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidInput', 'AllSamplesRejected'] };

/** A proxy whose calls show `summary` in the Web UI's event history. */
function stage(summary: string, opts: Partial<ActivityOptions> = {}) {
  return proxyActivities<Activities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute', retry: RETRY, taskQueue: CPU_QUEUE, summary, ...opts });
}

/** One batch of teacher generation, a child workflow so big runs fan out and show per batch. */
export async function generateBatchWorkflow(input: Parameters<Activities['generateBatch']>[0]) {
  const { generateBatch } = stage(`generate batch ${input.batch}: ${input.count} samples with the ${input.teacher} teacher`, { startToCloseTimeout: '1 hour' });
  return generateBatch(input);
}

export async function retrainingPipeline(rawInput: PipelineInput = {}): Promise<PipelineResult> {
  const parsed = parsePipelineInput(rawInput);
  if (!parsed.ok) throw ApplicationFailure.create({ type: 'InvalidInput', message: `Invalid pipeline input: ${parsed.error}`, nonRetryable: true });
  const p = parsed.value;
  const pipelineId = workflowInfo().workflowId;

  const progress: PipelineProgress = {
    pipelineId,
    stage: 'generate',
    state: 'running',
    stages: Object.fromEntries(STAGES.map((s) => [s, { status: 'pending' }])) as PipelineProgress['stages'],
  };
  let approval: ApprovalDecision | undefined;
  let cancelReason: string | undefined;
  const scope = new CancellationScope();

  setHandler(progressQuery, () => progress);
  setHandler(cancelSignal, (reason) => {
    cancelReason = reason || 'cancelled by operator';
    scope.cancel();
  });
  setHandler(
    approveUpdate,
    (decision) => {
      approval = decision;
      return decision.approved ? `approved by ${decision.reviewer}` : `rejected by ${decision.reviewer}`;
    },
    {
      validator: (decision) => {
        if (progress.state !== 'awaiting_approval') throw new Error(`nothing to approve: the pipeline is ${progress.state} (stage ${progress.stage})`);
        if (!decision || typeof decision.approved !== 'boolean') throw new Error('approved must be true or false');
        if (typeof decision.reviewer !== 'string' || !decision.reviewer.trim()) throw new Error('reviewer is required');
      },
    },
  );

  upsertSearchAttributes([{ key: MODEL_NAME, value: p.modelName }]);

  const details = () => {
    const lines = STAGES.map((s) => {
      const st = progress.stages[s];
      const icon = { pending: '·', running: '▶', done: '✔', failed: '✖', skipped: '–', cancelled: '■' }[st.status];
      return `${icon} **${s}**${st.summary ? ` — ${st.summary}` : ''}`;
    });
    setCurrentDetails(`### Retraining ${p.modelName} (${p.trigger})\n\n${lines.join('\n\n')}`);
  };

  async function run<T>(name: StageName, fn: () => Promise<T>, summarize: (r: T) => string): Promise<T> {
    progress.stage = name;
    progress.stages[name] = { status: 'running', startedAt: new Date().toISOString() };
    upsertSearchAttributes([{ key: STAGE, value: name }]);
    details();
    try {
      const r = await fn();
      progress.stages[name] = { ...progress.stages[name], status: 'done', finishedAt: new Date().toISOString(), summary: summarize(r) };
      return r;
    } catch (e) {
      progress.stages[name] = { ...progress.stages[name], status: isCancellation(e) ? 'cancelled' : 'failed', finishedAt: new Date().toISOString(), summary: (e as Error).message };
      throw e;
    } finally {
      details();
    }
  }

  try {
    return await scope.run(async () => {
      // 1. Generate, fanned out in child workflows, a few batches at a time.
      const batches = Math.ceil(p.samples / p.batchSize);
      const gen = await run('generate', async () => {
        let generated = 0;
        const concurrency = 4;
        for (let start = 0; start < batches; start += concurrency) {
          const results = await Promise.all(
            Array.from({ length: Math.min(concurrency, batches - start) }, (_, k) => {
              const batch = start + k;
              const count = Math.min(p.batchSize, p.samples - batch * p.batchSize);
              return executeChild(generateBatchWorkflow, {
                workflowId: `${pipelineId}/generate-${batch}`,
                taskQueue: CPU_QUEUE,
                args: [{ pipelineId, batch, count, seed: p.seed, teacher: p.backends.teacher, reasonLanguage: p.reasonLanguage }],
                staticSummary: `Batch ${batch + 1}/${batches} of ${pipelineId}`,
              });
            }),
          );
          generated += results.reduce((n, r) => n + r.generated, 0);
          progress.generated = generated;
          progress.stages.generate.summary = `${generated} samples (${Math.min(start + concurrency, batches)}/${batches} batches)`;
          details();
        }
        return { generated };
      }, (r) => `${r.generated} samples from the ${p.backends.teacher} teacher`);

      // 2. Validate.
      const report = await run('validate', () => stage('validate samples: schema, tokens, PII, profanity, near-duplicates').validateSamples({
        pipelineId,
        embedder: p.backends.embedder,
        nearDuplicateThreshold: p.validation.nearDuplicateThreshold,
        piiPolicy: p.validation.piiPolicy,
        maxSentenceTokens: p.validation.maxSentenceTokens,
      }), (r) => `${r.accepted}/${r.total} accepted`);
      progress.accepted = report.accepted;
      const top = Object.entries(report.byReason).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} (${v})`).join(', ');
      if (report.accepted === 0) {
        throw ApplicationFailure.create({ type: 'AllSamplesRejected', nonRetryable: true, message: `All ${report.total} generated samples were rejected; top reasons: ${top || 'none recorded'}` });
      }
      if (report.rejected / report.total > p.validation.maxRejectRate) {
        throw ApplicationFailure.create({ type: 'AllSamplesRejected', nonRetryable: true, message: `${report.rejected} of ${report.total} samples rejected (more than ${p.validation.maxRejectRate * 100}%); top reasons: ${top}` });
      }
      log.info('validated', { generated: gen.generated, accepted: report.accepted, byReason: report.byReason });

      // 3. Version the accepted dataset with DVC.
      const dataset = await run('version', () => stage('version the dataset with DVC (add + push)').versionDataset({ pipelineId, seed: p.seed, splits: p.splits }), (r) => `md5 ${r.md5.slice(0, 12)}… (${r.counts.train} train / ${r.counts.valid} valid / ${r.counts.test} test)`);
      progress.datasetMd5 = dataset.md5;
      upsertSearchAttributes([{ key: DATASET_VERSION, value: dataset.md5 }]);

      // 4. Train: the rules model on CPU, or the LoRA fine-tune on the GPU queue.
      const trainInput = { pipelineId, modelName: p.modelName, datasetMd5: dataset.md5, datasetPath: dataset.path, seed: p.seed, trigger: p.trigger };
      const trained = await run('train', () =>
        p.backends.trainer === 'lora'
          ? stage('fine-tune Gemma 3 1B with LoRA on the GPU worker', { taskQueue: GPU_QUEUE, startToCloseTimeout: '12 hours', heartbeatTimeout: '5 minutes' }).fineTuneLora(trainInput)
          : stage('train the rules model on CPU (edit rules over Harper)', { startToCloseTimeout: '2 hours', heartbeatTimeout: '20 seconds' }).trainRulesModel(trainInput),
      (r) => `MLflow run ${r.runId.slice(0, 8)}… (${r.backend})`);

      // 5. Register the candidate (alias challenger) and evaluate it against champion and Harper.
      const candidate = await run('evaluate', async () => {
        const reg = await stage('register the candidate in MLflow (alias challenger)').registerCandidate({ pipelineId, modelName: p.modelName, runId: trained.runId, datasetMd5: dataset.md5 });
        progress.candidateVersion = reg.version;
        upsertSearchAttributes([{ key: CANDIDATE_VERSION, value: reg.version }]);
        const evaluation = await stage('evaluate candidate vs champion vs Harper (GLEU on held-out and JFLEG dev)', { startToCloseTimeout: '2 hours' }).evaluateCandidate({
          pipelineId,
          modelName: p.modelName,
          candidateVersion: reg.version,
          runId: trained.runId,
          datasetPath: dataset.path,
          jflegLimit: p.gate.jflegLimit,
          seed: p.seed,
        });
        // Added after the first recorded histories: runs started before it never compare.
        if (p.backends.baseline !== 'none' && patched('baseline-comparison')) {
          const cmp = await stage(`compare with the ${p.backends.baseline} baseline (GLEU, judged explanations, cost)`, { startToCloseTimeout: '4 hours' }).compareWithBaseline({
            pipelineId,
            modelName: p.modelName,
            runId: trained.runId,
            candidateVersion: reg.version,
            baseline: p.backends.baseline,
            evaluationReport: evaluation.reportPath,
            jflegLimit: p.gate.jflegLimit,
            reasonLanguage: p.reasonLanguage,
          });
          progress.stages.evaluate.summary = `baseline ${cmp.baseline.model}: GLEU ${cmp.baseline.gleu.toFixed(4)}`;
          details();
        }
        return { version: reg.version, evaluation };
      }, (r) => `v${r.version}: JFLEG GLEU ${r.evaluation.candidate.jfleg.gleu.toFixed(4)} (Δ ${r.evaluation.comparison.delta >= 0 ? '+' : ''}${r.evaluation.comparison.delta.toFixed(4)} vs ${r.evaluation.comparison.reference})`);

      // 6. Gate, optional human approval, promotion.
      const decision = decideGate(candidate.evaluation, p.gate);
      let promoted = false;
      const why = [...decision.reasons];
      await run('promote', async () => {
        if (decision.promote && p.approval.required) {
          progress.state = 'awaiting_approval';
          progress.stages.promote.summary = 'awaiting approval (update "approve")';
          details();
          const answered = await condition(() => approval !== undefined, p.approval.timeoutSeconds * 1000);
          progress.state = 'running';
          if (!answered) why.push(`no approval within ${p.approval.timeoutSeconds} s`);
          else if (!approval!.approved) why.push(`rejected by ${approval!.reviewer}${approval!.comment ? `: ${approval!.comment}` : ''}`);
          else why.push(`approved by ${approval!.reviewer}`);
          if (!answered || !approval!.approved) {
            await stage('record the rejected candidate').rejectCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
            return false;
          }
        }
        if (!decision.promote) {
          await stage('record the rejected candidate').rejectCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
          return false;
        }
        await stage('promote: alias champion → candidate, previous → old champion').promoteCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
        promoted = true;
        return true;
      }, (ok) => (ok ? `v${candidate.version} is champion` : `v${candidate.version} not promoted: ${why.filter((w) => /<|too many|no approval|rejected/.test(w)).join('; ')}`));
      upsertSearchAttributes([{ key: PROMOTED, value: promoted }]);

      // 7. Deploy: tell serving to load the new champion.
      let deployed: PipelineResult['deployed'] = null;
      if (promoted) {
        deployed = await run('deploy', () => stage('deploy: serving switches to the new champion').deployChampion({ modelName: p.modelName, version: candidate.version }), (r) => r.detail);
      } else {
        progress.stages.deploy = { status: 'skipped', summary: 'nothing promoted' };
      }

      progress.stage = 'finished';
      progress.state = 'succeeded';
      upsertSearchAttributes([{ key: STAGE, value: 'finished' }]);
      details();
      return {
        pipelineId,
        datasetVersion: { md5: dataset.md5, path: dataset.path, counts: dataset.counts },
        candidateVersion: candidate.version,
        mlflowRunId: trained.runId,
        metrics: candidate.evaluation,
        promoted,
        why,
        deployed,
      };
    });
  } catch (e) {
    if (isCancellation(e) || cancelReason) {
      progress.state = 'cancelled';
      upsertSearchAttributes([{ key: STAGE, value: 'cancelled' }]);
      details();
      throw ApplicationFailure.create({ type: 'Cancelled', nonRetryable: true, message: `Pipeline cancelled: ${cancelReason ?? 'cancellation requested'}` });
    }
    progress.state = 'failed';
    upsertSearchAttributes([{ key: STAGE, value: `failed:${progress.stage}` }]);
    details();
    throw e;
  }
}
