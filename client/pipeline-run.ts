/** A handle on one retraining pipeline: progress, result, cancel, approval. */
import type { WorkflowHandle } from '@temporalio/client';
import { type ApprovalDecision, approveUpdate, cancelSignal, type PipelineProgress, type PipelineResult, progressQuery } from '../contracts/pipeline';
import type { retrainingPipeline } from '../workflows/pipeline';
import { ApprovalRefusedError, refusalReason } from './errors';

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
  /** Answers the approval gate; a refused decision throws ApprovalRefusedError with the validator's reason. */
  async approve(decision: ApprovalDecision): Promise<string> {
    try {
      return await this.handle.executeUpdate(approveUpdate, { args: [decision] });
    } catch (e) {
      const reason = refusalReason(e);
      if (reason) throw new ApprovalRefusedError(reason, { cause: e });
      throw e;
    }
  }
}
