/**
 * Model routing: serves the MLflow `champion`, switches to a newly promoted version without
 * dropping requests, and falls back to Harper (marking the response) when the model fails.
 *
 * A switch loads the new version completely before it becomes current; requests that already
 * hold the old one finish on it, and the old corrector is closed when the last of them is done.
 */
import { createCorrector, type CorrectOptions, type Correction, type Corrector } from '../core/engines';
import type { Config } from '../core/config';
import { loadVersionCorrector } from '../core/engines/champion';
import type { MlflowClient, MlflowError } from '../core/mlflow';
import { ApiError } from './errors';

interface Served {
  corrector: Corrector;
  modelVersion: string;
  inFlight: number;
  retired: boolean;
}

export interface RoutedCorrection {
  correction: Correction;
  /** True when the champion should have answered but Harper did. */
  fallback: boolean;
  fallbackReason: string | null;
}

export interface RouterStatus {
  modelName: string;
  /** The champion version served, null when Harper serves alone. */
  modelVersion: string | null;
  engine: string;
  /** Why the champion is not served (load failure), null when it is or when none is registered. */
  unavailable: string | null;
}

type Log = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

export class ModelRouter {
  private current: Served | null = null;
  private harper!: Corrector;
  private unavailable: string | null = null;
  private switching: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly mlflow: MlflowClient,
    readonly modelName: string,
    private readonly cacheDir: string,
    private readonly log: Log,
    private readonly retryMs = 10_000,
    /** Where a LoRA champion runs: Ollama (OLLAMA_HOST) or the local trainer Python. */
    private readonly config?: Config,
  ) {}

  /** Loads Harper and, when one is registered, the champion. Never throws for MLflow trouble: Harper serves meanwhile. */
  async start(): Promise<void> {
    this.harper = await createCorrector('harper');
    await this.loadChampionAlias();
  }

  private async loadChampionAlias(): Promise<void> {
    try {
      const mv = await this.mlflow.getByAlias(this.modelName, 'champion');
      if (!mv) {
        this.unavailable = null;
        this.log.info(`no champion registered for ${this.modelName}: serving Harper`);
        return;
      }
      await this.reload(this.modelName, mv.version);
    } catch (e) {
      this.unavailable = `champion not loaded: ${(e as Error).message}`;
      this.log.warn(`${this.unavailable}; serving Harper, retrying in ${this.retryMs / 1000}s`);
      if (!this.closed) {
        this.retryTimer = setTimeout(() => void this.loadChampionAlias(), this.retryMs);
        this.retryTimer.unref();
      }
    }
  }

  status(): RouterStatus {
    return {
      modelName: this.modelName,
      modelVersion: this.current?.modelVersion ?? null,
      engine: this.current ? this.current.corrector.name : this.harper?.name ?? 'harper',
      unavailable: this.unavailable,
    };
  }

  /** Loads `version` (default: whatever `champion` points at now) and makes it current. Serialized. */
  reload(modelName: string, version?: string): Promise<{ modelVersion: string }> {
    const run = this.switching.then(() => this.doReload(modelName, version));
    this.switching = run.catch(() => {});
    return run;
  }

  private async doReload(modelName: string, version?: string): Promise<{ modelVersion: string }> {
    if (modelName !== this.modelName) {
      throw new ApiError(409, 'model_name_mismatch', `this server serves "${this.modelName}", not "${modelName}" (MLFLOW_MODEL_NAME)`);
    }
    const mv = version
      ? await this.mlflow.getModelVersion(modelName, version).catch((e) => {
          // The registry's own message (endpoint, error codes) stays in the log, not in the answer.
          this.log.warn(`reload of ${modelName} v${version}: ${(e as Error).message}`);
          const status = (e as MlflowError).status;
          if (status >= 400 && status < 500) throw new ApiError(404, 'model_version_not_found', `${modelName} has no version ${version} in the model registry`);
          throw new ApiError(502, 'registry_unavailable', 'the model registry did not answer; try again');
        })
      : await this.mlflow.getByAlias(modelName, 'champion');
    if (!mv?.run_id) throw new ApiError(404, 'model_version_not_found', `${modelName}: no ${version ? `version ${version}` : 'champion'} with a training run`);
    if (this.current?.modelVersion === mv.version) return { modelVersion: mv.version };
    let corrector: Corrector;
    try {
      corrector = await loadVersionCorrector(this.mlflow, mv, this.cacheDir, this.config);
    } catch (e) {
      throw new ApiError(502, 'model_load_failed', `${modelName} version ${mv.version} could not be loaded: ${(e as Error).message}`);
    }
    const old = this.current;
    this.current = { corrector, modelVersion: mv.version, inFlight: 0, retired: false };
    this.unavailable = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.log.info(`serving ${modelName} v${mv.version}${old ? ` (was v${old.modelVersion})` : ''}`);
    if (old) this.retire(old);
    return { modelVersion: mv.version };
  }

  private retire(s: Served): void {
    s.retired = true;
    if (s.inFlight === 0) void s.corrector.close?.();
  }

  async correct(text: string, opts: CorrectOptions): Promise<RoutedCorrection> {
    const s = this.current;
    let failure: string | null = this.unavailable;
    if (s) {
      s.inFlight++;
      try {
        return { correction: await s.corrector.correct(text, opts), fallback: false, fallbackReason: null };
      } catch (e) {
        failure = `model v${s.modelVersion} failed: ${(e as Error).message}`;
        this.log.error(failure);
      } finally {
        s.inFlight--;
        if (s.retired && s.inFlight === 0) void s.corrector.close?.();
      }
    }
    return { correction: await this.harper.correct(text, opts), fallback: failure !== null, fallbackReason: failure };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.switching;
    if (this.current) this.retire(this.current);
    this.current = null;
    await this.harper?.close?.();
  }
}
