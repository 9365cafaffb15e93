/** Directories of model files: walking them, and moving them to and from MLflow artifacts. */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MlflowClient, MlflowRun } from '../mlflow';

/** Every file under `dir`, as sorted paths relative to it with '/' separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

/**
 * Downloads the artifact directory `prefix` of an MLflow run (e.g. "model", the merged weights the
 * fine-tune uploads) into `dest`, through the tracking server's artifact proxy; returns the files.
 * Deploying a registry version on a machine other than the GPU worker starts here.
 */
export async function downloadArtifactDir(mlflow: MlflowClient, run: MlflowRun, prefix: string, dest: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    const url = `${mlflow.baseUrl}/api/2.0/mlflow/artifacts/list?${new URLSearchParams({ run_id: run.info.run_id, path: dir })}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`MLflow artifacts/list ${dir}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { files?: { path: string; is_dir: boolean }[] };
    for (const f of body.files ?? []) {
      if (f.is_dir) await walk(f.path);
      else files.push(f.path);
    }
  };
  await walk(prefix);
  for (const f of files) {
    const rel = path.relative(prefix, f);
    const target = path.join(dest, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, await mlflow.downloadArtifact(run, f));
  }
  return files.map((f) => path.relative(prefix, f).split(path.sep).join('/')).sort();
}
