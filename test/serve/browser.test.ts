/**
 * The web page and the dashboard in headless Chromium (Debian `chromium` driven by playwright-core),
 * against the real API, database and MLflow: type a sentence with the keyboard, see the diff and
 * the reason (checked in the screenshot's pixels too), click feedback and find its row; open the
 * dashboard over seeded drift reports and model versions and see them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableId } from '../../core/ids';
import { DriftReportSchema, EvaluationSchema, ModelVersionSchema } from '../../entities';
import type { ServingApi } from '../../serve/server';
import { countPixels, launchChromium, SHOTS } from '../support/browser';
import { type ServeHarness, startServeHarness } from './support';

let h: ServeHarness;
let api: ServingApi;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  h = await startServeHarness();
  // No Temporal here (port 1 refuses at once): the dashboard must say so; the controller tests cover the runs list.
  api = await h.startApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
}, 60_000);

describe('correction page', () => {
  it('types a sentence, shows the diff and the reason, and stores the feedback clicked', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await page.goto(`${api.url}/`);
    // Keyboard only: the textarea is the first field, Enter sends.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('text');
    await page.keyboard.type('She go to school every days.');
    await page.selectOption('#lang', 'en');
    await page.focus('#text');
    await page.keyboard.press('Enter');

    const answer = page.locator('li.correction').first();
    await answer.waitFor({ timeout: 30_000 });
    const dels = await answer.locator('del').allTextContents();
    const ins = await answer.locator('ins').allTextContents();
    expect(dels.length + ins.length).toBeGreaterThan(0);
    const corrected = await answer.locator('.corrected').textContent();
    expect(corrected).toMatch(/^Corrected: She goes to school every day\.?/);
    expect(await answer.locator('.reason').textContent()).toMatch(/^Why: \S+/);
    expect(await page.locator('li.user').first().textContent()).toBe('She go to school every days.');

    const shot = await page.screenshot({ fullPage: true });
    writeFileSync(path.join(SHOTS, 'page.png'), shot);
    // The stylesheet's deletion (#ffc9c9) and insertion (#b8f0bc) backgrounds are visible.
    const pixels = await countPixels(page, shot, { deleted: [0xff, 0xc9, 0xc9], inserted: [0xb8, 0xf0, 0xbc] });
    if (dels.length) expect(pixels.deleted).toBeGreaterThan(50);
    if (ins.length) expect(pixels.inserted).toBeGreaterThan(50);

    const requestId = await answer.getAttribute('data-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await answer.locator('textarea.better').fill('She goes to school every day.');
    await answer.getByRole('button', { name: 'Bad correction' }).click();
    await expect.poll(() => answer.locator('.status').textContent(), { timeout: 10_000 }).toBe('Thanks, feedback saved.');
    expect(await answer.getByRole('button', { name: 'Bad correction' }).getAttribute('aria-pressed')).toBe('true');
    const rows = await h.db.query('select rating, better_correction from feedback where request_id = $1', [requestId]);
    expect(rows).toEqual([{ rating: 'down', better_correction: 'She goes to school every day.' }]);
    await page.close();
  });

  it('shows the server error message for bad input', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/`);
    await page.fill('#text', 'word '.repeat(500));
    await page.click('#send');
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/characters, the limit is 2000/);
    await page.close();
  });
});

describe('dashboard', () => {
  it('shows seeded drift reports and model versions with their evaluations', async () => {
    const name = h.config.mlflowModelName;
    const hour = 3600_000;
    const now = Date.now();
    await h.db.getRepository(DriftReportSchema).insert(
      [0, 1, 2].map((i) => ({
        id: stableId('drift-test', i),
        modelName: name,
        windowStart: new Date(now - (4 - i) * hour),
        windowEnd: new Date(now - (3 - i) * hour),
        sampleSize: 50 + i,
        metrics: { length_ks_p: 0.5 - i * 0.2, thumbs_down_rate: 0.1 + i * 0.2 },
        drifted: i === 2,
        signaled: i === 2,
      })),
    );
    for (const [version, status, gleu] of [['1', 'previous', 0.4514], ['2', 'champion', 0.4602]] as const) {
      await h.db.getRepository(ModelVersionSchema).insert({
        id: stableId('mv', name, version),
        name,
        version,
        pipelineId: `pipeline-dash-${version}`,
        mlflowRunId: `run${version}`,
        datasetMd5: `md5-${version}`,
        status,
        gate: { promoted: true },
        promotedAt: new Date(now - (3 - Number(version)) * hour),
      });
      await h.db.getRepository(EvaluationSchema).insert({
        id: stableId('eval', version),
        pipelineId: `pipeline-dash-${version}`,
        modelVersion: version,
        engine: 'candidate:rules',
        evalSet: 'jfleg-dev',
        evalSetDigest: 'd',
        metrics: { gleu },
        report: {},
      });
    }

    const json = (await (await fetch(`${api.url}/v1/dashboard`)).json()) as any;
    expect(json.drift.map((r: { sampleSize: number }) => r.sampleSize)).toEqual([50, 51, 52]);
    expect(json.modelVersions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([['1', 'previous'], ['2', 'champion']]);
    expect(json.modelVersions[1].evaluations).toEqual([{ evalSet: 'jfleg-dev', metrics: { gleu: 0.4602 } }]);
    expect(json.promotions.map((p: { version: string }) => p.version)).toEqual(['1', '2']);
    expect(json.totals.requests).toBeGreaterThan(0);
    expect(json.totals.thumbsDownRate).toBe(1);
    expect(json.retraining).toMatchObject({ available: false, runs: [] });
    expect(json.retraining.error).toMatch(/Temporal at .* unreachable/);

    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    await page.goto(`${api.url}/dashboard`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 30_000 });
    const driftRows = page.locator('#drift-table tbody tr');
    expect(await driftRows.count()).toBe(3);
    expect(await driftRows.first().locator('td.drifted').textContent()).toBe('yes');
    const champion = page.locator('#model-table tbody tr[data-version="2"]');
    expect(await champion.locator('td').nth(1).textContent()).toBe('champion');
    expect(await champion.locator('td').nth(4).textContent()).toContain('gleu 0.4602');
    expect(await champion.locator('a').first().getAttribute('href')).toBe(`${json.links.mlflow}/#/models/${name}/versions/2`);
    expect(await page.locator('#totals').textContent()).toContain('v2');
    // Chart.js drew the drift chart: two metric lines plus the drifted line.
    const datasets = await page.evaluate(() => (globalThis as any).Chart.getChart('drift-chart').data.datasets.map((d: { label: string }) => d.label));
    expect(datasets).toEqual(['length_ks_p', 'thumbs_down_rate', 'drifted']);
    expect(await page.locator('#runs-note').textContent()).toMatch(/unreachable/);
    writeFileSync(path.join(SHOTS, 'dashboard.png'), await page.screenshot({ fullPage: true }));
    await page.close();
  });
});
