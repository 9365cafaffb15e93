/**
 * The kept workflow bundle (worker/workflow-bundle.ts): reused while every file it was built from
 * is unchanged, rebuilt when one changes. On a throwaway workflow file, so the project's bundle is
 * not touched.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';
import { bundleInputs, WORKFLOW_BUNDLE_DIR, workflowBundle } from '../../worker/workflow-bundle';

describe('kept workflow bundle', () => {
  // inside the checkout (dist/ is not tracked), so webpack finds node_modules from it
  mkdirSync(path.join(PROJECT_ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(PROJECT_ROOT, 'dist', 'bundle-test-'));
  const file = path.join(dir, 'workflows.ts');
  const kept = () => readdirSync(WORKFLOW_BUNDLE_DIR).filter((f) => f.startsWith('workflows-')).map((f) => path.join(WORKFLOW_BUNDLE_DIR, f));
  const before = new Set(readdirSyncSafe());
  afterAll(() => {
    for (const f of kept()) if (!before.has(f)) rmSync(f, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('is built once, reused while its files are unchanged, rebuilt when one changes', async () => {
    writeFileSync(file, "export async function greet(name: string): Promise<string> { return 'hello ' + name; }\n");
    const first = await workflowBundle(file);
    expect(first.code).toContain("'hello ' + name");
    expect(bundleInputs(first.code)).toContain(file);
    const [cache] = kept().filter((f) => !before.has(f));
    expect(cache).toBeDefined();
    const written = statSync(cache).mtimeMs;

    const again = await workflowBundle(file);
    expect(again.code).toBe(first.code);
    expect(statSync(cache).mtimeMs).toBe(written); // read, not rebuilt

    writeFileSync(file, "export async function greet(name: string): Promise<string> { return 'hi ' + name; }\n");
    const changed = await workflowBundle(file);
    expect(changed.code).toContain("'hi ' + name");
    expect(changed.code).not.toContain("'hello ' + name");
  }, 60_000);
});

function readdirSyncSafe(): string[] {
  try {
    return readdirSync(WORKFLOW_BUNDLE_DIR).map((f) => path.join(WORKFLOW_BUNDLE_DIR, f));
  } catch {
    return [];
  }
}
