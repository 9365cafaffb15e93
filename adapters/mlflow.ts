/**
 * MLflow over its REST API: experiments, runs, metrics, artifacts (proxied by the tracking server's
 * --serve-artifacts) and the model registry with aliases (stages are deprecated).
 *
 * Every create is find-or-create keyed by tags, so a retried activity never duplicates a run or a
 * model version.
 */
import { z } from 'zod';

export class MlflowError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'MlflowError';
  }
}

const RunInfo = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  status: z.string(),
  artifact_uri: z.string(),
  run_name: z.string().optional(),
  start_time: z.coerce.number().optional(),
  end_time: z.coerce.number().optional(),
});
const KV = z.object({ key: z.string(), value: z.union([z.string(), z.number()]) });
const Run = z.object({
  info: RunInfo,
  data: z.object({ metrics: z.array(KV.extend({ value: z.number(), step: z.coerce.number().optional() })).default([]), params: z.array(KV).default([]), tags: z.array(KV).default([]) }).default({ metrics: [], params: [], tags: [] }),
});
export type MlflowRun = z.infer<typeof Run>;

const ModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  run_id: z.string().optional(),
  source: z.string().optional(),
  status: z.string().optional(),
  aliases: z.array(z.string()).default([]),
  tags: z.array(KV).default([]),
});
export type MlflowModelVersion = z.infer<typeof ModelVersion>;

/**
 * fetch, retried once when a pooled keep-alive socket turns out to be closed by the server
 * (uvicorn closes idle connections after 5 s): such a request never reached MLflow.
 */
async function fetchFresh(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
    return fetch(url, { ...init, signal: init.signal });
  }
}

export class MlflowClient {
  constructor(readonly baseUrl: string, private readonly timeoutMs = 30_000) {}

  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', api: string, body?: Record<string, unknown>): Promise<T> {
    let url = `${this.baseUrl}/api/2.0/mlflow/${api}`;
    const init: RequestInit = { method, signal: AbortSignal.timeout(this.timeoutMs), headers: { 'content-type': 'application/json' } };
    if (body && (method === 'GET' || method === 'DELETE')) url += '?' + new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
    // MLflow's DELETE endpoints read their fields from the JSON body; GET ones from the query.
    if (body && method !== 'GET') init.body = JSON.stringify(body);
    const res = await fetchFresh(url, init);
    const text = await res.text();
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = text.slice(0, 500);
      try {
        const j = JSON.parse(text) as { error_code?: string; message?: string };
        code = j.error_code ?? code;
        message = j.message ?? message;
      } catch {
        /* not JSON */
      }
      throw new MlflowError(res.status, code, `MLflow ${method} ${api}: ${message}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  // ── Experiments and runs ──────────────────────────────────────────────────────────────────────

  async experimentId(name: string): Promise<string> {
    try {
      const r = await this.call<{ experiment: { experiment_id: string } }>('GET', 'experiments/get-by-name', { experiment_name: name });
      return r.experiment.experiment_id;
    } catch (e) {
      if (!(e instanceof MlflowError && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e;
    }
    try {
      return (await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name })).experiment_id;
    } catch (e) {
      // Lost a race with another worker creating the same experiment.
      if (e instanceof MlflowError && e.code === 'RESOURCE_ALREADY_EXISTS') return this.experimentId(name);
      throw e;
    }
  }

  async searchRuns(experimentIds: string[], filter: string, maxResults = 100): Promise<MlflowRun[]> {
    const r = await this.call<{ runs?: unknown[] }>('POST', 'runs/search', { experiment_ids: experimentIds, filter, max_results: maxResults, order_by: ['attributes.start_time ASC'] });
    return (r.runs ?? []).map((x) => Run.parse(x));
  }

  /** The run tagged with `key`, created if none exists yet (idempotent across retries). */
  async findOrCreateRun(experimentId: string, key: string, runName: string, tags: Record<string, string> = {}, startTime = Date.now()): Promise<MlflowRun> {
    const existing = await this.searchRuns([experimentId], `tags.correctly_key = '${key.replace(/'/g, "\\'")}'`, 1);
    if (existing[0]) return existing[0];
    const r = await this.call<{ run: unknown }>('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: runName,
      start_time: startTime,
      tags: Object.entries({ ...tags, correctly_key: key }).map(([k, value]) => ({ key: k, value })),
    });
    return Run.parse(r.run);
  }

  async getRun(runId: string): Promise<MlflowRun> {
    return Run.parse((await this.call<{ run: unknown }>('GET', 'runs/get', { run_id: runId })).run);
  }

  /** Params are write-once in MLflow; re-logging the same value is fine, so retries are safe. */
  async logBatch(runId: string, data: { params?: Record<string, string | number>; metrics?: Record<string, number>; tags?: Record<string, string>; step?: number }): Promise<void> {
    const ts = Date.now();
    const params = Object.entries(data.params ?? {}).map(([key, v]) => ({ key, value: String(v).slice(0, 6000) }));
    const metrics = Object.entries(data.metrics ?? {})
      .filter(([, v]) => Number.isFinite(v))
      .map(([key, value]) => ({ key, value, timestamp: ts, step: data.step ?? 0 }));
    const tags = Object.entries(data.tags ?? {}).map(([key, value]) => ({ key, value }));
    // MLflow caps a batch at 100 params / 1000 metrics.
    for (let i = 0; i < Math.max(params.length, metrics.length, tags.length, 1); i += 100) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, params: params.slice(i, i + 100), metrics: metrics.slice(i, i + 100), tags: tags.slice(i, i + 100) });
    }
  }

  /**
   * Logs datasets as the run's inputs (the Datasets panel of the run page). MLflow keeps one
   * record per (dataset name, digest) and one input per (run, dataset), so a retry adds nothing.
   */
  async logInputs(runId: string, datasets: { name: string; digest: string; sourceType: string; source: Record<string, unknown>; profile?: Record<string, unknown>; context?: string }[]): Promise<void> {
    await this.call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: datasets.map((d) => ({
        tags: d.context ? [{ key: 'mlflow.data.context', value: d.context }] : [],
        dataset: { name: d.name, digest: d.digest, source_type: d.sourceType, source: JSON.stringify(d.source), ...(d.profile ? { profile: JSON.stringify(d.profile) } : {}) },
      })),
    });
  }

  async endRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: Date.now() });
  }

  // ── Artifacts (through the tracking server's proxy) ───────────────────────────────────────────

  private artifactUrl(run: MlflowRun, relPath: string): string {
    const uri = run.info.artifact_uri;
    const prefix = 'mlflow-artifacts:/';
    if (!uri.startsWith(prefix)) throw new MlflowError(0, 'UNSUPPORTED_ARTIFACT_STORE', `artifact URI ${uri} is not served by the tracking server (start it with --serve-artifacts)`);
    const base = uri.slice(prefix.length).replace(/^\/+/, '');
    return `${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${base}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
  }

  async uploadArtifact(run: MlflowRun, relPath: string, content: string | Buffer): Promise<void> {
    const res = await fetchFresh(this.artifactUrl(run, relPath), { method: 'PUT', body: content, signal: AbortSignal.timeout(this.timeoutMs * 4) });
    if (!res.ok) throw new MlflowError(res.status, `HTTP_${res.status}`, `MLflow artifact upload ${relPath}: ${await res.text()}`);
  }

  async downloadArtifact(run: MlflowRun, relPath: string): Promise<Buffer> {
    const res = await fetchFresh(this.artifactUrl(run, relPath), { signal: AbortSignal.timeout(this.timeoutMs * 4) });
    if (!res.ok) throw new MlflowError(res.status, `HTTP_${res.status}`, `MLflow artifact download ${relPath}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  // ── Model registry with aliases ───────────────────────────────────────────────────────────────

  async ensureRegisteredModel(name: string, description = ''): Promise<void> {
    try {
      await this.call('POST', 'registered-models/create', { name, description });
    } catch (e) {
      if (!(e instanceof MlflowError && e.code === 'RESOURCE_ALREADY_EXISTS')) throw e;
    }
  }

  async searchModelVersions(filter: string): Promise<MlflowModelVersion[]> {
    const r = await this.call<{ model_versions?: unknown[] }>('GET', 'model-versions/search', { filter, max_results: 200 });
    return (r.model_versions ?? []).map((x) => ModelVersion.parse(x));
  }

  /** The version registered from `runId`, created if none exists (one version per run). */
  async findOrCreateModelVersion(name: string, runId: string, source: string, tags: Record<string, string> = {}): Promise<MlflowModelVersion> {
    const existing = await this.searchModelVersions(`name = '${name}' and run_id = '${runId}'`);
    if (existing[0]) return existing[0];
    const r = await this.call<{ model_version: unknown }>('POST', 'model-versions/create', {
      name,
      source,
      run_id: runId,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    return ModelVersion.parse(r.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<MlflowModelVersion> {
    return ModelVersion.parse((await this.call<{ model_version: unknown }>('GET', 'model-versions/get', { name, version })).model_version);
  }

  /** The version behind an alias, or null when the alias is not set. */
  async getByAlias(name: string, alias: string): Promise<MlflowModelVersion | null> {
    try {
      return ModelVersion.parse((await this.call<{ model_version: unknown }>('GET', 'registered-models/alias', { name, alias })).model_version);
    } catch (e) {
      if (e instanceof MlflowError && (e.code === 'INVALID_PARAMETER_VALUE' || e.code === 'RESOURCE_DOES_NOT_EXIST')) return null;
      throw e;
    }
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    try {
      await this.call('DELETE', 'registered-models/alias', { name, alias });
    } catch (e) {
      if (!(e instanceof MlflowError && (e.code === 'INVALID_PARAMETER_VALUE' || e.code === 'RESOURCE_DOES_NOT_EXIST'))) throw e;
    }
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version, key, value });
  }
}
