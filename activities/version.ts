/**
 * Stage 3: split the accepted samples deterministically, write them as JSON lines, and version
 * the directory with DVC (add + push). Idempotent: a pipeline has one dataset version.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { sha256 } from '../core/ids';
import { DatasetVersionSchema, type DatasetVersion, type GeneratedSample, GeneratedSampleSchema } from '../entities';
import type { DvcOut } from '../adapters/dvc';
import type { ActivityDeps } from './deps';

export interface VersionInput {
  pipelineId: string;
  seed: number;
  splits: { valid: number; test: number };
}
export interface VersionOutput {
  md5: string;
  path: string;
  /** Samples per split, per source (`source_teacher`, `source_feedback`, `source_traffic`) and the wrong-edit evidence (`wrong_evidence`). */
  counts: Record<'train' | 'valid' | 'test', number> & Record<string, number>;
}

/** Served edits a learner marked wrong (thumbs down, no better correction): evidence for the edit scorer. */
export interface WrongEvidenceLine {
  id: string;
  input: string;
  edits: { start: number; end: number; after: string }[];
}

/** A directory name safe for any workflow id. */
export function datasetDirName(pipelineId: string): string {
  return pipelineId.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Deterministic splits, stratified by source: within each source (teacher, feedback, traffic) the
 * samples are ordered by a hash of (seed, sample id) and the first round(n × test) go to test, the
 * next round(n × valid) to valid, the rest to train. So every source gets its share of held-out
 * samples exactly (a few dozen feedback pairs always leave some to evaluate on), and the split of a
 * sample does not depend on the order the database returns them in.
 */
export function assignSplits<T extends { id: string; source?: string | null }>(seed: number, samples: readonly T[], splits: VersionInput['splits']): Record<'train' | 'valid' | 'test', T[]> {
  const out: Record<'train' | 'valid' | 'test', T[]> = { train: [], valid: [], test: [] };
  const bySource = new Map<string, { s: T; u: string }[]>();
  for (const s of samples) {
    const key = s.source ?? 'teacher';
    const group = bySource.get(key) ?? [];
    group.push({ s, u: sha256(`${seed}:${s.id}`) });
    bySource.set(key, group);
  }
  for (const key of [...bySource.keys()].sort()) {
    const group = bySource.get(key)!.sort((a, b) => (a.u < b.u ? -1 : a.u > b.u ? 1 : 0));
    const nTest = Math.round(group.length * splits.test);
    const nValid = Math.round(group.length * splits.valid);
    group.forEach(({ s }, i) => out[i < nTest ? 'test' : i < nTest + nValid ? 'valid' : 'train'].push(s));
  }
  for (const k of ['train', 'valid', 'test'] as const) out[k].sort((a, b) => (a.id < b.id ? -1 : 1));
  return out;
}

export type DatasetLine = Pick<GeneratedSample, 'id' | 'awkward' | 'corrected' | 'reason' | 'reasonLanguage' | 'errorTypes' | 'source'>;

export function versionActivities(deps: ActivityDeps) {
  return {
    async versionDataset(input: VersionInput): Promise<VersionOutput> {
      const db = await deps.db();
      const existing = await db.getRepository(DatasetVersionSchema).findOneBy({ pipelineId: input.pipelineId });
      const rel = path.join('datasets', datasetDirName(input.pipelineId));
      const abs = path.join(deps.paths.dvcRepo, rel);
      if (existing) {
        return { md5: existing.md5, path: abs, counts: existing.counts as VersionOutput['counts'] };
      }
      const samples = await db.getRepository(GeneratedSampleSchema).find({
        where: { pipelineId: input.pipelineId, status: 'accepted' },
        order: { id: 'ASC' },
      });
      const bySplit: Record<'train' | 'valid' | 'test', DatasetLine[]> = assignSplits(input.seed, samples, input.splits);
      // Tiny datasets still need a test split to evaluate on.
      if (bySplit.test.length === 0 && bySplit.train.length > 1) bySplit.test.push(bySplit.train.pop()!);

      // Thumbs down without a better correction: the served edits were wrong (lineage: in the dataset).
      const wrong: WrongEvidenceLine[] = (
        await db.query(
          `select r.id, r.input_redacted as input, r.edits from feedback f join serving_request r on r.id = f.request_id
           where f.rating = 'down' and coalesce(trim(f.better_correction), '') = '' and jsonb_array_length(r.edits) > 0 and f.created_at <= now()
           order by r.id`,
        )
      ).map((r: { id: string; input: string; edits: WrongEvidenceLine['edits'] }) => ({ id: r.id, input: r.input, edits: r.edits.map(({ start, end, after }) => ({ start, end, after })) }));

      await db.transaction(async (tx) => {
        for (const split of ['train', 'valid', 'test'] as const) {
          const ids = bySplit[split].map((s) => s.id);
          for (let i = 0; i < ids.length; i += 1000) {
            await tx.createQueryBuilder().update(GeneratedSampleSchema).set({ split }).whereInIds(ids.slice(i, i + 1000)).execute();
          }
        }
      });

      // DVC may wait for another worker's repo lock: keep heartbeating while it works or waits.
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat({ phase: 'dvc', written: samples.length }), 10_000);
      let out: DvcOut;
      try {
        await deps.dvc.ensure();
        mkdirSync(abs, { recursive: true });
        for (const split of ['train', 'valid', 'test'] as const) {
          const lines = bySplit[split].map((s) =>
            JSON.stringify({ id: s.id, awkward: s.awkward, corrected: s.corrected, reason: s.reason, reasonLanguage: s.reasonLanguage, errorTypes: s.errorTypes, source: s.source }),
          );
          writeFileSync(path.join(abs, `${split}.jsonl`), lines.join('\n') + (lines.length ? '\n' : ''));
        }
        if (wrong.length) writeFileSync(path.join(abs, 'wrong-edits.jsonl'), wrong.map((w) => JSON.stringify(w)).join('\n') + '\n');
        ctx.heartbeat({ written: samples.length });
        out = await deps.dvc.addAndPush(rel);
      } finally {
        clearInterval(beat);
      }
      const bySource = (source: string) => samples.filter((x) => (x.source ?? 'teacher') === source).length;
      const counts = {
        train: bySplit.train.length,
        valid: bySplit.valid.length,
        test: bySplit.test.length,
        source_teacher: bySource('teacher'),
        source_feedback: bySource('feedback'),
        source_traffic: bySource('traffic'),
        wrong_evidence: wrong.length,
      };
      const row: Partial<DatasetVersion> = {
        id: `ds_${out.md5.replace('.dir', '')}_${datasetDirName(input.pipelineId)}`.slice(0, 128),
        pipelineId: input.pipelineId,
        md5: out.md5,
        path: abs,
        remote: deps.paths.dvcRemote,
        counts,
      };
      await db.getRepository(DatasetVersionSchema).upsert(row, ['pipelineId']);
      return { md5: out.md5, path: abs, counts };
    },
  };
}
