// The dashboard: GET /v1/dashboard drawn with Chart.js (served from node_modules, no build step).
const $ = (id) => document.getElementById(id);
const fmtTime = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) : '–');
const pct = (x) => (x == null ? '–' : `${(x * 100).toFixed(1)}%`);
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
const ms = (x) => (x == null ? '–' : `${x.toFixed(1)} ms`);

function cell(row, content, className) {
  const td = row.insertCell();
  if (content instanceof Node) td.append(content);
  else td.textContent = content ?? '–';
  if (className) td.className = className;
  return td;
}
function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener';
  return a;
}
function links(...pairs) {
  const span = document.createElement('span');
  pairs.filter(([href]) => href).forEach(([href, text], i) => span.append(i ? ' · ' : '', link(href, text)));
  return span;
}

function lineChart(canvas, labels, datasets, options = {}) {
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, ...options },
  });
}

async function load() {
  const res = await fetch('/v1/dashboard');
  const d = await res.json();
  if (!res.ok) throw new Error(d.error ? d.error.message : `HTTP ${res.status}`);
  $('subtitle').textContent = `${d.modelName} · last ${d.window.hours} h · generated ${fmtTime(d.generatedAt)}`;

  const t = d.totals;
  const cards = [
    ['Requests', t.requests], ['Latency p50', ms(t.latencyP50Ms)], ['Latency p95', ms(t.latencyP95Ms)],
    ['Fallback rate', pct(t.fallbackRate)], ['No engine answered', pct(t.unavailableRate)], ['Feedback', t.feedback], ['Thumbs-down rate', pct(t.thumbsDownRate)],
    ['Drift reports', d.drift.length], ['Champion', d.modelVersions.filter((v) => v.status === 'champion').map((v) => `v${v.version}`).join(', ') || 'none'],
  ];
  // This API's engine threads since it started (Prometheus: correctly_engine_*).
  const e = d.engines;
  if (e) {
    cards.push(
      ['Engine threads ready', `${e.readyThreads} / ${e.threads}${e.ready ? '' : ' (not ready)'}`],
      ['Engine crashes', e.crashes], ['Engine timeouts', e.timeouts], ['Engine restarts', e.restarts], ['Engine overloaded', e.overloaded],
    );
  }
  for (const [k, v] of cards) {
    const div = document.createElement('div');
    div.innerHTML = '<dt></dt><dd></dd>';
    div.querySelector('dt').textContent = k;
    div.querySelector('dd').textContent = String(v);
    $('totals').append(div);
  }

  // Drift: each report's series (numeric metrics, quality rates, per-feature PSI) as lines; drifted windows as a red step line on a 0–1 axis.
  const keys = [...new Set(d.drift.flatMap((r) => Object.keys(r.series)))].slice(0, 8);
  lineChart(
    $('drift-chart'),
    d.drift.map((r) => fmtTime(r.windowEnd)),
    [
      ...keys.map((k, i) => ({ label: k, data: d.drift.map((r) => r.series[k] ?? null), spanGaps: true, borderColor: PALETTE[i], backgroundColor: PALETTE[i] })),
      { label: 'drifted', data: d.drift.map((r) => (r.drifted ? 1 : 0)), stepped: true, yAxisID: 'drifted', borderColor: '#d22', backgroundColor: '#d22', pointRadius: 4 },
    ],
    // drifted (0/1) on its own axis: on the metrics' axis (PSI can reach ~20) it would lie flat at the bottom
    { scales: { y: { beginAtZero: true }, drifted: { position: 'right', min: 0, max: 1, ticks: { stepSize: 1 }, grid: { drawOnChartArea: false } } } },
  );
  const driftBody = $('drift-table').tBodies[0];
  for (const r of [...d.drift].reverse()) {
    const row = driftBody.insertRow();
    row.dataset.id = r.id;
    cell(row, fmtTime(r.windowEnd));
    cell(row, String(r.sampleSize));
    cell(row, r.drifted ? 'yes' : 'no', r.drifted ? 'drifted' : '');
    cell(row, r.signaled ? 'yes' : 'no');
    // The check's own words when it gave reasons (or skipped), else the plotted numbers; the full report is in the JSON.
    const m = r.metrics;
    cell(row, m.reasons?.length ? m.reasons.join('; ') : m.skipped ?? Object.entries(r.series).map(([k, x]) => `${k} ${x.toFixed(3)}`).join(', '), 'metrics');
  }

  new Chart($('feedback-chart'), {
    type: 'bar',
    data: {
      labels: d.feedback.byHour.map((b) => fmtTime(b.bucket)),
      datasets: [
        { label: 'thumbs-down rate', data: d.feedback.byHour.map((b) => b.downRate), backgroundColor: '#e57373', yAxisID: 'rate' },
        { label: 'feedback count', data: d.feedback.byHour.map((b) => b.up + b.down), type: 'line', borderColor: '#607d8b', yAxisID: 'count' },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { rate: { min: 0, max: 1, position: 'left' }, count: { position: 'right', beginAtZero: true } } },
  });
  lineChart(
    $('latency-chart'),
    d.latencyByHour.map((b) => fmtTime(b.bucket)),
    [
      { label: 'p50 ms', data: d.latencyByHour.map((b) => b.p50), yAxisID: 'ms', borderColor: PALETTE[0], backgroundColor: PALETTE[0] },
      { label: 'p95 ms', data: d.latencyByHour.map((b) => b.p95), yAxisID: 'ms', borderColor: PALETTE[1], backgroundColor: PALETTE[1] },
      { label: 'fallback rate', data: d.latencyByHour.map((b) => b.fallbackRate), yAxisID: 'rate', borderDash: [4, 4], borderColor: PALETTE[2], backgroundColor: PALETTE[2] },
      { label: 'no engine answered', data: d.latencyByHour.map((b) => b.unavailableRate), yAxisID: 'rate', borderDash: [2, 2], borderColor: '#d22', backgroundColor: '#d22' },
    ],
    { scales: { ms: { position: 'left', beginAtZero: true }, rate: { position: 'right', min: 0, max: 1 } } },
  );

  const modelBody = $('model-table').tBodies[0];
  for (const v of [...d.modelVersions].reverse()) {
    const row = modelBody.insertRow();
    row.dataset.version = v.version;
    cell(row, `v${v.version}`);
    cell(row, v.status);
    cell(row, fmtTime(v.createdAt));
    cell(row, fmtTime(v.promotedAt));
    cell(row, v.evaluations.map((e) => `${e.evalSet}: ${Object.entries(e.metrics).filter(([, x]) => typeof x === 'number').slice(0, 3).map(([k, x]) => `${k} ${x.toFixed(4)}`).join(', ')}`).join(' | ') || '–');
    cell(row, links([v.mlflowUrl, 'version'], [v.mlflowRunUrl, 'run']));
  }

  $('runs-note').textContent = d.retraining.available ? `${d.retraining.runs.length} run(s) in Temporal.` : d.retraining.error;
  const runsBody = $('runs-table').tBodies[0];
  for (const r of d.retraining.runs) {
    const row = runsBody.insertRow();
    cell(row, r.workflowId);
    cell(row, r.status);
    cell(row, r.stage);
    cell(row, fmtTime(r.startTime));
    cell(row, r.candidateVersion ? `v${r.candidateVersion}${r.promoted ? ' (promoted)' : ''}` : '–');
    cell(row, links([r.temporalUrl, 'Temporal'], [r.mlflowUrl, 'MLflow']));
  }
  document.body.dataset.loaded = 'true';
}

load().catch((e) => {
  $('subtitle').textContent = `Could not load the dashboard: ${e.message}`;
  document.body.dataset.loaded = 'error';
});
