/**
 * Replays committed histories against today's workflow code: a change that is not guarded by
 * patched() would break running workflows, and fails here first. The fixtures:
 * - e2e-pipeline-1.json: a real pipeline run (test/pipeline/e2e.test.ts) from before the controller
 *   notice and the MLflow run's stage timings (both patched()).
 * - controller-m-approval.json and its first pipeline: the controller as rewritten around updates
 *   and a coalesced pending trigger (a clean break: controllers started by the earlier code must be
 *   terminated and started again), with a pipeline that took both patched() branches.
 * Re-record with `RECORD_HISTORIES=1 npx vitest run test/pipeline/e2e.test.ts` (the pipeline) or
 * `test/controller/controller.test.ts` (the controller and its pipeline) only when a deliberate change
 * makes a new history worth keeping, and keep the old ones.
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
/** Fixtures are named after their workflow id, with '/' written as '__'. */
const workflowIdOf = (f: string) => f.replace(/\.json$/, '').replace(/__/g, '/');
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
    const e2e = 'e2e-pipeline-1.json';
    const err = await Worker.runReplayHistory({ workflowBundle: bundle }, load(e2e), workflowIdOf(e2e)).catch((e) => e);
    expect(err).toBeInstanceOf(DeterminismViolationError);
  });
});
