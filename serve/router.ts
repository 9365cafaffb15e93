/**
 * Model routing: serves the MLflow `champion`, switches to a newly promoted version without
 * dropping requests, and falls back to the base engine (SERVE_ENGINE, default the offline ensemble; marking the
 * response) when the model fails.
 *
 * Every offline engine runs in the engine pool (adapters/engine-pool/pool.ts), never on this event loop.
 * When the pool fails a correction (the engine crashed on the text, ran past ENGINE_TIMEOUT, or no
 * thread was free in time), that one request gets a clear 503; the base engine is not tried on
 * the same text, since it runs the same linter (a text that crashes Harper crashes it again).
 * The pool replaces the thread; later requests are served normally.
 *
 * A switch loads the new version completely before it becomes current; requests that already
 * hold the old one finish on it, and the old corrector is closed when the last of them is done.
 */
import type { CorrectOptions, Correction, Corrector } from '../core/engines';
import { type Config, loadConfig } from '../config';
import { loadVersionCorrector } from '../adapters/mlflow-models';
import { EngineFailure, EnginePool, type PoolStatus } from '../adapters/engine-pool/pool';
import type { MlflowClient, MlflowError } from '../adapters/mlflow';
import { ApiError } from './errors';

interface Served {
  corrector: Corrector;
  modelVersion: string;
  inFlight: number;
  retired: boolean;
}

export interface RoutedCorrection {
  correction: Correction;
  /** True when the champion should have answered but the base engine did. */
  fallback: boolean;
  fallbackReason: string | null;
}

export interface RouterStatus {
  modelName: string;
  /** The champion version served, null when the base engine serves alone. */
  modelVersion: string | null;
  engine: string;
  /** Why the champion is not served (load failure), null when it is or when none is registered. */
  unavailable: string | null;
  /** The engine threads: whether any can correct now, crashes, timeouts, restarts. */
  engines: PoolStatus;
}

type Log = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

export class ModelRouter {
  private current: Served | null = null;
  private base!: Corrector;
  private unavailable: string | null = null;
  private switching: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The engine threads every offline engine of this router runs in (built from the config, closed with the router). */
  readonly engines: EnginePool;

  constructor(
    private readonly mlflow: MlflowClient,
    readonly modelName: string,
    private readonly cacheDir: string,
    private readonly log: Log,
    private readonly retryMs = 10_000,
    /** Engine pool settings, the base engine, and where a LoRA champion runs (Ollama or the local trainer Python). */
    private readonly config: Config = loadConfig(),
  ) {
    // Every thread builds the base engine before it takes requests: readiness counts those threads.
    this.engines = EnginePool.fromConfig(config, { warm: [{ engine: config.serveEngine }] });
    this.engines.on((e) => {
      if (e.type === 'crash') this.log.error(`engine ${e.engine} crashed (${e.detail}); its thread is being replaced`);
      if (e.type === 'timeout') this.log.warn(`engine ${e.engine} ran past ${e.ms} ms; its thread was stopped and is being replaced`);
    });
  }

  /** Loads the base engine and, when one is registered, the champion. Never throws for MLflow trouble: the base engine serves meanwhile. */
  async start(): Promise<void> {
    this.base = await this.engines.create(this.config.serveEngine);
    await this.loadChampionAlias();
  }

  private async loadChampionAlias(): Promise<void> {
    try {
      const mv = await this.mlflow.getByAlias(this.modelName, 'champion');
      if (!mv) {
        this.unavailable = null;
        this.log.info(`no champion registered for ${this.modelName}: serving ${this.config.serveEngine}`);
        return;
      }
      await this.reload(this.modelName, mv.version);
    } catch (e) {
      this.unavailable = `champion not loaded: ${(e as Error).message}`;
      this.log.warn(`${this.unavailable}; serving ${this.config.serveEngine}, retrying in ${this.retryMs / 1000}s`);
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
      engine: this.current ? this.current.corrector.name : this.base?.name ?? this.config.serveEngine,
      unavailable: this.unavailable,
      engines: this.engines.status(),
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
      corrector = await loadVersionCorrector(this.mlflow, mv, this.cacheDir, this.config, (name, opts) => this.engines.create(name, opts));
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

  /** Corrects with the champion, else the base engine; an engine pool failure is a 503 (see the top). */
  async correct(text: string, opts: CorrectOptions): Promise<RoutedCorrection> {
    const s = this.current;
    let failure: string | null = this.unavailable;
    if (s) {
      s.inFlight++;
      try {
        return { correction: await s.corrector.correct(text, opts), fallback: false, fallbackReason: null };
      } catch (e) {
        if (e instanceof EngineFailure) throw engineUnavailable(e);
        failure = `model v${s.modelVersion} failed: ${(e as Error).message}`;
        this.log.error(failure);
      } finally {
        s.inFlight--;
        if (s.retired && s.inFlight === 0) void s.corrector.close?.();
      }
    }
    try {
      return { correction: await this.base.correct(text, opts), fallback: failure !== null, fallbackReason: failure };
    } catch (e) {
      throw e instanceof EngineFailure ? engineUnavailable(e) : e;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.switching;
    if (this.current) this.retire(this.current);
    this.current = null;
    await this.base?.close?.();
    await this.engines.close();
  }
}

const ENGINE_FAILURE_CODES = { crash: 'engine_crashed', timeout: 'engine_timeout', overloaded: 'engine_busy', closed: 'shutting_down' } as const;

/** What the client is told when the pool could not correct its text. */
function engineUnavailable(e: EngineFailure): ApiError {
  const advice =
    e.kind === 'crash' ? 'nothing was corrected; try again, or send a shorter text'
    : e.kind === 'timeout' ? 'nothing was corrected; send a shorter text, or try again'
    : e.kind === 'overloaded' ? 'the server is busy; try again in a moment'
    : 'the server is shutting down; try again';
  return new ApiError(503, ENGINE_FAILURE_CODES[e.kind], `the correction engine could not answer: ${e.message}; ${advice}`);
}
