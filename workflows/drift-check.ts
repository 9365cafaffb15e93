/**
 * driftCheckWorkflow, run by a Temporal Schedule: compares recent serving traffic with the
 * champion's training data, stores a drift report, and on drift signals (with start) the controller.
 */
import { ApplicationFailure, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { type DriftCheckInput, DriftCheckInputSchema, type DriftCheckOutcome } from '../contracts/drift-check';
import { issues } from '../contracts/pipeline';
import { CPU_QUEUE } from '../contracts/queues';

const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidInput'] };

export async function driftCheckWorkflow(raw: DriftCheckInput = {}): Promise<DriftCheckOutcome> {
  const parsed = DriftCheckInputSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `Invalid drift check input: ${issues(parsed.error)}` });
  const p = parsed.data;
  const info = workflowInfo();
  const { checkDrift, signalControllerDrift } = proxyActivities<Activities>({
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: '2 minutes',
    retry: RETRY,
    taskQueue: CPU_QUEUE,
    summary: `compare the last ${p.windowSeconds} s of serving traffic with ${p.modelName}'s training data`,
  });
  const outcome = await checkDrift({ ...p, checkId: `${info.workflowId}/${info.runId}`, windowEnd: new Date().toISOString() });
  setCurrentDetails(`### Drift check of ${p.modelName}\n\n${outcome.skipped ? `skipped: ${outcome.skipped}` : outcome.drifted ? `**drift**: ${outcome.reasons.join('; ')}` : 'no drift'} (${outcome.sampleSize} requests)`);
  if (outcome.drifted && p.signalController) {
    await signalControllerDrift({ modelName: p.modelName, reportId: outcome.reportId, reasons: outcome.reasons, policy: p.controllerPolicy });
    return { ...outcome, signaled: true };
  }
  return outcome;
}
