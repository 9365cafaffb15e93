/**
 * The typed client other programs import to start, signal and query Correctly workflows.
 *
 *   import { CorrectlyClient } from 'correctly/client';
 *   const correctly = await CorrectlyClient.connect();
 *   const run = await correctly.startPipeline({ samples: 400, reasonLanguage: 'en' });
 *   console.log(await run.progress());
 *   const result = await run.result();
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { type Config, loadConfig } from '../core/config';
import type { DependencyReport } from '../activities';
import { stackHealthCheck, retrainingPipeline } from '../workflows';
import { approveUpdate, cancelSignal, progressQuery } from '../workflows/pipeline';
import { type ApprovalDecision, parsePipelineInput, type PipelineInput, type PipelineProgress, type PipelineResult } from '../workflows/pipeline-types';
import { MODEL_NAME } from '../workflows/search-attributes';
import { ControllerClient } from './controller';
import { CPU_QUEUE } from '../worker/queues';

/** The pipeline refused an approval decision (nothing awaiting approval, missing reviewer…). */
export class ApprovalRefusedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalRefusedError';
  }
}

export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export class PipelineRun {
  constructor(readonly handle: WorkflowHandle<typeof retrainingPipeline>, readonly webUiUrl: string) {}
  get workflowId() {
    return this.handle.workflowId;
  }
  progress(): Promise<PipelineProgress> {
    return this.handle.query(progressQuery);
  }
  result(): Promise<PipelineResult> {
    return this.handle.result();
  }
  cancel(reason = 'cancelled by operator'): Promise<void> {
    return this.handle.signal(cancelSignal, reason);
  }
  /** Answers the approval gate; a refused decision throws with the validator's reason. */
  async approve(decision: ApprovalDecision): Promise<string> {
    try {
      return await this.handle.executeUpdate(approveUpdate, { args: [decision] });
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError && e.cause instanceof Error) throw new ApprovalRefusedError(e.cause.message, { cause: e });
      throw e;
    }
  }
}

export class CorrectlyClient {
  private constructor(
    readonly temporal: Client,
    readonly config: Config,
    private readonly connection: Connection,
  ) {}

  static async connect(config: Config = loadConfig()): Promise<CorrectlyClient> {
    const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: 10_000 });
    const temporal = new Client({ connection, namespace: config.temporalNamespace });
    return new CorrectlyClient(temporal, config, connection);
  }

  /** Runs the health-check workflow on the CPU queue and waits for its report. */
  async healthCheck(workflowId = `health-check-${Date.now()}`): Promise<DependencyReport> {
    return this.temporal.workflow.execute(stackHealthCheck, {
      taskQueue: CPU_QUEUE,
      workflowId,
      staticSummary: 'Checks that workers reach the database, MLflow and Chroma',
    });
  }

  /** Validates the input (throws InvalidInputError naming each bad field) and starts a pipeline. */
  async startPipeline(input: PipelineInput = {}, opts: { workflowId?: string } = {}): Promise<PipelineRun> {
    const parsed = parsePipelineInput(input);
    if (!parsed.ok) throw new InvalidInputError(parsed.error);
    const p = parsed.value;
    const workflowId = opts.workflowId ?? `pipeline-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    const handle = await this.temporal.workflow.start(retrainingPipeline, {
      taskQueue: CPU_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: [{ key: MODEL_NAME, value: p.modelName }],
      staticSummary: `Retrain ${p.modelName}: ${p.samples} samples, ${p.backends.teacher} teacher, ${p.backends.trainer} trainer, reasons in ${p.reasonLanguage} (${p.trigger})`,
      staticDetails: '```json\n' + JSON.stringify(p, null, 2) + '\n```',
    });
    return new PipelineRun(handle, this.webUiUrl(workflowId));
  }

  pipeline(workflowId: string): PipelineRun {
    return new PipelineRun(this.temporal.workflow.getHandle<typeof retrainingPipeline>(workflowId), this.webUiUrl(workflowId));
  }

  /** Recent pipelines, newest first, with their stage from the search attributes. */
  async listPipelines(limit = 20): Promise<{ workflowId: string; status: string; stage?: string; startTime: Date; promoted?: boolean }[]> {
    const out = [];
    for await (const wf of this.temporal.workflow.list({ query: `WorkflowType = 'retrainingPipeline'` })) {
      const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
      out.push({ workflowId: wf.workflowId, status: wf.status.name, stage: sa.Stage?.[0] as string | undefined, promoted: sa.Promoted?.[0] as boolean | undefined, startTime: wf.startTime });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The RetrainingController of a model: signal, query and update it (started on first signal). */
  controller(modelName = this.config.mlflowModelName): ControllerClient {
    return new ControllerClient(this, modelName);
  }

  /** Link to a workflow in the Temporal Web UI. */
  webUiUrl(workflowId: string, runId?: string): string {
    const base = `http://${this.config.bindHost}:${this.config.temporalUiPort}/namespaces/${encodeURIComponent(this.config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
    return runId ? `${base}/${runId}` : base;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
