#!/usr/bin/env node
/**
 * The closing line of `make test`: the counts of every layer's vitest JSON report, added up, as one
 * plain "tests: N passed, N failed, N skipped" line. CI reads a run's closing line to tell a run
 * that tested something from one that tested nothing, and vitest's own summary is not one it reads.
 * Usage: node scripts/test-summary.mjs REPORT.json [REPORT.json …]
 */
import { readFileSync } from 'node:fs';

const reports = process.argv.slice(2);
if (reports.length === 0) {
  console.error('usage: node scripts/test-summary.mjs REPORT.json [REPORT.json …]');
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  let r;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`test-summary: cannot read the vitest report ${file}: ${e.message}`);
    process.exit(2);
  }
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A suite that failed to load has no failed test but is a failure all the same.
  failed += (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
