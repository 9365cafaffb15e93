/**
 * Model routing on a real MLflow registry: the API serves the champion; the pipeline's own promote
 * and deploy activities switch it to a new version while clients keep sending requests (none
 * fails, each client sees the old version then the new one, never back); without an admin key the
 * deploy waits for serving to follow the champion alias; a version that cannot load is refused and
 * the current one keeps serving; a champion that fails falls back to Harper, marked on the
 * response and the stored row.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../activities/deps';
import { registryActivities } from '../../activities/registry';
import { loadConfig } from '../../config';
import type { ServingApi } from '../../serve/server';
import { waitFor } from '../support/wait';
import { post, registerRulesVersion, type ServeHarness, startServeHarness } from './support';

const ADMIN_KEY = 'routing-admin-key-0123456789';
let h: ServeHarness;
let api: ServingApi;
let v1: string;
let v2: string;
const model = () => h.config.mlflowModelName;

beforeAll(async () => {
  h = await startServeHarness();
  v1 = await registerRulesVersion(h.mlflow, model(), 'routing-v1');
  v2 = await registerRulesVersion(h.mlflow, model(), 'routing-v2', { champion: false });
  api = await h.startApi({ CORRECTLY_ADMIN_KEY: ADMIN_KEY, API_RATE_LIMIT: '1000000' });
}, 180_000);
afterAll(async () => h?.stop(), 60_000);

/** The pipeline's activities, configured as a worker would be, pointed at this API. */
function activities(adminKey: string, env: Record<string, string> = {}) {
  const config = loadConfig({ ...process.env, CORRECTLY_CONFIG: '', DATABASE_URL: '', MLFLOW_TRACKING_URI: '', CHROMA_URL: '', CORRECTLY_STATE_DIR: h.config.stateDir, PGLITE_PORT: String(h.config.pglitePort), MLFLOW_PORT: String(h.config.mlflowPort), CORRECTLY_SERVING_URL: api.url, CORRECTLY_ADMIN_KEY: adminKey, ...env });
  const deps = createDeps(config);
  return { ...registryActivities(deps), close: () => deps.close() };
}

describe('model routing', () => {
  it('serves the champion at start', async () => {
    const r = await post(`${api.url}/v1/corrections`, { text: 'I went to store yesterday.', reasonLanguage: 'en' });
    expect(r.json).toMatchObject({ modelVersion: v1, engine: 'ensemble', fallback: false, corrected: 'I went to the store yesterday.' });
  });

  it('switches to a promoted version under load without failing a request', async () => {
    const acts = activities(ADMIN_KEY);
    const seen: string[][] = [[], [], [], []];
    const failures: string[] = [];
    let stop = false;
    let afterSwitch = 0;
    const clients = seen.map(async (versions, i) => {
      while (!stop) {
        const r = await post(`${api.url}/v1/corrections`, { text: `Client ${i} went to store and buy a apple.`, reasonLanguage: 'en' });
        if (r.status !== 200) {
          failures.push(`${r.status} ${r.text}`);
          stop = true;
        }
        else versions.push(r.json.modelVersion);
        if (r.json?.modelVersion === v2 && ++afterSwitch >= 40) stop = true;
      }
    });
    // Let load build up on v1, then promote and deploy exactly as the pipeline does.
    while (seen.flat().length < 20 && !stop) await new Promise((r) => setTimeout(r, 20));
    await acts.promoteCandidate({ pipelineId: 'routing-test', modelName: model(), version: v2, reasons: ['test promotion'] });
    const deployed = await acts.deployChampion({ modelName: model(), version: v2 });
    expect(deployed).toMatchObject({ served: true });
    await Promise.all(clients);
    await acts.close();

    expect(failures).toEqual([]);
    for (const versions of seen) {
      // Each client: some v1, then only v2.
      const firstV2 = versions.indexOf(v2);
      expect(firstV2).toBeGreaterThan(-1);
      expect(versions.slice(firstV2).every((v) => v === v2)).toBe(true);
      expect(versions.slice(0, firstV2).every((v) => v === v1)).toBe(true);
    }
    expect(seen.flat().filter((v) => v === v1).length).toBeGreaterThanOrEqual(20);
    const stored = await h.db.query(`select model_version, count(*) as n from serving_request group by 1 order by 1`);
    expect(stored.map((r: { model_version: string }) => r.model_version)).toEqual([v1, v2].sort());
    expect(((await (await fetch(`${api.url}/readyz`)).json()) as any).model).toMatchObject({ modelVersion: v2 });
  }, 120_000);

  it('deploy with a wrong admin key is refused, and the served version stays', async () => {
    const acts = activities('not-the-right-admin-key-000');
    await expect(acts.deployChampion({ modelName: model(), version: v1 })).rejects.toMatchObject({ type: 'DeployUnauthorized' });
    await acts.close();
    expect((await post(`${api.url}/v1/corrections`, { text: 'I went to store.' })).json.modelVersion).toBe(v2);
  });

  it('refuses a version that cannot be loaded and keeps serving the current one', async () => {
    const broken = await registerRulesVersion(h.mlflow, model(), 'routing-broken', { artifact: '{"format":"something-else"}', champion: false });
    const r = await post(`${api.url}/admin/reload`, { modelName: model(), version: broken }, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('model_load_failed');
    const after = await post(`${api.url}/v1/corrections`, { text: 'I went to store.' });
    expect(after.json).toMatchObject({ modelVersion: v2, fallback: false });
    const other = await post(`${api.url}/admin/reload`, { modelName: 'someone-elses-model' }, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('model_name_mismatch');
  });

  it('without an admin key, deploy waits for serving to follow the champion alias', async () => {
    const follower = await h.startApi({ SERVING_CHAMPION_POLL: '1s' });
    const served = async () => (await post(`${follower.url}/v1/corrections`, { text: 'I went to store.' })).json.modelVersion;
    const current = await served();
    const next = current === v1 ? v2 : v1;
    const acts = activities('', { SERVING_CHAMPION_POLL: '1s', CORRECTLY_SERVING_URL: follower.url });
    await acts.promoteCandidate({ pipelineId: 'routing-follow', modelName: model(), version: next, reasons: ['test promotion'] });
    // It heartbeats while it waits: run it in an activity context, as a worker does.
    const deployed = (await new MockActivityEnvironment().run(acts.deployChampion, { modelName: model(), version: next })) as { served: boolean; detail: string };
    await acts.close();
    expect(deployed).toMatchObject({ served: true });
    expect(deployed.detail).toMatch(/followed the champion alias/);
    expect(await served()).toBe(next);
  });

  it('falls back to Harper when the champion fails, and marks the response and the row', async () => {
    await registerRulesVersion(h.mlflow, model(), 'routing-broken', { artifact: '{"format":"something-else"}', champion: true });
    const degraded = await h.startApi({ SERVING_CHAMPION_POLL: '1s' }, { championRetryMs: 600_000 });
    const r = await post(`${degraded.url}/v1/corrections`, { text: 'She go to school every days.', reasonLanguage: 'en' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ engine: 'ensemble', modelVersion: null, fallback: true });
    expect(r.json.corrected).not.toBe('She go to school every days.');
    const [row] = await h.db.query('select fallback, engine from serving_request where id = $1', [r.json.requestId]);
    expect(row).toEqual({ fallback: true, engine: 'ensemble' });
    const ready = (await (await fetch(`${degraded.url}/readyz`)).json()) as any;
    expect(ready.status).toBe('ready');
    expect(ready.model.unavailable).toMatch(/could not be loaded/);
    // Once a good version is the champion, serving follows it and the fallback ends.
    await h.mlflow.setAlias(model(), 'champion', v1);
    await waitFor('serving to follow the champion alias to v1', async () => ((await (await fetch(`${degraded.url}/readyz`)).json()) as any).model.modelVersion === v1, { timeoutMs: 15_000 });
    expect((await post(`${degraded.url}/v1/corrections`, { text: 'I went to store.' })).json).toMatchObject({ modelVersion: v1, fallback: false });
  });
});
