/**
 * The controller's behaviour in seconds: the real workflows (controller and pipeline) on the local
 * Temporal dev server, with the pipeline's activities stubbed. Stubs answer at once, except
 * `generateBatch`, which waits while the test holds the pipeline of a model (to send triggers
 * while it runs); `readChampion` answers what the stub registry's `champion` alias says.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { CPU_QUEUE } from '../../contracts/queues';
import type { EvaluationResult } from '../../contracts/pipeline';
import { loadConfig } from '../../config';
import type { ClientContext } from '../../client/context';
import { startTemporal, workflowBundle } from '../support/temporal';

/** One model's stub registry and the hold on its pipelines. */
interface ModelStub {
  versions: number;
  champion: string | null;
  held: Promise<void> | null;
  release: () => void;
  /** Candidates this model's pipelines should not promote. */
  rejectNext: boolean;
}

export interface ControllerHarness {
  env: TestWorkflowEnvironment;
  ctx: ClientContext;
  /** Keeps the model's pipelines in their generate stage until release(). */
  hold(model: string): void;
  release(model: string): void;
  /** The champion the stub registry names for the model. */
  champion(model: string): string | null;
  /** Makes the model's next evaluation fail the gate (not promoted). */
  rejectNext(model: string): void;
  stop(): Promise<void>;
}

const modelOf = (pipelineId: string) => pipelineId.replace(/^controller-/, '').replace(/\/.*$/, '');

export async function startControllerHarness(): Promise<ControllerHarness> {
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the stub pipelines' info logs are noise here
  const env = await startTemporal();
  const models = new Map<string, ModelStub>();
  const stub = (model: string): ModelStub => {
    let m = models.get(model);
    if (!m) models.set(model, (m = { versions: 0, champion: null, held: null, release: () => {}, rejectNext: false }));
    return m;
  };
  const metrics = (gleu: number) => ({ gleu, gleuStd: 0.01, gleuCi: [gleu - 0.02, gleu + 0.02] as [number, number], noChangeRate: 0.95, overCorrectionRate: 0, latencyMsP50: 1, latencyMsP95: 2, sentences: 10 });

  const activities: Partial<Activities> = {
    async generateBatch(input) {
      await stub(modelOf(input.pipelineId)).held;
      return { batch: input.batch, generated: input.count, skipped: 0, invalid: 0 };
    },
    async collectUserSamples() {
      return { feedback: 0, traffic: 0, trafficSkipped: 'no traffic in this test' };
    },
    async validateSamples() {
      return { total: 100, accepted: 90, rejected: 10, byReason: { unchanged: 10 }, redacted: 0 };
    },
    async versionDataset(input) {
      return { md5: `md5-${input.pipelineId.length}.dir`, path: `/nonexistent/${input.pipelineId}`, counts: { train: 70, valid: 10, test: 10 } };
    },
    async trainRulesModel(input) {
      return { runId: `run-${modelOf(input.pipelineId)}`, backend: 'rules', artifactPath: '/nonexistent/rules.json', metrics: {} };
    },
    async registerCandidate(input) {
      return { version: String(++stub(modelOf(input.pipelineId)).versions) };
    },
    async evaluateCandidate(input): Promise<EvaluationResult> {
      const m = stub(input.modelName);
      const candidate = m.rejectNext ? 0.3 : 0.5;
      m.rejectNext = false;
      return {
        candidate: { engine: 'rules', modelVersion: input.candidateVersion, heldout: metrics(0.6), jfleg: metrics(candidate) },
        champion: null,
        harper: { engine: 'harper', modelVersion: null, heldout: metrics(0.55), jfleg: metrics(0.45) },
        comparison: { reference: 'harper', delta: candidate - 0.45, ci: [0, 0.1], pBetter: 0.9 },
        // what the significance gate decides on: above 0 promotes, below 0 refuses
        comparisons: [{ set: 'jfleg', label: 'JFLEG dev', sentences: 10, reference: 'the base ensemble', candidateGleu: candidate, referenceGleu: 0.45, delta: candidate - 0.45, ci: [candidate - 0.47, candidate - 0.43], pBetter: candidate > 0.45 ? 1 : 0 }],
        reportPath: '/nonexistent/report.json',
      };
    },
    async promoteCandidate(input) {
      const m = stub(input.modelName);
      const previous = m.champion;
      m.champion = input.version;
      return { champion: input.version, previous };
    },
    async rejectCandidate() {},
    async deployChampion(input) {
      return { served: false, detail: `no serving API in this test (v${input.version})` };
    },
    async finishPipelineRun() {},
    async readChampion(input) {
      return { version: stub(input.modelName).champion };
    },
  };

  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: CPU_QUEUE, workflowBundle: await workflowBundle(), activities });
  const running = worker.run();
  const config = loadConfig({ TEMPORAL_ADDRESS: env.address });
  return {
    env,
    ctx: { temporal: env.client, config },
    hold(model) {
      const m = stub(model);
      m.held = new Promise((resolve) => (m.release = resolve));
    },
    release(model) {
      const m = stub(model);
      m.release();
      m.held = null;
    },
    champion: (model) => stub(model).champion,
    rejectNext(model) {
      stub(model).rejectNext = true;
    },
    async stop() {
      for (const m of models.values()) m.release();
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
