/**
 * The layer rules (.dependency-cruiser.cjs, run by `make test` before any test) catch what they
 * promise: test/architecture/planted/ has the project's layer folders with one planted violation of
 * every rule, beside imports the rules allow, and is cruised with the project's own config.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';

const PLANTED = path.join(PROJECT_ROOT, 'test/architecture/planted');
const DEPCRUISE = path.join(PROJECT_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

const FOLDERS = ['core', 'config', 'contracts', 'adapters', 'entities', 'ops', 'activities', 'workflows', 'stages', 'worker', 'serve', 'client'];

/** dependency-cruiser on the planted tree with the project's config, as `npm run depcruise` runs it on the project. */
function cruise(outputType: 'err' | 'json') {
  return spawnSync(process.execPath, [DEPCRUISE, '--config', path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'), '--output-type', outputType, ...FOLDERS], { cwd: PLANTED, encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe('the layer rules', () => {
  it('fail the check on the planted tree, as they would fail `make test`', () => {
    const r = cruise('err');
    expect(r.stdout).toContain('16 dependency violations (16 errors');
    expect(r.status).not.toBe(0);
  });

  it('report every planted violation, and nothing the layers allow', () => {
    const r = cruise('json');
    expect(r.stderr).toBe('');
    const violations = (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^(\.\.\/)+node_modules\/([^/]+)\/.*/, '$2')}`).sort();
    expect(found).toEqual(
      [
        'no-circular: core/cycle-a.ts → core/cycle-b.ts',
        'domain-is-innermost: core/upward.ts → adapters/llm.ts',
        'domain-has-no-io: core/io.ts → child_process',
        'domain-has-no-io: core/io.ts → pg',
        'config-imports-only-domain: config/index.ts → adapters/llm.ts',
        'contracts-import-only-domain: contracts/queues.ts → adapters/llm.ts',
        'adapters-below-the-loop: adapters/reaches-up.ts → activities/plain.ts',
        'adapters-below-the-loop: entities/schema.ts → serve/server.ts',
        'ops-below-the-loop: ops/stack.ts → worker/main.ts',
        'loop-below-the-processes: activities/train.ts → serve/server.ts',
        'workflows-take-only-types-of-activities: workflows/pipeline.ts → activities/train.ts',
        'workflows-are-deterministic: workflows/pipeline.ts → adapters/llm.ts',
        'worker-does-not-import-serving: worker/reaches-serve.ts → serve/server.ts',
        'serving-does-not-import-the-worker: serve/reaches-worker.ts → worker/main.ts',
        'serving-and-workers-stay-apart: serve/reaches-client.ts → client/cli.ts',
        'not-to-unresolvable: stages/stage.ts → ./not-there',
      ].sort(),
    );
  });
});
