import { endpoints } from '../config';
import type { ActivityDeps } from './deps';

export interface DependencyReport {
  database: { ok: boolean; migrations: number; detail?: string };
  mlflow: { ok: boolean; url: string; detail?: string };
  chroma: { ok: boolean; url: string; detail?: string };
  checkedAt: string;
}

async function probe(url: string): Promise<{ ok: boolean; detail?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { ok: res.ok, detail: res.ok ? undefined : `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

export function healthActivities(deps: ActivityDeps) {
  return {
    /** Reaches every server the pipeline depends on, from the worker's side. */
    async checkDependencies(): Promise<DependencyReport> {
      const e = endpoints(deps.config);
      let database: DependencyReport['database'];
      try {
        const ds = await deps.db();
        const rows: { n: string }[] = await ds.query('select count(*)::text as n from schema_migrations');
        database = { ok: true, migrations: Number(rows[0].n) };
      } catch (err) {
        database = { ok: false, migrations: 0, detail: (err as Error).message };
      }
      const [mlflow, chroma] = await Promise.all([probe(`${e.mlflowUrl}/health`), probe(`${e.chromaUrl}/api/v2/heartbeat`)]);
      return {
        database,
        mlflow: { ...mlflow, url: e.mlflowUrl },
        chroma: { ...chroma, url: e.chromaUrl },
        checkedAt: new Date().toISOString(),
      };
    },
  };
}
