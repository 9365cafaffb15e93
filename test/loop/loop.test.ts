/**
 * The level-2 loop on the real stack, with no human step: the model learns from its users.
 *  1. Learners send a sentence with an error the served model misses ("Please contact to me"),
 *     and give better corrections for most of them; a newDataAvailable signal retrains; the
 *     candidate learns the fix from the feedback pairs, fixes held-out requests with that error,
 *     is promoted by the gate (significant on the held-out feedback) and served.
 *  2. A second retrain with no new information is refused as "no significant improvement" and
 *     the champion does not change.
 *  3. Drift: traffic like the champion's data makes a report without drift and starts nothing;
 *     drifted traffic makes a drift report that signals the controller, whose pipeline is refused
 *     (the offline teacher cannot learn from that traffic); a second drift inside the cooldown
 *     starts nothing. The schedule is created once and updated in place; the controller keeps its
 *     state across a worker restart and a continue-as-new.
 * Last, headless Chromium opens the serving API's dashboard and sees these events.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDriftSchedule, describeDriftSchedule, runDriftCheck, type ControllerClient } from '../../client/controller';
import { endpoints } from '../../config';
import { MlflowClient } from '../../adapters/mlflow';
import { openDatabase } from '../../entities/data-source';
import { startServingApi, type ServingApi } from '../../serve/server';
import type { ControllerState } from '../../contracts/controller';
import { countPixels, launchChromium, SHOTS } from '../support/browser';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { waitFor as waitUntil } from '../support/wait';

/** Waits here are long: pipelines run under the controller (default 420 s, polled every 500 ms). */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 420_000) => waitUntil<T>(what, probe, { timeoutMs, intervalMs: 500 });


/** Sentences nothing like the training data: log lines, code and numbers. */
function driftedTexts(n: number): string[] {
  const hosts = ['db-01', 'cache-7', 'edge-lb', 'worker-3x'];
  return Array.from({ length: n }, (_, i) => {
    switch (i % 4) {
      case 0: return `ERR 0x${(0x7f3a + i * 97).toString(16)}: ${hosts[i % 4]} /dev/sda${i % 3} at ${90 + (i % 10)}% (ts=${1_700_000_000 + i * 37}) retry=${i % 5}`;
      case 1: return `SELECT id, sku_${i} FROM orders_${2020 + (i % 5)} WHERE qty > ${i * 3} AND price < ${(i * 1.75).toFixed(2)};`;
      case 2: return `kubectl -n prod-${i % 7} scale deploy/api-${i} --replicas=${(i % 9) + 2} && curl -sS http://10.0.${i % 255}.${(i * 7) % 255}:8080/healthz`;
      default: return `Q${(i % 4) + 1} FY${22 + (i % 3)}: EBITDA ${(i * 2.3).toFixed(1)}M USD, YoY +${(i % 17) + 3}.${i % 10}%, CAPEX ${i * 11}k; KPI#${i}=${(i * 0.37).toFixed(3)}`;
    }
  });
}

/**
 * "contact to …": the base ensemble misses it (neither Harper, LanguageTool nor the learner rules
 * flag it), the offline teacher never writes it, so only the learners can teach it. Lexically
 * varied, so the validate stage does not reject them as near-duplicates of each other.
 */
const CONTACT_TO = [
  'Please contact to me if you have any questions about the course.', 'You can contact to the front office after lunch.', 'Feel free to contact to our manager when the order arrives.',
  'I will contact to the landlord about the broken heater.', 'Did you contact to the hotel before we left?', 'We tried to contact to the airline but nobody answered.',
  'Could you contact to the teacher and ask about the homework?', 'She wanted to contact to her old friends from high school.', 'Please contact to the customer center for a refund.',
  'He forgot to contact to the bank about his new card.', 'They will contact to you by email next week.', 'Why didn\'t you contact to the police right away?',
  'I need to contact to my lawyer before signing the contract.', 'You should contact to the museum to book a guided tour.', 'My brother tried to contact to the company many times.',
  'Students must contact to the department office to change classes.', 'Let me contact to the organizer and check the schedule.', 'Can you contact to the plumber before the weekend?',
  'We will contact to the winners at the end of the month.', 'Our team will contact to each applicant within three days.', 'Please contact to the reception desk if the room is too cold.',
  'I could not contact to my parents because my phone died.', 'The nurse will contact to the doctor if anything changes.', 'Don\'t forget to contact to the travel agency about our visas.',
  'You may contact to the author through her website.', 'Please contact to the library if you lose your card.', 'They asked me to contact to the embassy in Seoul.',
  'Jiwoo will contact to the caterer about the wedding menu.', 'Remember to contact to the school nurse when your child is sick.', 'I will contact to the seller and ask for a discount.',
  'The students had to contact to their advisors before graduation.', 'Please contact to the IT team if the printer stops working.', 'He decided to contact to a real estate agent in Busan.',
  'We can contact to the guide once we reach the station.', 'Please contact to the coach if you cannot come to practice.', 'Visitors should contact to security before entering the lab.',
  'I often contact to my cousins in Canada on weekends.', 'Please contact to the editor with any corrections.', 'You must contact to the insurance company within a week.', 'Tell me when you contact to the new supplier.',
];
/** Later requests with the same error, never given as feedback: what the new champion must fix. */
const CONTACT_TO_HELD_OUT = ['Please contact to the front desk when you arrive.', 'My sister will contact to the dentist tomorrow morning.', 'We should contact to the event planner about the tables.'];
const contactFixed = (t: string) => t.replace(/\b([Cc]ontact) to\b/, '$1');

describe('monitoring and the retraining loop', () => {
  let h: PipelineHarness;
  let api: ServingApi;
  let ctl: ControllerClient;
  let worker: Awaited<ReturnType<PipelineHarness['startWorker']>>;
  const mlflow = () => new MlflowClient(endpoints(h.config).mlflowUrl);
  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${route} ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const idleAfter = (n: number) => waitFor<ControllerState>(`controller idle after ${n} pipelines`, async () => {
    const s = await ctl.state();
    return s.pipelinesStarted === n && !s.active && s.pending === null && s.status !== 'debouncing' ? s : undefined;
  });
  const pipelineCount = async () => (await h.client.listPipelines(100)).length;
  /** What the tests below produced, for the dashboard test at the end. */
  const seen: { learnPipeline?: string; calmReport?: string; driftReport?: string; cooldownReport?: string; driftPipeline?: string } = {};

  beforeAll(async () => {
    // The test sends a few hundred requests a minute; serving follows the champion alias every second.
    h = await startPipelineHarness({ API_RATE_LIMIT: '100000', SERVING_CHAMPION_POLL: '1s' });
    worker = await h.startWorker('cpu');
    // The serving API on the port the deploy stage waits on.
    api = await startServingApi(h.config, { port: h.config.apiPort, logLevel: false, championRetryMs: 1000 });
    ctl = h.client.controller();
    await ctl.ensureStarted({
      policy: { debounceSeconds: 2, cooldownSeconds: 0, maxPipelinesPerDay: 10, pipeline: { samples: 200, seed: 11, jflegLimit: 120 } },
      continueAsNewAfterEvents: 40,
    });
  }, 600_000);
  afterAll(async () => {
    await api?.close().catch(() => {});
    await h?.stop();
  });

  it('learns from its users: an error the model misses, better corrections as feedback → retrained, promoted and served, no human step', async () => {
    // Served by the base ensemble, which misses the error.
    const served: { text: string; requestId: string; feedbackToken: string }[] = [];
    for (const text of CONTACT_TO) {
      const r = await post('/v1/corrections', { text });
      expect(r.corrected, `the base ensemble already fixes: ${text}`).toBe(text);
      served.push({ text, requestId: r.requestId as string, feedbackToken: r.feedbackToken as string });
    }
    // Learners give better corrections for most of them, and a thumbs down for the rest.
    for (const [i, x] of served.entries()) {
      if (i % 8 === 7) await post('/v1/feedback', { requestId: x.requestId, feedbackToken: x.feedbackToken, rating: 'down' });
      else await post('/v1/feedback', { requestId: x.requestId, feedbackToken: x.feedbackToken, rating: 'down', betterCorrection: contactFixed(x.text) });
    }
    await ctl.newDataAvailable({ reason: 'learners sent better corrections', source: 'loop test' });
    const s = await idleAfter(1);
    const history = await ctl.history();
    const finished = history.filter((e) => e.kind === 'finished');
    seen.learnPipeline = history.find((e) => e.kind === 'started')?.pipelineId;
    expect(finished.at(-1), JSON.stringify(history, null, 1)).toMatchObject({ promoted: true, candidateVersion: '1' });
    // Why: the gate's reasons, in the pipeline's result.
    const result = await h.client.pipeline(seen.learnPipeline!).result();
    expect(result.why.join('; ')).toMatch(/significant improvement on .*held-out feedback: Δ \+\d\.\d{4}, 95% CI \[\+\d\.\d{4}/);
    expect(s.champion?.version).toBe('1');

    // The dataset says where its samples came from; MLflow logged it.
    const db = await openDatabase(endpoints(h.config).databaseUrl, { poolSize: 1 });
    const [dv] = await db.query('select counts from dataset_version where pipeline_id = $1', [seen.learnPipeline]);
    const [{ n }] = await db.query(`select count(*)::int as n from generated_sample where pipeline_id = $1 and source = 'feedback' and status = 'accepted'`, [seen.learnPipeline]);
    await db.destroy();
    expect(dv.counts.source_feedback).toBe(CONTACT_TO.length - CONTACT_TO.length / 8);
    expect(n).toBe(dv.counts.source_feedback);
    expect(dv.counts.source_teacher).toBeGreaterThan(150);
    expect(dv.counts.wrong_evidence).toBe(0); // the thumbs-downs were on sentences left unchanged: no served edit to mark wrong
    const v1 = await mlflow().getByAlias(h.config.mlflowModelName, 'champion');
    const run = await mlflow().getRun(v1!.run_id!);
    expect(run.data.metrics.find((m) => m.key === 'delta_feedback_ci_low')!.value).toBeGreaterThan(0);

    // Served: held-out requests with the same error are now fixed by v1.
    await waitFor('serving to switch to v1', async () => ((await post('/v1/corrections', { text: 'I like apples.' })).modelVersion === '1' ? true : undefined), 60_000);
    for (const text of CONTACT_TO_HELD_OUT) {
      const r = await post('/v1/corrections', { text });
      expect(r).toMatchObject({ modelVersion: '1', corrected: contactFixed(text) });
    }
  }, 900_000);

  it('a second retrain with no new information is refused as "no significant improvement"; the champion stays', async () => {
    await ctl.retrainNow({ reason: 'retrain with nothing new', source: 'loop test' });
    const s = await idleAfter(2);
    const finished = (await ctl.history()).filter((e) => e.kind === 'finished');
    expect(finished.at(-1)).toMatchObject({ promoted: false, candidateVersion: '2' });
    expect(finished.at(-1)!.detail).toMatch(/not promoted: no significant improvement: JFLEG dev: Δ [+−]\d\.\d{4}, 95% CI \[/);
    expect(s.champion?.version).toBe('1');
    expect((await mlflow().getByAlias(h.config.mlflowModelName, 'champion'))?.version).toBe('1');
  }, 900_000);

  it('the drift schedule is created once and updated in place', async () => {
    const first = await applyDriftSchedule(h.client, { paused: true, input: { minSamples: 20 } });
    expect(first).toEqual({ scheduleId: `drift-check-${h.config.mlflowModelName}`, created: true, controllerId: `controller-${h.config.mlflowModelName}` });
    const again = await applyDriftSchedule(h.client, { paused: true, everyMs: 600_000, input: { minSamples: 25 } });
    expect(again.created).toBe(false);
    const d = await describeDriftSchedule(h.client);
    expect(d?.state.paused).toBe(true);
    expect(d?.spec.intervals?.[0].every).toBe(600_000);
    expect(d?.action.type).toBe('startWorkflow');
    expect((d?.action as { args?: { minSamples: number }[] }).args?.[0].minSamples).toBe(25);
  });

  it('traffic like the reference: a report without drift, no retraining', async () => {
    const champion = await mlflow().getByAlias(h.config.mlflowModelName, 'champion');
    const db = await openDatabase(endpoints(h.config).databaseUrl, { poolSize: 1 });
    const [mv] = await db.query('select dv.path from model_version mv join dataset_version dv on dv.pipeline_id = mv.pipeline_id where mv.name = $1 and mv.version = $2', [h.config.mlflowModelName, champion!.version]);
    await db.destroy();
    // Held-out sentences of the champion's own dataset: same distribution, never in the vocabulary half.
    const heldOut = ['valid.jsonl', 'test.jsonl'].flatMap((f) => readFileSync(path.join(mv.path, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).awkward as string));
    expect(heldOut.length).toBeGreaterThanOrEqual(30);
    const since = new Date().toISOString();
    for (const text of heldOut.slice(0, 60)) {
      const r = await post('/v1/corrections', { text });
      if ((r.corrected as string) !== text) await post('/v1/feedback', { requestId: r.requestId, feedbackToken: r.feedbackToken, rating: 'up' });
    }
    const out = await runDriftCheck(h.client, { modelName: h.config.mlflowModelName, since, windowSeconds: 3600, minSamples: 30 });
    expect(out.skipped).toBeNull();
    expect(out.drifted, `calm traffic judged drifted: ${out.reasons.join('; ')}`).toBe(false);
    expect(out.championVersion).toBe('1');
    expect(out.signaled).toBe(false);
    seen.calmReport = out.reportId;
    const db2 = await openDatabase(endpoints(h.config).databaseUrl, { poolSize: 1 });
    const [report] = await db2.query('select drifted, sample_size, metrics from drift_report where id = $1', [out.reportId]);
    await db2.destroy();
    expect(report.drifted).toBe(false);
    expect(report.sample_size).toBe(Math.min(60, heldOut.length));
    expect(report.metrics.features.map((f: { feature: string }) => f.feature)).toEqual(['length', 'oovRate', 'nonLetterShare', 'editDensity', 'form', 'tone']);
    const s = await ctl.state();
    expect(s.pipelinesStarted).toBe(2);
    expect(await pipelineCount()).toBe(2);
  }, 300_000);

  it('drifted traffic through the serving API → drift report → controller → a pipeline, refused: nothing learnable in it offline', async () => {
    const since = new Date().toISOString();
    for (const text of driftedTexts(60)) {
      const r = await post('/v1/corrections', { text });
      await post('/v1/feedback', { requestId: r.requestId, feedbackToken: r.feedbackToken, rating: 'down' });
    }
    const out = await runDriftCheck(h.client, { modelName: h.config.mlflowModelName, since, windowSeconds: 3600, minSamples: 30 });
    expect(out.drifted).toBe(true);
    expect(out.signaled).toBe(true);
    expect(out.reasons.join(' ')).toMatch(/input drift: \d\/6 features/);
    expect(out.reasons.join(' ')).toMatch(/thumbs-down rate 100\.0%/);

    const s = await idleAfter(3);
    const history = await ctl.history();
    const finished = history.filter((e) => e.kind === 'finished');
    // The offline teacher cannot correct log lines and SQL, and the model never labels its own
    // traffic: the retrained candidate learns nothing useful, and the gate keeps the champion. The
    // thumbs-down on the drifted texts do reach the scorer as wrong-edit evidence, so the candidate
    // may differ slightly from the champion: the gate then refuses it as no significant
    // improvement or, when the difference on an eval set is significant, as a regression.
    expect(finished.at(-1)).toMatchObject({ promoted: false, candidateVersion: '3' });
    expect(finished.at(-1)!.detail).toMatch(/no significant improvement|significant regression/);
    seen.driftReport = out.reportId;
    seen.driftPipeline = history.find((e) => e.kind === 'started' && /drift/.test(e.detail))?.pipelineId;
    expect(seen.driftPipeline).toBeTruthy();
    expect(s.champion?.version).toBe('1');
    const r = await post('/v1/corrections', { text: 'She go to school every days.' });
    expect(r.modelVersion).toBe('1');
    const db = await openDatabase(endpoints(h.config).databaseUrl, { poolSize: 1 });
    const [report] = await db.query('select signaled, drifted from drift_report where id = $1', [out.reportId]);
    await db.destroy();
    expect(report).toEqual({ signaled: true, drifted: true });
  }, 600_000);

  it('setPolicy refuses bad values; a second drift inside the cooldown starts no pipeline', async () => {
    await expect(ctl.setPolicy({ cooldownSeconds: -5 })).rejects.toThrow(/cooldownSeconds must be ≥ 0/);
    await expect(ctl.setPolicy({})).rejects.toThrow(/at least one field/);
    expect((await ctl.setPolicy({ cooldownSeconds: 3600 })).cooldownSeconds).toBe(3600);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const out = await runDriftCheck(h.client, { modelName: h.config.mlflowModelName, since, windowSeconds: 7200, minSamples: 30 });
    expect(out.drifted).toBe(true);
    expect(out.signaled).toBe(true);
    seen.cooldownReport = out.reportId;
    await waitFor('the cooldown refusal', async () => (await ctl.history()).some((e) => e.kind === 'suppressed' && /cooldown until/.test(e.detail)));
    const s = await ctl.state();
    expect(s.pipelinesStarted).toBe(3);
    expect(s.status).toBe('cooldown');
    expect(await pipelineCount()).toBe(3);
  }, 300_000);

  it('keeps its state across a worker restart and a continue-as-new', async () => {
    const before = await ctl.state();
    const historyBefore = await ctl.history();
    await worker.stop();
    // Signals arrive while no worker runs; the server keeps them.
    await ctl.newDataAvailable({ reason: 'new reviewed feedback', source: 'loop test' });
    worker = await h.startWorker('cpu');
    const after = await waitFor<ControllerState>('the controller to continue as new', async () => {
      const s = await ctl.state();
      return s.generation >= 1 && !s.pending && s.status !== 'debouncing' ? s : undefined;
    });
    expect(after).toMatchObject({ pipelinesStarted: before.pipelinesStarted, promotions: before.promotions, champion: { version: '1' }, policy: before.policy });
    const history = await ctl.history();
    expect(history.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(history.some((e) => e.kind === 'continued')).toBe(true);
    expect(history.some((e) => e.kind === 'suppressed' && /newData.*cooldown/.test(e.detail))).toBe(true);
    // Search attributes reach the visibility store a moment after the state changes.
    const sa = await waitFor('the cooldown in the search attributes', async () => {
      const a = (await ctl.handle.describe()).searchAttributes as Record<string, unknown[]>;
      return a.ControllerState?.[0] === 'cooldown' ? a : undefined;
    });
    expect(sa.ControllerPipelines).toEqual([3]);
    expect(await pipelineCount()).toBe(3);
  }, 300_000);

  it('the dashboard, in headless Chromium, shows these drift reports, the retraining runs, the promotion and the feedback', async () => {
    const db = await openDatabase(endpoints(h.config).databaseUrl, { poolSize: 1 });
    const [fb] = await db.query(`select count(*) filter (where rating = 'down')::int as down, count(*)::int as total from feedback`);
    const [{ requests }] = await db.query('select count(*)::int as requests from serving_request');
    await db.destroy();
    expect(fb.down).toBe(60 + CONTACT_TO.length);
    const e = endpoints(h.config);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
      await page.goto(`${api.url}/dashboard`);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 30_000 });
      const card = (name: string) => page.locator('#totals div', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd').textContent();

      // Drift: the three reports of the checks above, the drifted ones marked with the check's reasons.
      const drift = page.locator('#drift-table tbody tr');
      expect(await drift.count()).toBe(3);
      const calm = page.locator(`#drift-table tr[data-id="${seen.calmReport}"] td`);
      expect([await calm.nth(2).textContent(), await calm.nth(3).textContent()]).toEqual(['no', 'no']);
      const drifted = page.locator(`#drift-table tr[data-id="${seen.driftReport}"] td`);
      expect(await drifted.nth(1).textContent()).toBe('60');
      expect(await drifted.nth(2).getAttribute('class')).toBe('drifted');
      expect([await drifted.nth(2).textContent(), await drifted.nth(3).textContent()]).toEqual(['yes', 'yes']);
      expect(await drifted.nth(4).textContent()).toMatch(/input drift: \d\/6 features.*thumbs-down rate 100\.0%/);
      expect(await page.locator(`#drift-table tr[data-id="${seen.cooldownReport}"] td.drifted`).textContent()).toBe('yes');
      // The chart over time: per-feature PSI, the thumbs-down rate and the drifted flag, oldest first.
      const chart = await page.evaluate(() =>
        Object.fromEntries((globalThis as any).Chart.getChart('drift-chart').data.datasets.map((d: { label: string; data: unknown[] }) => [d.label, d.data])),
      );
      expect(chart.drifted).toEqual([0, 1, 1]);
      expect(chart.thumbsDownRate[1]).toBe(1);
      expect(Object.keys(chart)).toEqual(expect.arrayContaining(['driftedShare', 'psi length', 'psi oovRate', 'psi tone']));

      // The pipelines the controller started: the one that learned from feedback promoted v1; the
      // drift's completed without a promotion. Each links to Temporal's Web UI and MLflow.
      expect(await page.locator('#runs-note').textContent()).toBe('3 run(s) in Temporal.');
      const learned = page.locator('#runs-table tbody tr', { has: page.locator('td', { hasText: seen.learnPipeline! }) });
      expect(await learned.locator('td').nth(4).textContent()).toBe('v1 (promoted)');
      const run = page.locator('#runs-table tbody tr', { has: page.locator('td', { hasText: seen.driftPipeline! }) });
      expect(await run.count()).toBe(1);
      expect(await run.locator('td').nth(1).textContent()).toBe('COMPLETED');
      expect(await run.locator('td').nth(4).textContent()).toBe('v3');
      expect(await run.getByRole('link', { name: 'Temporal' }).getAttribute('href')).toBe(
        `${e.temporalUiUrl}/namespaces/${encodeURIComponent(h.config.temporalNamespace)}/workflows/${encodeURIComponent(seen.driftPipeline!)}`,
      );
      expect(await run.getByRole('link', { name: 'MLflow' }).getAttribute('href')).toBe(`${e.mlflowUrl}/#/models/${h.config.mlflowModelName}/versions/3`);

      // The promotion: v1 is champion with a promotion time and its evaluation; v2 and v3 were refused.
      const v1 = page.locator('#model-table tr[data-version="1"] td');
      expect(await v1.nth(1).textContent()).toBe('champion');
      expect(await v1.nth(3).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(await v1.nth(4).textContent()).toMatch(/gleu \d\.\d{4}/);
      expect(await page.locator('#model-table tr[data-version="3"] td').nth(1).textContent()).toBe('rejected');
      expect(await card('Champion')).toBe('v1');

      // Feedback and serving: the thumbs-down rate of all the feedback given above, the request count, latency.
      expect(await card('Thumbs-down rate')).toBe(`${((fb.down / fb.total) * 100).toFixed(1)}%`);
      expect(await card('Feedback')).toBe(String(fb.total));
      expect(await card('Requests')).toBe(String(requests));
      expect(await card('Latency p50')).toMatch(/^\d+\.\d ms$/);

      const shot = await page.screenshot({ fullPage: true });
      writeFileSync(path.join(SHOTS, 'loop-dashboard.png'), shot);
      // Drawn, not only in the DOM: the drifted step line (#d22) and the thumbs-down bars (#e57373)
      // cover far more pixels than their legend boxes (40×12) would alone.
      const pixels = await countPixels(page, shot, { drifted: [0xdd, 0x22, 0x22], thumbsDown: [0xe5, 0x73, 0x73] });
      console.log('dashboard screenshot pixels', pixels);
      expect(pixels.drifted).toBeGreaterThan(1000);
      expect(pixels.thumbsDown).toBeGreaterThan(2000);
      await page.close();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
