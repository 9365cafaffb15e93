/**
 * The typed client other programs import to start, signal and query Correctly workflows.
 *
 *   const correctly = await CorrectlyClient.connect();
 *   const report = await correctly.healthCheck();
 */
import { Client, Connection } from '@temporalio/client';
import { type Config, loadConfig } from '../core/config';
import type { DependencyReport } from '../activities';
import { stackHealthCheck } from '../workflows';
import { CPU_QUEUE } from '../worker/queues';

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

  /** Link to a workflow in the Temporal Web UI. */
  webUiUrl(workflowId: string, runId?: string): string {
    const base = `http://${this.config.bindHost}:${this.config.temporalUiPort}/namespaces/${encodeURIComponent(this.config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
    return runId ? `${base}/${runId}` : base;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
