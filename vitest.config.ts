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
  'test/cli/pipeline-options.test.ts',
  'test/controller/policy.test.ts',
  'test/controller/controller.test.ts',
  'test/engines/answer-store.test.ts',
  'test/engines/ensemble.test.ts',
  'test/engines/harper.test.ts',
  'test/engines/learner-rules.test.ts',
  'test/engines/learner-suite.test.ts',
  'test/engines/rules.test.ts',
  'test/engines/segment.test.ts',
  'test/engines/tokenize.test.ts',
  'test/foundation/config.test.ts',
  'test/foundation/random.test.ts',
  'test/foundation/workflow-bundle.test.ts',
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

// Integration tests start real servers (Temporal, Postgres, MLflow, Chroma): give them time,
// and run one file at a time so servers do not starve each other on 2 cores.
const shared = {
  testTimeout: 120_000,
  hookTimeout: 240_000,
  fileParallelism: false,
  // One LanguageTool server for every test file (LANGUAGETOOL_URL); the second layer finds the
  // first one's in LANGUAGETOOL_URL and uses it.
  globalSetup: ['test/support/global-languagetool.ts', 'test/support/global-eval-cache.ts'],
} satisfies TestProjectInlineConfiguration['test'];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      // Two files at once: most fast files wait (Temporal timers, the LanguageTool server) more than
      // they compute, so they overlap well on 2 cores (the full layer's servers do not, see below).
      { test: { ...shared, name: 'fast', include: FAST, fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      // One file at a time: two at once was tried (docs/benchmarks.md, "Test suite wall time") and
      // starved the engine threads on 2 cores (corrections past their 10 s limit, files 30–45% slower).
      { test: { ...shared, name: 'full', include: ['test/**/*.test.ts'], exclude: FAST, sequence: { groupOrder: 1 } } },
    ],
  },
});
