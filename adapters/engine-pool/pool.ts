/**
 * The engine pool: CPU-bound correction (Harper's WASM linter, the rules model, any offline engine
 * of the registry) runs in worker threads (piscina), never on the event loop that serves HTTP or
 * completes Temporal workflow tasks.
 *
 *   const pool = EnginePool.fromConfig(config);
 *   const harper = await pool.create('harper');          // a Corrector, like createCorrector('harper')
 *   await harper.correct('I is a student.');
 *   const cpu = pool.functions<typeof import('./x')>(new URL('./x.ts', import.meta.url));
 *   await cpu.heavyPureFunction(args);                    // any pure function, off the event loop
 *
 * - Threads: ENGINE_THREADS (default: the cores). Each builds correctors by engine name from a
 *   serializable spec (engine name + options, e.g. a rule model as JSON), once per thread.
 * - Time limit: ENGINE_TIMEOUT per correction, queue wait included. A correction still running at
 *   the limit has its thread stopped (piscina starts a new one); one still queued is dropped. Either
 *   way only that call fails, with an EngineFailure ('timeout' or 'overloaded').
 * - Crashes: a thread whose engine is poisoned (a WASM trap) exits (./pool-thread.ts) and is
 *   replaced; the call fails with EngineFailure 'crash'. Later calls go to healthy threads.
 * - Readiness: ready while at least one living thread has finished starting, with the warm specs
 *   (the serving API's base engine) built; `status()` says why not otherwise. Crashes, timeouts and restarts are
 *   counted and emitted as events (serve/metrics.ts turns them into Prometheus counters).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Config } from '../../config';
import { ENGINE_THREAD_ENTRY } from '../../config/paths';
import { type CreateCorrectorOptions, EngineConfigError } from '../../core/engines/index';
import { type ChannelMessage, type EngineSpec, EXIT_POISONED, type PoolReply, type PoolTask, readSlot, SLOT_BYTES, type ThreadData } from './pool-protocol';
import type { SegmentOptions } from '../../core/engines/segment';
import type { CorrectOptions, Correction, Corrector } from '../../core/engines/types';

export type { EngineSpec } from './pool-protocol';

/** Building a corrector (Harper's WASM takes ~1 s, more under load) gets at least this long. */
const MIN_BUILD_MS = 60_000;

export interface EnginePoolOptions {
  /** Worker threads; default: the cores. */
  threads?: number;
  /** Threads started at once (default: all); more start as work queues up (a CLI run on one line needs one). */
  minThreads?: number;
  /** Time limit of one correction in ms, queue wait included. */
  timeoutMs: number;
  /** Sentence splitting and the over-long token bound, for every engine built (./segment). */
  segment?: SegmentOptions | false;
  /** Every thread registers its engines with this config (adapters/engines.ts). */
  config: Config;
  /** Engines every thread builds before it takes tasks; readiness waits for them. */
  warm?: EngineSpec[];
  /** Extra modules (absolute paths) whose registerEngines(register) adds engines in every thread. */
  modules?: string[];
}

export type EngineFailureKind = 'crash' | 'timeout' | 'overloaded' | 'closed';

/** A correction that failed because of the pool, not the text's content: the caller answers 503 or falls back. */
export class EngineFailure extends Error {
  constructor(
    readonly kind: EngineFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

export type PoolEvent =
  | { type: 'crash'; engine: string; detail: string }
  | { type: 'timeout'; engine: string; ms: number }
  | { type: 'overloaded'; engine: string; ms: number }
  | { type: 'restart' };

export interface PoolStatus {
  ready: boolean;
  /** Why not ready, null when ready. */
  reason: string | null;
  threads: number;
  /** Living threads that finished starting, their warm engines built. */
  readyThreads: number;
  queued: number;
  crashes: number;
  timeouts: number;
  overloaded: number;
  restarts: number;
}

type Fn = (...args: never[]) => unknown;
/** A module's functions as the pool runs them: same arguments, a promise of the result. */
export type OffThread<M> = { [K in keyof M as M[K] extends Fn ? K : never]: M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

function specKey(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

function shared(json: string): SharedArrayBuffer {
  const bytes = new TextEncoder().encode(json);
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return sab;
}

/** The spec of createCorrector(name, opts): config and segmentation come from the pool; a model object becomes its JSON. */
function toSpec(name: string, opts: CreateCorrectorOptions): string {
  const { segment: _segment, ...options } = opts;
  return JSON.stringify({ engine: name, options } satisfies EngineSpec);
}

export class EnginePool {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly piscina: Piscina<PoolTask, PoolReply>;
  private readonly channel: BroadcastChannel;
  private readonly events = new EventEmitter();
  /** Threads that finished starting (their warm engines built); ids of threads that died are dropped in status(). */
  private readonly warmThreads = new Set<number>();
  private lastStartError: string | null = null;
  /** Threads lost to a crash or a time limit whose replacement has not started yet. */
  private lost = 0;
  private closed = false;
  private readonly refs = new Map<string, number>();
  private names: Promise<string[]> | null = null;
  readonly counts = { crashes: 0, timeouts: 0, overloaded: 0, restarts: 0 };

  constructor(opts: EnginePoolOptions) {
    this.size = Math.max(1, opts.threads ?? availableParallelism());
    this.timeoutMs = opts.timeoutMs;
    const channel = `correctly-engines-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const warm = (opts.warm ?? []).map((s) => {
      const json = toSpec(s.engine, (s.options ?? {}) as CreateCorrectorOptions);
      return { key: specKey(json), json };
    });
    for (const w of warm) this.refs.set(w.key, Infinity); // never released
    const workerData: ThreadData = { channel, config: opts.config, segment: opts.segment ?? {}, warm, modules: opts.modules ?? [] };
    this.channel = new BroadcastChannel(channel);
    this.channel.unref();
    this.channel.onmessage = (ev: unknown) => {
      const m = (ev as { data: ChannelMessage }).data;
      if (m.type !== 'warm') return;
      this.lastStartError = m.error;
      if (!m.error) this.warmThreads.add(m.threadId);
    };
    this.piscina = new Piscina<PoolTask, PoolReply>({
      filename: ENGINE_THREAD_ENTRY,
      minThreads: Math.min(this.size, Math.max(1, opts.minThreads ?? this.size)),
      maxThreads: this.size,
      workerData,
      // keep each thread's event loop running between tasks (release messages, engines' timers)
      atomics: 'disabled',
      recordTiming: false,
      idleTimeout: Infinity,
    });
    this.piscina.on('workerCreate', () => {
      if (this.lost === 0) return;
      this.lost--;
      this.counts.restarts++;
      this.emit({ type: 'restart' });
    });
    // errors of idle threads (none expected): counted as crashes rather than thrown into the process
    this.piscina.on('error', (e: Error) => this.threadLost('crash', '(idle thread)', e.message));
  }

  /** The pool the config describes (ENGINE_THREADS, ENGINE_TIMEOUT, ENGINE_MAX_TOKEN_CHARS, ENGINE_WHOLE_UP_TO, ENGINE_MODULES). */
  static fromConfig(config: Config, extra: Partial<EnginePoolOptions> = {}): EnginePool {
    return new EnginePool({
      threads: config.engineThreads,
      timeoutMs: config.engineTimeout,
      segment: { maxTokenChars: config.engineMaxTokenChars, wholeUpTo: config.engineWholeUpTo },
      config,
      modules: config.engineModules,
      ...extra,
    });
  }

  on(listener: (e: PoolEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(e: PoolEvent): void {
    this.events.emit('event', e);
  }

  /**
   * createCorrector(name, opts), built in the pool: a bad configuration (unknown engine, missing
   * model) throws EngineConfigError here, as createCorrector does.
   */
  async create(name: string, opts: CreateCorrectorOptions = {}): Promise<PooledCorrector> {
    const json = toSpec(name, opts);
    const key = specKey(json);
    const spec = shared(json);
    this.refs.set(key, (this.refs.get(key) ?? 0) + 1);
    try {
      const built = (await this.runTask({ kind: 'build', key, spec }, name, Math.max(this.timeoutMs, MIN_BUILD_MS))) as { name: string };
      return new PooledCorrector(this, built.name, key, spec);
    } catch (e) {
      this.release(key);
      throw e;
    }
  }

  /** Engine names the threads can build (the registry of ./index plus the extra modules). */
  engineNames(): Promise<string[]> {
    this.names ??= this.runTask({ kind: 'names' }, 'names', MIN_BUILD_MS).then(
      (v) => v as string[],
      (e) => {
        this.names = null;
        throw e;
      },
    );
    return this.names;
  }

  /**
   * The functions of `module` (a file path or URL), run in pool threads: for pure CPU work
   * (arguments and results are plain data). No time limit; `signal` stops a call (its thread is
   * replaced when it was running).
   */
  functions<M>(module: string | URL, opts: { signal?: AbortSignal } = {}): OffThread<M> {
    const file = module instanceof URL ? fileURLToPath(module) : module;
    return new Proxy({} as OffThread<M>, {
      get: (_t, fn) =>
        typeof fn === 'string' ? (...args: unknown[]) => this.runTask({ kind: 'call', module: file, fn, args }, `${fn}()`, Infinity, opts.signal) : undefined,
    });
  }

  /** @internal Runs one task: time limit, crash and abort handling. */
  async runTask(task: DistributiveOmit<PoolTask, 'slot'>, label: string, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) throw new EngineFailure('closed', 'the engine pool is closed');
    signal?.throwIfAborted();
    const slot = new SharedArrayBuffer(SLOT_BYTES);
    const limit = new AbortController();
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => limit.abort(), timeoutMs) : null;
    const stop = () => limit.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const reply = await this.piscina.run({ ...task, slot } as PoolTask, { signal: limit.signal });
      if (!reply.ok) throw revive(reply.error);
      return reply.value;
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      if (limit.signal.aborted) {
        if (readSlot(slot).threadId) {
          this.threadLost('timeout', label, `${timeoutMs} ms`, timeoutMs);
          throw new EngineFailure('timeout', `${label} did not finish within ${timeoutMs} ms; its thread was stopped and is being replaced`);
        }
        this.counts.overloaded++;
        this.emit({ type: 'overloaded', engine: label, ms: timeoutMs });
        throw new EngineFailure('overloaded', `no engine thread was free within ${timeoutMs} ms (${this.piscina.queueSize} corrections waiting)`);
      }
      const exited = /worker exited with code: (\d+)/.exec((e as Error).message ?? '');
      if (exited || (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const why = readSlot(slot).error ?? (exited?.[1] === String(EXIT_POISONED) ? 'poisoned' : (e as Error).message);
        this.threadLost('crash', label, why);
        throw new EngineFailure('crash', `${label} crashed (${why}); its thread was replaced`);
      }
      if (this.closed) throw new EngineFailure('closed', 'the engine pool is closed');
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
  }

  /** A thread died (crash) or was stopped (time limit); piscina starts another in its place. */
  private threadLost(kind: 'crash' | 'timeout', engine: string, detail: string, ms = 0): void {
    this.lost++;
    if (kind === 'crash') {
      this.counts.crashes++;
      this.emit({ type: 'crash', engine, detail });
    } else {
      this.counts.timeouts++;
      this.emit({ type: 'timeout', engine, ms });
    }
  }

  /** @internal A PooledCorrector is closed: threads drop its corrector once nobody uses the spec. */
  release(key: string): void {
    const n = (this.refs.get(key) ?? 0) - 1;
    if (n > 0) return void this.refs.set(key, n);
    this.refs.delete(key);
    if (!this.closed) this.channel.postMessage({ type: 'release', key } satisfies ChannelMessage);
  }

  status(): PoolStatus {
    // piscina lists the threads alive (starting or running); a thread that died is gone from it
    const alive = new Set(this.piscina.threads.map((w) => w.threadId).filter((id) => id > 0));
    for (const id of this.warmThreads) if (!alive.has(id)) this.warmThreads.delete(id);
    const readyThreads = this.warmThreads.size;
    const ready = !this.closed && readyThreads > 0;
    let reason: string | null = null;
    if (this.closed) reason = 'the engine pool is closed';
    else if (!ready) {
      reason = this.lastStartError
        ? `no engine thread can correct: the engines failed to load (${this.lastStartError})`
        : `no engine thread can correct yet: ${alive.size} of ${this.size} threads starting${this.counts.restarts ? ` (${this.counts.restarts} replaced so far)` : ''}`;
    }
    return { ready, reason, threads: alive.size, readyThreads, queued: this.piscina.queueSize, ...this.counts };
  }

  /** Stops every thread (in-flight calls fail with EngineFailure 'closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    await this.piscina.destroy();
  }
}

/**
 * Runs `fn` with engines built in a fresh engine thread of their own (started on first use, stopped
 * afterwards), for results that do not depend on history: Harper's answers depend on what its
 * linter linted before (its internal caches), so a system evaluated in a shared, long-lived thread
 * would not get the same answers twice. One thread, so its calls run in the caller's order.
 */
export async function withFreshEngineThread<T>(config: Config, fn: (create: (name: string, opts?: CreateCorrectorOptions) => Promise<PooledCorrector>) => Promise<T>): Promise<T> {
  let pool: EnginePool | undefined;
  try {
    return await fn((name, opts) => (pool ??= EnginePool.fromConfig(config, { threads: 1 })).create(name, opts));
  } finally {
    await pool?.close();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An engine built in the pool; `correct` runs in a pool thread. */
export class PooledCorrector implements Corrector {
  private closed = false;

  constructor(
    private readonly pool: EnginePool,
    readonly name: string,
    private readonly key: string,
    private readonly spec: SharedArrayBuffer,
  ) {}

  /** How many corrections can run at once (one per thread). */
  get parallelism(): number {
    return this.pool.size;
  }

  async correct(text: string, opts: CorrectOptions = {}): Promise<Correction> {
    if (this.closed) throw new Error(`${this.name}: corrector is closed`);
    return (await this.pool.runTask({ kind: 'correct', key: this.key, spec: this.spec, text, opts: { reasonLanguage: opts.reasonLanguage } }, this.name)) as Correction;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.release(this.key);
  }
}

/** Errors a thread answered with, as the classes callers branch on. */
function revive(e: { name: string; message: string }): Error {
  if (e.name === 'EngineConfigError') return new EngineConfigError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
