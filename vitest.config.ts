import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Two layers (docs/architecture.md), run in this order by `make test` and `npm test`:
 * - fast: unit, property and workflow tests that need no server but the shared LanguageTool (and,
 *   for workflow tests with stubbed activities, Temporal's dev server). `npm run test:fast`, under
 *   2 minutes on 2 cores.
 * - full: tests against real servers (stacks, pipelines, faults, DVC, serving, browsers, trainers).
 * A test file is in the full layer unless it is listed here.
 */
export const FAST = [
  'test/architecture/layers.test.ts',
  'test/controller/policy.test.ts',
  'test/controller/controller.test.ts',
  'test/engines/ensemble.test.ts',
  'test/engines/harper.test.ts',
  'test/engines/learner-suite.test.ts',
  'test/engines/rules.test.ts',
  'test/engines/segment.test.ts',
  'test/engines/tokenize.test.ts',
  'test/foundation/config.test.ts',
  'test/foundation/random.test.ts',
  'test/gleu/bootstrap.test.ts',
  'test/gleu/gleu.test.ts',
  'test/gleu/parity.test.ts',
  'test/gleu/python-random.test.ts',
  'test/loop/assess.test.ts',
  'test/loop/resources.test.ts',
  'test/loop/stats.test.ts',
  'test/pipeline/gate.test.ts',
  'test/pipeline/replay.test.ts',
  'test/pipeline/steps.test.ts',
  'test/properties/gleu.test.ts',
  'test/properties/noise-teacher.test.ts',
  'test/properties/validation.test.ts',
  'test/providers/compare.test.ts',
  'test/providers/providers.test.ts',
  'test/providers/units.test.ts',
  'test/validation/batch.test.ts',
  'test/validation/checks.test.ts',
  'test/validation/embedder.test.ts',
  'test/validation/pii.test.ts',
  'test/validation/schema.test.ts',
];

/**
 * The full layer runs in two lanes at once (projects `full` and `full-b`, one file at a time each):
 * most of its files wait on servers, timers and heartbeat timeouts for a good part of their run,
 * and every file starts its own isolated stack on free ports, so two files fit on 2 cores. The
 * lanes are balanced by measured durations (docs/benchmarks.md, "Test suite wall time"); a file not
 * listed here runs in lane `full`.
 */
export const LANE_B = [
  'test/readme/readme.test.ts',
  'test/faults/worker-kill-data.test.ts',
  'test/faults/database-restart.test.ts',
  'test/faults/worker-kill-model.test.ts',
  'test/faults/mlflow-down.test.ts',
  'test/pipeline/heartbeat.test.ts',
  'test/pipeline/faults.test.ts',
  'test/scale/scale-out.test.ts',
  'test/trainer/lora-pipeline.test.ts',
  'test/engines/cli.test.ts',
  'test/providers/ollama-real.test.ts',
  'test/serve/api.test.ts',
  'test/serve/openai.test.ts',
  'test/cli/cli.test.ts',
  'test/properties/pii-storage.test.ts',
];

/** Files that measure latency (a bound in ms): run after both lanes, with nothing beside them. */
export const QUIET = ['test/serve/engines.test.ts', 'test/engines/pool.test.ts'];

// Integration tests start real servers (Temporal, Postgres, MLflow, Chroma): give them time,
// and run one file at a time per project.
const shared = {
  testTimeout: 120_000,
  hookTimeout: 240_000,
  fileParallelism: false,
  // One LanguageTool server for every test file (LANGUAGETOOL_URL); the later projects find the
  // first one's in LANGUAGETOOL_URL and use it.
  globalSetup: ['test/support/global-languagetool.ts'],
} satisfies TestProjectInlineConfiguration['test'];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { ...shared, name: 'fast', include: FAST, sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'full', include: ['test/**/*.test.ts'], exclude: [...FAST, ...LANE_B, ...QUIET], sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'full-b', include: LANE_B, sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'full-quiet', include: QUIET, sequence: { groupOrder: 2 } } },
    ],
  },
});
