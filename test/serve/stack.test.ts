/** The `api` stack part: `stack up` starts serve/main.ts (from the build), `status` shows its URLs, `down` stops it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_DIR } from '../../config/paths';
import { startTestStack, type TestStack } from '../support/stack';

let ts: TestStack;
beforeAll(async () => {
  ts = await startTestStack(['database', 'api']);
}, 180_000);
afterAll(async () => ts?.stop(), 60_000);

describe('stack part api', () => {
  it('is up, ready, and shows its URLs', async () => {
    const [api] = await ts.stack.status(['api']);
    expect(api).toMatchObject({ name: 'api', state: 'up', embedded: true });
    expect(api.urls.api).toBe(`http://127.0.0.1:${ts.config.apiPort}`);
    expect(api.urls.dashboard).toBe(`${api.urls.api}/dashboard`);
    const ready = (await (await fetch(`${api.urls.api}/readyz`)).json()) as { status: string; model: { engine: string; unavailable: string | null } };
    // No MLflow in this stack: Harper serves and the reason is reported.
    expect(ready.status).toBe('ready');
    expect(ready.model.engine).toBe('ensemble');
    expect(ready.model.unavailable).toMatch(/champion not loaded/);
    const page = await fetch(`${api.urls.api}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<form id="ask"');
  });

  it('runs from the compiled build, engine threads included (they answered /readyz above)', () => {
    const pid = ts.stack.procs.running('api');
    expect(pid).toBeTypeOf('number');
    // The kernel's copy of the command line, NUL-separated: node, then the build's entry.
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]).toBe(path.join(BUILD_DIR, 'serve.js'));
  });

  it('stops with down', async () => {
    await ts.stack.down(['api']);
    const [api] = await ts.stack.status(['api']);
    expect(api.state).toBe('down');
  });
});
