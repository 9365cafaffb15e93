/**
 * The typed client other programs import to start, signal and query Correctly workflows.
 *
 *   import { CorrectlyClient } from 'correctly/client';
 *   const correctly = await CorrectlyClient.connect();
 *   const run = await correctly.startPipeline({ samples: 400, reasonLanguage: 'en' });
 *   console.log(await run.progress());
 *   const result = await run.result();
 *
 * Workflows are started by name with their types imported, so the client loads no workflow code.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DependencyReport } from '../activities';
import {
  HEALTH_CHECK_WORKFLOW,
  parsePipelineInput,
  PIPELINE_WORKFLOW,
  type PipelineInput,
  pipelineStartDetails,
} from '../contracts/pipeline';
import { CPU_QUEUE } from '../contracts/queues';
import { MODEL_NAME } from '../contracts/search-attributes';
import { type Config, links, loadConfig } from '../config';
import type { stackHealthCheck } from '../workflows/health-check';
import type { retrainingPipeline } from '../workflows/pipeline';
import type { ClientContext } from './context';
import { ControllerClient } from './controller';
import { InvalidInputError, TemporalUnreachableError } from './errors';
import { PipelineRun } from './pipeline-run';

export { ApprovalRefusedError, InvalidInputError, RefusedError, TemporalUnreachableError } from './errors';
export { PipelineRun } from './pipeline-run';

export class CorrectlyClient implements ClientContext {
  private constructor(
    readonly temporal: Client,
    readonly config: Config,
    private readonly connection: Connection,
  ) {}

  static async connect(config: Config = loadConfig()): Promise<CorrectlyClient> {
    const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: 10_000 }).catch((e) => {
      throw new TemporalUnreachableError(config.temporalAddress, { cause: e });
    });
    const temporal = new Client({ connection, namespace: config.temporalNamespace });
    return new CorrectlyClient(temporal, config, connection);
  }

  /** Runs the health-check workflow on the CPU queue and waits for its report. */
  async healthCheck(workflowId = `health-check-${Date.now()}`): Promise<DependencyReport> {
    return this.temporal.workflow.execute<typeof stackHealthCheck>(HEALTH_CHECK_WORKFLOW, {
      taskQueue: CPU_QUEUE,
      workflowId,
      staticSummary: 'Checks that workers reach the database, MLflow and Chroma',
    });
  }

  /** Validates the input (throws InvalidInputError naming each bad field) and starts a pipeline. */
  async startPipeline(input: PipelineInput = {}, opts: { workflowId?: string } = {}): Promise<PipelineRun> {
    const parsed = parsePipelineInput(input);
    if (!parsed.ok) throw new InvalidInputError(parsed.error);
    const workflowId = opts.workflowId ?? `pipeline-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    const handle = await this.temporal.workflow.start<typeof retrainingPipeline>(PIPELINE_WORKFLOW, {
      taskQueue: CPU_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: [{ key: MODEL_NAME, value: parsed.value.modelName }],
      ...pipelineStartDetails(input),
    });
    return new PipelineRun(handle, this.webUiUrl(workflowId));
  }

  pipeline(workflowId: string): PipelineRun {
    return new PipelineRun(this.temporal.workflow.getHandle<typeof retrainingPipeline>(workflowId), this.webUiUrl(workflowId));
  }

  /** Recent pipelines, newest first, with their stage from the search attributes. */
  async listPipelines(limit = 20): Promise<{ workflowId: string; status: string; stage?: string; startTime: Date; promoted?: boolean }[]> {
    const out = [];
    for await (const wf of this.temporal.workflow.list({ query: `WorkflowType = '${PIPELINE_WORKFLOW}'` })) {
      const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
      out.push({ workflowId: wf.workflowId, status: wf.status.name, stage: sa.Stage?.[0] as string | undefined, promoted: sa.Promoted?.[0] as boolean | undefined, startTime: wf.startTime });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The RetrainingController of a model: triggers, state, policy, approval. */
  controller(modelName = this.config.mlflowModelName): ControllerClient {
    return new ControllerClient(this, modelName);
  }

  /** Link to a workflow in the Temporal Web UI. */
  webUiUrl(workflowId: string, runId?: string): string {
    return links(this.config).workflow(workflowId, runId);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
