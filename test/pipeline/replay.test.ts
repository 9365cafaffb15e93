/**
 * Replays committed histories of real pipeline runs against today's workflow code: a change that
 * is not guarded by patched() would break running workflows, and fails here first.
 * Re-record with `RECORD_HISTORIES=1 npx vitest run test/pipeline/e2e.test.ts` only when a
 * deliberate, patched() change makes a new history worth keeping (keep the old one too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal';

const DIR = path.resolve(import.meta.dirname, '../fixtures/histories');
const histories = readdirSync(DIR).filter((f) => f.endsWith('.json'));
/** Fixtures are named after their workflow id. */
const workflowIdOf = (f: string) => f.replace(/\.json$/, '');
const load = (f: string) => historyFromJSON(JSON.parse(readFileSync(path.join(DIR, f), 'utf8')));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('today\'s code replays %s', async (file) => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, load(file), workflowIdOf(file))).resolves.toBeUndefined();
  });

  it('catches a non-deterministic change', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(import.meta.dirname, '../fixtures/nondeterministic/workflows.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    const err = await Worker.runReplayHistory({ workflowBundle: bundle }, load(histories[0]), workflowIdOf(histories[0])).catch((e) => e);
    expect(err).toBeInstanceOf(DeterminismViolationError);
  });
});
