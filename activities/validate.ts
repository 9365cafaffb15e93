/**
 * Stage 2: every pending sample of the pipeline through the validators (schema, tokens, PII,
 * profanity, near-duplicates via Chroma). Results are written back in one transaction per chunk, so
 * a crash loses at most a chunk's work, and a retry only sees what is still pending.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ChromaVectorIndex, collectionNameFor } from '../adapters/chroma';
import { LocalHashEmbedder } from '../core/embedding/local-hash';
import type { Embedder } from '../core/embedding/types';
import { validateBatch } from '../core/validation/index';
import { GeneratedSampleSchema } from '../entities';
import type { ActivityDeps } from './deps';
import { DEFAULT_VALIDATION_CHUNK } from '../contracts/pipeline';

export interface ValidateInput {
  pipelineId: string;
  embedder: 'local' | 'openai' | 'ollama';
  nearDuplicateThreshold: number;
  piiPolicy: 'redact' | 'reject';
  maxSentenceTokens?: number;
  /** Samples per transaction (default DEFAULT_VALIDATION_CHUNK). */
  chunkSize?: number;
}
export interface ValidateOutput {
  total: number;
  accepted: number;
  rejected: number;
  /** Samples with each rejection reason (a sample may count under several). */
  byReason: Record<string, number>;
  redacted: number;
}

export function embedderFor(name: ValidateInput['embedder']): Embedder {
  if (name === 'local') return new LocalHashEmbedder();
  throw ApplicationFailure.nonRetryable(`embedder "${name}" needs its provider configured (see docs/gpu.md); use "local" offline`, 'InvalidInput');
}

export function validateActivities(deps: ActivityDeps) {
  return {
    async validateSamples(input: ValidateInput): Promise<ValidateOutput> {
      const ctx = Context.current();
      const db = await deps.db();
      const repo = db.getRepository(GeneratedSampleSchema);
      const embedder = embedderFor(input.embedder);
      // One collection per pipeline: near-duplicates are judged within the dataset being built.
      const index = await ChromaVectorIndex.open({ url: deps.paths.chromaUrl, collection: collectionNameFor(`${input.pipelineId}_${embedder.name}`), embedder });
      let processed = 0;
      for (;;) {
        const pending = await repo.find({ where: { pipelineId: input.pipelineId, status: 'pending' }, order: { id: 'ASC' }, take: input.chunkSize ?? DEFAULT_VALIDATION_CHUNK });
        if (!pending.length) break;
        const { results } = await validateBatch(
          pending.map((s) => ({ id: s.id, awkward: s.awkward, corrected: s.corrected, reason: s.reason, reasonLanguage: s.reasonLanguage, errorTypes: s.errorTypes })),
          {
            config: { pii: { policy: input.piiPolicy }, nearDuplicate: { threshold: input.nearDuplicateThreshold }, ...(input.maxSentenceTokens ? { tokens: { maxSentenceTokens: input.maxSentenceTokens } } : {}) },
            embedder,
            vectorIndex: index,
            metadataFor: () => ({ pipelineId: input.pipelineId }),
            onProgress: (p) => ctx.heartbeat({ processed: processed + p.done, phase: p.phase }),
          },
        );
        // Redactions made when the sample was stored (generate stage) stay on record.
        const earlier = new Map(pending.map((s) => [s.id, s.redactions]));
        await db.transaction(async (tx) => {
          const r = tx.getRepository(GeneratedSampleSchema);
          for (const [i, res] of results.entries()) {
            // Saving a chunk takes seconds on a busy machine: keep the heartbeats coming.
            if (i % 250 === 0) ctx.heartbeat({ processed: processed + i, phase: 'saving' });
            await r.update(
              { id: res.id },
              {
                status: res.status,
                rejectionReasons: res.reasons.map((x) => ({ code: x.code, detail: x.detail, ...(x.field ? { field: x.field } : {}), ...(x.duplicateOf ? { duplicateOf: x.duplicateOf, similarity: x.similarity } : {}) })),
                redactions: [...(earlier.get(res.id) ?? []), ...res.redactions.map((x) => ({ field: x.field, type: x.type, start: x.start, end: x.end }))],
                awkward: res.sample.awkward,
                corrected: res.sample.corrected,
                reason: res.sample.reason,
              },
            );
          }
        });
        processed += pending.length;
        ctx.heartbeat({ processed });
      }
      return summarize(deps, input.pipelineId);
    },
  };
}

/** The stage report from the stored rows (so a retried or resumed stage reports the same). */
async function summarize(deps: ActivityDeps, pipelineId: string): Promise<ValidateOutput> {
  const db = await deps.db();
  const rows: { status: string; n: string }[] = await db.query('select status, count(*)::text as n from generated_sample where pipeline_id = $1 group by status', [pipelineId]);
  const reasons: { code: string; n: string }[] = await db.query(
    `select r->>'code' as code, count(distinct s.id)::text as n from generated_sample s, jsonb_array_elements(s.rejection_reasons) r where s.pipeline_id = $1 group by 1`,
    [pipelineId],
  );
  const [{ n: redacted }]: { n: string }[] = await db.query(`select count(*)::text as n from generated_sample where pipeline_id = $1 and jsonb_array_length(redactions) > 0`, [pipelineId]);
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    total: rows.reduce((a, r) => a + Number(r.n), 0),
    accepted: count('accepted'),
    rejected: count('rejected'),
    byReason: Object.fromEntries(reasons.map((r) => [r.code, Number(r.n)])),
    redacted: Number(redacted),
  };
}
