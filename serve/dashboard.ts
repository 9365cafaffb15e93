/**
 * GET /v1/dashboard: the monitoring picture built from the database (drift reports, feedback,
 * latency, fallbacks, model versions with their evaluations and promotions) plus the retraining
 * runs Temporal knows about, each linked to the Temporal Web UI and MLflow, and this API's engine
 * threads (crashes, timeouts, restarts since it started).
 *
 * The fallback rate counts every request the intended model did not answer: those the base engine
 * answered in its place and those no engine could answer (stored with engine `unavailable`).
 */
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { type Config, endpoints } from '../config';
import type { PoolStatus } from '../adapters/engine-pool/pool';
import { UNAVAILABLE_ENGINE } from './service';

export interface DashboardQuery {
  /** How far back the time series reach. */
  hours: number;
}

export interface RetrainingRun {
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  stage: string | null;
  candidateVersion: string | null;
  promoted: boolean | null;
  temporalUrl: string;
  mlflowUrl: string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/**
 * The numbers a drift report contributes to the chart over time: its flat numeric metrics, the
 * quality rates and each feature's PSI (the drift check nests these; referenceSentences is bookkeeping).
 */
function driftSeries(m: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' && k !== 'referenceSentences') out[k] = v;
  const quality = (m.quality ?? {}) as Record<string, unknown>;
  if (typeof quality.thumbsDownRate === 'number') out.thumbsDownRate = quality.thumbsDownRate;
  for (const f of Array.isArray(m.features) ? (m.features as { feature?: unknown; psi?: unknown }[]) : []) {
    if (typeof f.psi === 'number') out[`psi ${String(f.feature)}`] = f.psi;
  }
  return out;
}

export class DashboardData {
  private temporal: Promise<Client> | null = null;
  private readonly e: ReturnType<typeof endpoints>;

  constructor(
    private readonly db: DataSource,
    private readonly config: Config,
    /** This API's engine pool, when it has one. */
    private readonly engines?: () => PoolStatus,
  ) {
    this.e = endpoints(config);
  }

  async build(q: DashboardQuery) {
    const since = new Date(Date.now() - q.hours * 3600_000);
    const [drift, feedbackByHour, feedbackByDay, latencyByHour, totals, versions, retraining] = await Promise.all([
      this.drift(),
      this.feedback('hour', since),
      this.feedback('day', since),
      this.latencyByHour(since),
      this.totals(since),
      this.modelVersions(),
      this.retraining(),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      modelName: this.config.mlflowModelName,
      window: { hours: q.hours, since: since.toISOString() },
      links: { temporalUi: this.e.temporalUiUrl, mlflow: this.e.mlflowUrl },
      totals,
      engines: this.engines?.() ?? null,
      drift,
      feedback: { byHour: feedbackByHour, byDay: feedbackByDay },
      latencyByHour,
      modelVersions: versions,
      promotions: versions.filter((v) => v.promotedAt).map((v) => ({ version: v.version, promotedAt: v.promotedAt, pipelineId: v.pipelineId })),
      retraining,
    };
  }

  private async drift() {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select id, model_name, window_start, window_end, sample_size, metrics, drifted, signaled, created_at
         from drift_report where model_name = $1 order by window_end desc limit 200`,
      [this.config.mlflowModelName],
    );
    return rows.reverse().map((r) => ({
      id: r.id as string,
      windowStart: iso(r.window_start),
      windowEnd: iso(r.window_end),
      sampleSize: Number(r.sample_size),
      metrics: r.metrics as Record<string, unknown>,
      series: driftSeries(r.metrics as Record<string, unknown>),
      drifted: Boolean(r.drifted),
      signaled: Boolean(r.signaled),
    }));
  }

  private async feedback(unit: 'hour' | 'day', since: Date) {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select date_trunc('${unit}', created_at) as bucket,
              count(*) filter (where rating = 'up') as up,
              count(*) filter (where rating = 'down') as down
         from feedback where created_at >= $1 group by 1 order by 1`,
      [since],
    );
    return rows.map((r) => {
      const up = Number(r.up);
      const down = Number(r.down);
      return { bucket: iso(r.bucket), up, down, downRate: up + down ? down / (up + down) : null };
    });
  }

  private async latencyByHour(since: Date) {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select date_trunc('hour', created_at) as bucket, count(*) as requests,
              percentile_cont(0.5) within group (order by latency_ms) as p50,
              percentile_cont(0.95) within group (order by latency_ms) as p95,
              avg(case when fallback then 1.0 else 0.0 end) as fallback_rate,
              avg(case when engine = $2 then 1.0 else 0.0 end) as unavailable_rate
         from serving_request where created_at >= $1 group by 1 order by 1`,
      [since, UNAVAILABLE_ENGINE],
    );
    return rows.map((r) => ({ bucket: iso(r.bucket), requests: Number(r.requests), p50: num(r.p50), p95: num(r.p95), fallbackRate: num(r.fallback_rate), unavailableRate: num(r.unavailable_rate) }));
  }

  private async totals(since: Date) {
    const [r]: Record<string, unknown>[] = await this.db.query(
      `select count(*) as requests,
              percentile_cont(0.5) within group (order by latency_ms) as p50,
              percentile_cont(0.95) within group (order by latency_ms) as p95,
              avg(case when fallback then 1.0 else 0.0 end) as fallback_rate,
              avg(case when engine = $2 then 1.0 else 0.0 end) as unavailable_rate,
              (select count(*) from feedback where created_at >= $1) as feedback,
              (select count(*) from feedback where created_at >= $1 and rating = 'down') as thumbs_down
         from serving_request where created_at >= $1`,
      [since, UNAVAILABLE_ENGINE],
    );
    const feedback = Number(r.feedback);
    return {
      requests: Number(r.requests),
      latencyP50Ms: num(r.p50),
      latencyP95Ms: num(r.p95),
      fallbackRate: num(r.fallback_rate),
      /** Requests no engine could answer (503), a part of the fallback rate. */
      unavailableRate: num(r.unavailable_rate),
      feedback,
      thumbsDownRate: feedback ? Number(r.thumbs_down) / feedback : null,
    };
  }

  private async modelVersions() {
    const rows: Record<string, unknown>[] = await this.db.query(
      `select version, status, pipeline_id, mlflow_run_id, dataset_md5, gate, created_at, promoted_at
         from model_version where name = $1 order by created_at, version`,
      [this.config.mlflowModelName],
    );
    const evals: Record<string, unknown>[] = rows.length
      ? await this.db.query(
          `select pipeline_id, model_version, engine, eval_set, metrics from evaluation
            where pipeline_id = any($1) and engine like 'candidate:%' order by eval_set`,
          [rows.map((r) => r.pipeline_id)],
        )
      : [];
    const name = encodeURIComponent(this.config.mlflowModelName);
    return rows.map((r) => ({
      version: String(r.version),
      status: String(r.status),
      pipelineId: String(r.pipeline_id),
      datasetMd5: String(r.dataset_md5),
      createdAt: iso(r.created_at),
      promotedAt: iso(r.promoted_at),
      gate: r.gate as Record<string, unknown>,
      evaluations: evals
        .filter((x) => x.pipeline_id === r.pipeline_id && String(x.model_version) === String(r.version))
        .map((x) => ({ evalSet: String(x.eval_set), metrics: x.metrics as Record<string, number> })),
      mlflowUrl: `${this.e.mlflowUrl}/#/models/${name}/versions/${r.version}`,
      mlflowRunUrl: r.mlflow_run_id ? `${this.e.mlflowUrl}/#/runs/${r.mlflow_run_id}` : null,
    }));
  }

  /** Retraining pipelines from Temporal's visibility store; says why when Temporal is unreachable. */
  private async retraining(): Promise<{ available: boolean; error: string | null; runs: RetrainingRun[] }> {
    try {
      this.temporal ??= Connection.connect({ address: this.config.temporalAddress, connectTimeout: 2000 }).then(
        (connection) => new Client({ connection, namespace: this.config.temporalNamespace }),
      );
      const client = await this.temporal;
      const runs: RetrainingRun[] = [];
      const ns = encodeURIComponent(this.config.temporalNamespace);
      const name = encodeURIComponent(this.config.mlflowModelName);
      for await (const wf of client.workflow.list({ query: `WorkflowType = 'retrainingPipeline'`, pageSize: 50 })) {
        const sa = (wf.searchAttributes ?? {}) as Record<string, unknown[]>;
        const candidate = sa.CandidateVersion?.[0] != null ? String(sa.CandidateVersion[0]) : null;
        runs.push({
          workflowId: wf.workflowId,
          runId: wf.runId,
          status: wf.status.name,
          startTime: wf.startTime.toISOString(),
          closeTime: wf.closeTime?.toISOString() ?? null,
          stage: sa.Stage?.[0] != null ? String(sa.Stage[0]) : null,
          candidateVersion: candidate,
          promoted: sa.Promoted?.[0] != null ? Boolean(sa.Promoted[0]) : null,
          temporalUrl: `${this.e.temporalUiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(wf.workflowId)}`,
          mlflowUrl: candidate ? `${this.e.mlflowUrl}/#/models/${name}/versions/${candidate}` : null,
        });
        if (runs.length >= 50) break;
      }
      return { available: true, error: null, runs };
    } catch (e) {
      this.temporal = null;
      return { available: false, error: `Temporal at ${this.config.temporalAddress} unreachable: ${(e as Error).message}`, runs: [] };
    }
  }

  async close(): Promise<void> {
    const t = this.temporal;
    this.temporal = null;
    if (t) await (await t.catch(() => null))?.connection.close();
  }
}
