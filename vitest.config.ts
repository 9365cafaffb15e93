import { defineConfig } from 'vitest/config';

// Integration tests start real servers (Temporal, Postgres, MLflow, Chroma): give them time,
// and run files one at a time on this 2-core machine so servers do not starve each other.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // One LanguageTool server for every test file (LANGUAGETOOL_URL).
    globalSetup: ['test/support/global-languagetool.ts'],
    reporters: ['default'],
  },
});
