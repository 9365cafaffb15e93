/**
 * Stages 5–7 bookkeeping: the MLflow model registry (aliases challenger / champion / previous) and
 * the deploy notification. Each step is safe to repeat.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { loadLoraModelDir, runTrainer } from '../adapters/mlflow-models';
import { deployToOllama } from '../adapters/providers/ollama-deploy';
import { stableId } from '../core/ids';
import { ModelVersionSchema } from '../entities';
import type { ActivityDeps } from './deps';

export function registryActivities(deps: ActivityDeps) {
  const rows = async () => (await deps.db()).getRepository(ModelVersionSchema);

  return {
    async registerCandidate(input: { pipelineId: string; modelName: string; runId: string; datasetMd5: string }): Promise<{ version: string }> {
      const { mlflow } = deps;
      await mlflow.ensureRegisteredModel(input.modelName, 'Correctly sentence corrector (promoted by the retraining pipeline)');
      const run = await mlflow.getRun(input.runId);
      const mv = await mlflow.findOrCreateModelVersion(input.modelName, input.runId, `${run.info.artifact_uri}/model`, {
        pipeline_id: input.pipelineId,
        dataset_md5: input.datasetMd5,
      });
      await mlflow.setAlias(input.modelName, 'challenger', mv.version);
      await (await rows()).upsert(
        {
          id: stableId('mv', input.modelName, mv.version),
          name: input.modelName,
          version: mv.version,
          pipelineId: input.pipelineId,
          mlflowRunId: input.runId,
          datasetMd5: input.datasetMd5,
          status: 'candidate',
        },
        ['id'],
      );
      return { version: mv.version };
    },

    async promoteCandidate(input: { pipelineId: string; modelName: string; version: string; reasons: string[] }): Promise<{ champion: string; previous: string | null }> {
      const { mlflow } = deps;
      const repo = await rows();
      const current = await mlflow.getByAlias(input.modelName, 'champion');
      let previous: string | null = null;
      if (current && current.version !== input.version) {
        previous = current.version;
        await mlflow.setAlias(input.modelName, 'previous', current.version);
        await repo.update({ name: input.modelName, version: current.version }, { status: 'previous' });
      } else if (current?.version === input.version) {
        previous = (await mlflow.getByAlias(input.modelName, 'previous'))?.version ?? null; // retried after promotion
      }
      await mlflow.setAlias(input.modelName, 'champion', input.version);
      await mlflow.setModelVersionTag(input.modelName, input.version, 'gate', 'promoted');
      await mlflow.setModelVersionTag(input.modelName, input.version, 'gate_reasons', input.reasons.join(' | ').slice(0, 5000));
      const challenger = await mlflow.getByAlias(input.modelName, 'challenger');
      if (challenger?.version === input.version) await mlflow.deleteAlias(input.modelName, 'challenger');
      await repo.update({ name: input.modelName, version: input.version }, { status: 'champion', promotedAt: new Date(), gate: { promoted: true, reasons: input.reasons } });
      return { champion: input.version, previous };
    },

    async rejectCandidate(input: { pipelineId: string; modelName: string; version: string; reasons: string[] }): Promise<void> {
      const { mlflow } = deps;
      await mlflow.setModelVersionTag(input.modelName, input.version, 'gate', 'rejected');
      await mlflow.setModelVersionTag(input.modelName, input.version, 'gate_reasons', input.reasons.join(' | ').slice(0, 5000));
      const challenger = await mlflow.getByAlias(input.modelName, 'challenger');
      if (challenger?.version === input.version) await mlflow.deleteAlias(input.modelName, 'challenger');
      await (await rows()).update({ name: input.modelName, version: input.version }, { status: 'rejected', gate: { promoted: false, reasons: input.reasons } });
    },

    /** The version behind the `champion` alias now (null before the first promotion): the controller reads it when it decides. */
    async readChampion(input: { modelName: string }): Promise<{ version: string | null }> {
      return { version: (await deps.mlflow.getByAlias(input.modelName, 'champion'))?.version ?? null };
    },

    /**
     * Closes the pipeline's MLflow run when the pipeline ends, so the run spans the pipeline (it
     * starts at the pipeline's start), and records each stage's status and duration.
     */
    async finishPipelineRun(input: {
      runId: string;
      pipelineId: string;
      startedAt: string;
      promoted: boolean;
      stages: { name: string; status: string; startedAt?: string; finishedAt?: string }[];
    }): Promise<void> {
      const seconds = (from?: string, to?: string) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : NaN);
      const now = new Date().toISOString();
      await deps.mlflow.logBatch(input.runId, {
        metrics: {
          pipeline_seconds: seconds(input.startedAt, now),
          ...Object.fromEntries(input.stages.map((s) => [`stage_${s.name}_seconds`, seconds(s.startedAt, s.finishedAt)])),
        },
        tags: {
          'correctly.outcome': input.promoted ? 'promoted' : 'not promoted',
          ...Object.fromEntries(input.stages.map((s) => [`correctly.stage.${s.name}`, s.status])),
        },
      });
      await deps.mlflow.endRun(input.runId, 'FINISHED');
    },

    /**
     * Deploys the new champion. A LoRA model is first created in Ollama (when OLLAMA_HOST is set)
     * from its merged weights, checked to answer, and only then tagged `<name>:champion`; then
     * serving switches: at once through /admin/reload when CORRECTLY_ADMIN_KEY is set, otherwise
     * by following the champion alias, which this waits for. A serving API that is not running is
     * reported (it loads the champion when it starts).
     */
    async deployChampion(input: { modelName: string; version: string }): Promise<{ served: boolean; detail: string }> {
      const mv = await deps.mlflow.getModelVersion(input.modelName, input.version);
      const run = mv.run_id ? await deps.mlflow.getRun(mv.run_id) : undefined;
      let ollama = '';
      if (run && runTrainer(run) === 'lora' && deps.config.ollamaHost) {
        const mergedDir = await loadLoraModelDir(deps.mlflow, run, deps.paths.modelsDir);
        const ctx = Context.current();
        const r = await deployToOllama({
          host: deps.config.ollamaHost,
          name: input.modelName,
          version: input.version,
          mergedDir,
          reasonLanguage: deps.config.reasonLanguage,
          signal: ctx.cancellationSignal,
          onProgress: (message) => ctx.heartbeat({ phase: 'ollama', message }),
        });
        await deps.mlflow.setModelVersionTag(input.modelName, input.version, 'ollama_model', r.model);
        ollama = `Ollama ${r.model} → ${r.alias} (check answered in ${Math.round(r.checkLatencyMs)} ms); `;
      }
      const serving = deps.paths.servingUrl;
      // With the admin key: switch now. Without it (or a server without one): serving follows the
      // champion alias by itself (SERVING_CHAMPION_POLL); wait until it reports the new version.
      if (deps.config.apiAdminKey) {
        let res: Response;
        try {
          res = await fetch(`${serving}/admin/reload`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.config.apiAdminKey}` },
            body: JSON.stringify({ modelName: input.modelName, version: input.version }),
            signal: AbortSignal.timeout(30_000),
          });
        } catch {
          return { served: false, detail: `${ollama}no serving API at ${serving}; it loads the champion alias when it starts` };
        }
        const body = (await res.json().catch(() => ({}))) as { modelVersion?: string; error?: { code?: string } };
        if (res.ok) {
          if (body.modelVersion !== input.version) throw new Error(`serving API reports model version ${body.modelVersion}, expected ${input.version}`);
          return { served: true, detail: `${ollama}serving v${input.version} at ${serving}` };
        }
        if (body.error?.code !== 'admin_disabled') {
          if (res.status === 401 || res.status === 403) {
            throw ApplicationFailure.nonRetryable(`serving API refused the reload (HTTP ${res.status}): set CORRECTLY_ADMIN_KEY to the API's admin key`, 'DeployUnauthorized');
          }
          throw new Error(`serving API reload failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
        }
      }
      return waitUntilServed(serving, input.version, deps.config.servingChampionPoll, ollama);
    },
  };
}

/**
 * Polls the serving API's public /readyz until it serves `version` (it switches when it next reads
 * the champion alias). Heartbeats while it waits; a serving API that does not switch in time fails
 * the attempt (retried), one that is not running is reported, not waited for.
 */
async function waitUntilServed(serving: string, version: string, pollMs: number, ollama: string): Promise<{ served: boolean; detail: string }> {
  if (!pollMs) return { served: false, detail: `${ollama}serving does not follow the champion alias (SERVING_CHAMPION_POLL=0) and no CORRECTLY_ADMIN_KEY is set: it serves v${version} after its next start` };
  const waitMs = Math.max(60_000, 3 * pollMs + 30_000);
  const deadline = Date.now() + waitMs;
  let seen: string | null = null;
  for (;;) {
    try {
      const res = await fetch(`${serving}/readyz`, { signal: AbortSignal.timeout(10_000) });
      const ready = (await res.json()) as { model?: { modelVersion?: string | null } };
      seen = ready.model?.modelVersion ?? null;
    } catch {
      if (seen === null) return { served: false, detail: `${ollama}no serving API at ${serving}; it loads the champion alias when it starts` };
    }
    if (seen === version) return { served: true, detail: `${ollama}serving v${version} at ${serving} (followed the champion alias)` };
    if (Date.now() > deadline) {
      throw new Error(`serving API at ${serving} still serves ${seen ? `v${seen}` : 'no model'} after ${waitMs / 1000} s; it should follow the champion alias every ${pollMs / 1000} s (same MLFLOW_TRACKING_URI and MLFLOW_MODEL_NAME?)`);
    }
    Context.current().heartbeat({ phase: 'waiting for serving', serving: seen });
    await new Promise((r) => setTimeout(r, 500));
  }
}
