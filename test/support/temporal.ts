/**
 * Temporal for tests: the real dev server (our pinned CLI build) through TestWorkflowEnvironment,
 * with the project's search attributes registered. The default download cannot work offline.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { temporalBinary } from '../../ops/stack/index';
import { ALL_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import { WORKFLOWS_PATH } from '../../config/paths';

export async function startTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinary(loadConfig({})) },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log() {}, trace() {}, debug() {}, info() {}, warn() {},
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta ?? '');
  },
};
