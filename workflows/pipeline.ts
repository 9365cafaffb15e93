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
  executeChild,
  getExternalWorkflowHandle,
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
import { decideGate, decideGateBySignificance } from '../contracts/gate';
import {
  type ApprovalDecision,
  approveUpdate,
  cancelSignal,
  parsePipelineInput,
  type PipelineInput,
  type PipelineProgress,
  type PipelineResult,
  pipelineStateSignal,
  progressQuery,
  type StageName,
  STAGES,
} from '../contracts/pipeline';
import { generateBatchInput, generationBatches, sourceCounts, userSamplesInput, validateSamplesInput, validationRefusal, versionDatasetInput } from '../contracts/pipeline-steps';
import { CPU_QUEUE, GPU_QUEUE } from '../contracts/queues';
import { CANDIDATE_VERSION, DATASET_VERSION, MODEL_NAME, PROMOTED, STAGE } from '../contracts/search-attributes';

/**
 * Heartbeat timeouts of the activities that heartbeat: about three times the longest quiet spell
 * measured on a loaded 2-core machine (bench/heartbeat-gaps.bench.ts; evaluation's is loading the
 * candidate before its first sentence), so a lost worker is noticed in seconds, not minutes.
 */
const HEARTBEAT = { generate: '20 seconds', validate: '20 seconds', version: '30 seconds', train: '20 seconds', evaluate: '30 seconds' } as const;

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidInput', 'AllSamplesRejected'] };

/**
 * A proxy whose calls show `summary` in the Web UI's event history. Timeouts are sized to each
 * activity: one that heartbeats gets a heartbeat timeout a few times its longest quiet spell, so a
 * lost worker is noticed in seconds; one that does not is bounded by its start-to-close time.
 */
function stage(summary: string, opts: Partial<ActivityOptions>) {
  return proxyActivities<Activities>({ retry: RETRY, taskQueue: CPU_QUEUE, summary, ...opts });
}

/** Bookkeeping calls (MLflow registry, deploy notification): short, no heartbeats. */
const BOOKKEEPING: Partial<ActivityOptions> = { startToCloseTimeout: '5 minutes' };

/** One batch of teacher generation, a child workflow so big runs fan out and show per batch. */
export async function generateBatchWorkflow(input: Parameters<Activities['generateBatch']>[0]) {
  const { generateBatch } = stage(`generate batch ${input.batch}: ${input.count} samples with the ${input.teacher} teacher`, { startToCloseTimeout: '1 hour', heartbeatTimeout: HEARTBEAT.generate });
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

  /** Tells the controller that started this pipeline (if one did) that it waits for, or got, approval. */
  async function tellController(state: PipelineProgress['state']): Promise<void> {
    const parent = workflowInfo().parent;
    // Added after the first recorded histories: runs started before it never signal.
    if (!parent || !patched('notify-controller-of-approval')) return;
    try {
      await getExternalWorkflowHandle(parent.workflowId).signal(pipelineStateSignal, { pipelineId, state });
    } catch (e) {
      log.warn('could not tell the controller', { parent: parent.workflowId, error: (e as Error).message });
    }
  }

  // Short lines, one per stage, so the Web UI's Current Details box shows all of them.
  let mlflowLink = '';
  const details = () => {
    const lines = STAGES.map((s) => {
      const st = progress.stages[s];
      const icon = { pending: '·', running: '▶', done: '✔', failed: '✖', skipped: '–', cancelled: '■' }[st.status];
      const summary = st.summary && st.summary.length > 80 ? `${st.summary.slice(0, 79)}…` : st.summary;
      return `${icon} ${s}${summary ? `: ${summary}` : ''}`;
    });
    setCurrentDetails([`**${p.modelName}**: ${progress.state.replace('_', ' ')}`, ...lines, ...(mlflowLink ? [mlflowLink] : [])].join('\n'));
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
      const batches = generationBatches(p);
      const gen = await run('generate', async () => {
        let generated = 0;
        const concurrency = 4;
        for (let start = 0; start < batches.length; start += concurrency) {
          const results = await Promise.all(
            batches.slice(start, start + concurrency).map((b) =>
              executeChild(generateBatchWorkflow, {
                workflowId: `${pipelineId}/generate-${b.batch}`,
                taskQueue: CPU_QUEUE,
                args: [generateBatchInput(pipelineId, p, b)],
                staticSummary: `Batch ${b.batch + 1}/${batches.length} of ${pipelineId}`,
              }),
            ),
          );
          generated += results.reduce((n, r) => n + r.generated, 0);
          progress.generated = generated;
          progress.stages.generate.summary = `${generated} samples (${Math.min(start + concurrency, batches.length)} of ${batches.length} batches)`;
          details();
        }
        // The learners' part of the flywheel (added after the first recorded histories).
        let users: { feedback: number; traffic: number; trafficSkipped: string | null } = { feedback: 0, traffic: 0, trafficSkipped: null };
        if (patched('user-samples')) {
          users = await stage("collect the learners' samples: better corrections from feedback, and traffic with an LLM teacher", { startToCloseTimeout: '1 hour', heartbeatTimeout: '2 minutes' }).collectUserSamples(userSamplesInput(pipelineId, p));
          generated += users.feedback + users.traffic;
          progress.generated = generated;
        }
        return { generated, teacher: generated - users.feedback - users.traffic, ...users };
      }, (r) => `${r.generated} samples: ${r.teacher} from the ${p.backends.teacher} teacher, ${r.feedback} from feedback, ${r.traffic} from traffic`);

      // 2. Validate.
      const report = await run(
        'validate',
        () => stage('validate samples: schema, tokens, PII, profanity, near-duplicates', { startToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT.validate }).validateSamples(validateSamplesInput(pipelineId, p)),
        (r) => `${r.accepted} of ${r.total} accepted`,
      );
      progress.accepted = report.accepted;
      const refusal = validationRefusal(report, p.validation.maxRejectRate);
      if (refusal) throw ApplicationFailure.create({ type: 'AllSamplesRejected', nonRetryable: true, message: refusal });
      log.info('validated', { generated: gen.generated, accepted: report.accepted, byReason: report.byReason });

      // 3. Version the accepted dataset with DVC.
      const dataset = await run(
        'version',
        () => stage('version the dataset with DVC (add + push)', { startToCloseTimeout: '1 hour', heartbeatTimeout: HEARTBEAT.version }).versionDataset(versionDatasetInput(pipelineId, p)),
        (r) => `md5 ${r.md5.slice(0, 10)}… (${r.counts.train}/${r.counts.valid}/${r.counts.test} train/valid/test; ${sourceCounts(r.counts)})`,
      );
      progress.datasetMd5 = dataset.md5;
      upsertSearchAttributes([{ key: DATASET_VERSION, value: dataset.md5 }]);

      // 4. Train: the rules model on CPU, or the LoRA fine-tune on the GPU queue.
      const trainInput = { pipelineId, modelName: p.modelName, datasetMd5: dataset.md5, datasetPath: dataset.path, seed: p.seed, scorerPairs: p.train.scorerPairs, trigger: p.trigger, pipelineStartedAt: workflowInfo().startTime.toISOString() };
      const trained = await run('train', () =>
        p.backends.trainer === 'lora'
          ? stage('fine-tune Gemma 3 1B with LoRA on the GPU worker', { taskQueue: GPU_QUEUE, startToCloseTimeout: '12 hours', heartbeatTimeout: '5 minutes' }).fineTuneLora(trainInput)
          : stage('train the rules model on CPU (edit rules over Harper)', { startToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT.train }).trainRulesModel(trainInput),
      (r) => `${r.backend} model, MLflow run ${r.runId.slice(0, 8)}…`);
      if (trained.runUrl) mlflowLink = `[MLflow run ${trained.runId.slice(0, 8)}…](${trained.runUrl})`;

      // 5. Register the candidate (alias challenger) and evaluate it against champion and Harper.
      const candidate = await run('evaluate', async () => {
        const reg = await stage('register the candidate in MLflow (alias challenger)', BOOKKEEPING).registerCandidate({ pipelineId, modelName: p.modelName, runId: trained.runId, datasetMd5: dataset.md5 });
        progress.candidateVersion = reg.version;
        upsertSearchAttributes([{ key: CANDIDATE_VERSION, value: reg.version }]);
        const evaluation = await stage('evaluate candidate vs champion vs Harper (GLEU on held-out and JFLEG dev)', { startToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT.evaluate }).evaluateCandidate({
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
          const cmp = await stage(`compare with the ${p.backends.baseline} baseline (GLEU, judged explanations, cost)`, { startToCloseTimeout: '4 hours', heartbeatTimeout: '1 minute' }).compareWithBaseline({
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
      }, (r) => `v${r.version} JFLEG GLEU ${r.evaluation.candidate.jfleg.gleu.toFixed(4)} (Δ ${r.evaluation.comparison.delta >= 0 ? '+' : ''}${r.evaluation.comparison.delta.toFixed(4)} vs ${r.evaluation.comparison.reference})`);

      // 6. Gate, optional human approval, promotion.
      // The significance gate came after the first recorded histories: older runs keep the ≥ gate.
      const decision = patched('significance-gate') ? decideGateBySignificance(candidate.evaluation, p.gate) : decideGate(candidate.evaluation, p.gate);
      let promoted = false;
      const why = [...decision.reasons];
      await run('promote', async () => {
        if (decision.promote && p.approval.required) {
          progress.state = 'awaiting_approval';
          progress.stages.promote.summary = 'awaiting approval (update "approve")';
          details();
          await tellController('awaiting_approval');
          const answered = await condition(() => approval !== undefined, p.approval.timeoutSeconds * 1000);
          progress.state = 'running';
          await tellController('running');
          if (!answered) why.push(`no approval within ${p.approval.timeoutSeconds} s`);
          else if (!approval!.approved) why.push(`rejected by ${approval!.reviewer}${approval!.comment ? `: ${approval!.comment}` : ''}`);
          else why.push(`approved by ${approval!.reviewer}`);
          if (!answered || !approval!.approved) {
            await stage('record the rejected candidate', BOOKKEEPING).rejectCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
            return false;
          }
        }
        if (!decision.promote) {
          await stage('record the rejected candidate', BOOKKEEPING).rejectCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
          return false;
        }
        await stage('promote: alias champion → candidate, previous → old champion', BOOKKEEPING).promoteCandidate({ pipelineId, modelName: p.modelName, version: candidate.version, reasons: why });
        promoted = true;
        return true;
      }, (ok) => (ok ? `v${candidate.version} is champion` : `v${candidate.version} not promoted: ${why.filter((w) => /<|too many|no approval|rejected|no significant improvement|significant regression/.test(w)).join('; ')}`));
      upsertSearchAttributes([{ key: PROMOTED, value: promoted }]);

      // 7. Deploy: tell serving to load the new champion.
      let deployed: PipelineResult['deployed'] = null;
      if (promoted) {
        deployed = await run('deploy', () => stage('deploy: serving switches to the new champion', { startToCloseTimeout: '1 hour', heartbeatTimeout: '1 minute' }).deployChampion({ modelName: p.modelName, version: candidate.version }), (r) => r.detail);
      } else {
        progress.stages.deploy = { status: 'skipped', summary: 'nothing promoted' };
      }

      // Added after the first recorded histories: the MLflow run then records every stage's timing.
      if (patched('mlflow-run-spans-pipeline')) {
        await stage('record stage timings and links on the MLflow run', BOOKKEEPING).finishPipelineRun({
          runId: trained.runId,
          pipelineId,
          stages: STAGES.map((name) => ({ name, status: progress.stages[name].status, startedAt: progress.stages[name].startedAt, finishedAt: progress.stages[name].finishedAt })),
          startedAt: workflowInfo().startTime.toISOString(),
          promoted,
        });
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
