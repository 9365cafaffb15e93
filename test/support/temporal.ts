/**
 * Temporal for tests: the real dev server (our pinned CLI build) through TestWorkflowEnvironment,
 * with the project's search attributes registered. The default download cannot work offline.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { temporalBinary } from '../../ops/stack/index';
import { ALL_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import { workflowBundle as keptWorkflowBundle } from '../../worker/workflow-bundle';

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
/** The workflow bundle, read once per test file (kept between runs by worker/workflow-bundle.ts). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= keptWorkflowBundle();
  return bundle;
}
