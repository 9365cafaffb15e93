/**
 * The pipeline's steps as pure functions of its parameters: how generation is split into batches,
 * what each stage's activity receives, and when validation results are refused. The Temporal
 * workflow and the DVC stage driver (`stages/`) both run them, so `dvc repro` and a pipeline with
 * the same parameters do the same work. Deterministic: safe in workflow code.
 */
import type { PipelineParams } from './pipeline';

/** The generation batches, in order: batch index and how many samples it makes. */
export function generationBatches(p: Pick<PipelineParams, 'samples' | 'batchSize'>): { batch: number; count: number }[] {
  const batches = Math.ceil(p.samples / p.batchSize);
  return Array.from({ length: batches }, (_, batch) => ({ batch, count: Math.min(p.batchSize, p.samples - batch * p.batchSize) }));
}

/** The collectUserSamples activity's input: feedback always, traffic with an LLM teacher. */
export function userSamplesInput(pipelineId: string, p: PipelineParams) {
  return { pipelineId, teacher: p.backends.teacher, reasonLanguage: p.reasonLanguage, trafficWindowSeconds: p.flywheel.trafficWindowSeconds, maxTraffic: p.flywheel.maxTraffic };
}

/** The generateBatch activity's input for one batch. */
export function generateBatchInput(pipelineId: string, p: PipelineParams, b: { batch: number; count: number }) {
  return { pipelineId, batch: b.batch, offset: b.batch * p.batchSize, count: b.count, seed: p.seed, teacher: p.backends.teacher, reasonLanguage: p.reasonLanguage };
}

/** The validateSamples activity's input. */
export function validateSamplesInput(pipelineId: string, p: PipelineParams) {
  return {
    pipelineId,
    embedder: p.backends.embedder,
    nearDuplicateThreshold: p.validation.nearDuplicateThreshold,
    piiPolicy: p.validation.piiPolicy,
    maxSentenceTokens: p.validation.maxSentenceTokens,
    chunkSize: p.validation.chunkSize,
  };
}

/** The versionDataset activity's input. */
export function versionDatasetInput(pipelineId: string, p: PipelineParams) {
  return { pipelineId, seed: p.seed, splits: p.splits };
}

export interface ValidationCounts {
  total: number;
  accepted: number;
  rejected: number;
  byReason: Record<string, number>;
}

/** The three most frequent rejection reasons, e.g. `too_many_tokens (12), pii (3)`. */
export function topRejectionReasons(byReason: Record<string, number>, n = 3): string {
  return Object.entries(byReason)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} (${v})`)
    .join(', ');
}

/**
 * Why a validated batch must not be trained on (everything, or more than `maxRejectRate`, was
 * rejected), naming the top reasons; null when the dataset may be versioned and trained on.
 */
export function validationRefusal(report: ValidationCounts, maxRejectRate: number): string | null {
  const top = topRejectionReasons(report.byReason);
  if (report.accepted === 0) return `All ${report.total} generated samples were rejected; top reasons: ${top || 'none recorded'}`;
  if (report.rejected / report.total > maxRejectRate) return `${report.rejected} of ${report.total} samples rejected (more than ${maxRejectRate * 100}%); top reasons: ${top}`;
  return null;
}

/** A dataset version's samples per source, for summaries: "teacher 230, feedback 12, traffic 0, wrong-edit evidence 3". */
export function sourceCounts(counts: Record<string, number>): string {
  const parts = ['teacher', 'feedback', 'traffic'].map((k) => `${k} ${counts[`source_${k}`] ?? 0}`);
  if (counts.wrong_evidence) parts.push(`wrong-edit evidence ${counts.wrong_evidence}`);
  return parts.join(', ');
}
