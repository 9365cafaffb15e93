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
  counts: Record<'train' | 'valid' | 'test', number>;
}

/** A directory name safe for any workflow id. */
export function datasetDirName(pipelineId: string): string {
  return pipelineId.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Deterministic split from (seed, sample id): stable when samples are added or re-ordered. */
export function splitOf(seed: number, id: string, splits: VersionInput['splits']): 'train' | 'valid' | 'test' {
  const u = parseInt(sha256(`${seed}:${id}`).slice(0, 12), 16) / 2 ** 48;
  return u < splits.test ? 'test' : u < splits.test + splits.valid ? 'valid' : 'train';
}

export type DatasetLine = Pick<GeneratedSample, 'id' | 'awkward' | 'corrected' | 'reason' | 'reasonLanguage' | 'errorTypes'>;

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
      const bySplit: Record<'train' | 'valid' | 'test', DatasetLine[]> = { train: [], valid: [], test: [] };
      for (const s of samples) bySplit[splitOf(input.seed, s.id, input.splits)].push(s);
      // Tiny datasets still need a test split to evaluate on.
      if (bySplit.test.length === 0 && bySplit.train.length > 1) bySplit.test.push(bySplit.train.pop()!);

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
            JSON.stringify({ id: s.id, awkward: s.awkward, corrected: s.corrected, reason: s.reason, reasonLanguage: s.reasonLanguage, errorTypes: s.errorTypes }),
          );
          writeFileSync(path.join(abs, `${split}.jsonl`), lines.join('\n') + (lines.length ? '\n' : ''));
        }
        ctx.heartbeat({ written: samples.length });
        out = await deps.dvc.addAndPush(rel);
      } finally {
        clearInterval(beat);
      }
      const counts = { train: bySplit.train.length, valid: bySplit.valid.length, test: bySplit.test.length };
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
