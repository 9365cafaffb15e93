/**
 * Resource monitoring of a worker: CPU and memory of the process and machine, and GPU utilisation
 * and memory when `nvidia-smi` is present, sampled while activities run. Samples go to Prometheus
 * (prom-client gauges on the worker's /metrics endpoint) and, for activities tied to an MLflow run
 * (a `runId` in their input or result), to that run as MLflow system metrics (`system/…` keys, the
 * names MLflow's own system-metrics monitor uses).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Context as ActivityContext } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MlflowClient } from '../../adapters/mlflow';

const run = promisify(execFile);

export interface GpuSample {
  index: number;
  utilizationPercent: number;
  memoryUsedMiB: number;
  memoryTotalMiB: number;
}

export interface ResourceSample {
  at: number;
  /** This process, in percent of one core since the previous sample. */
  cpuPercent: number;
  /** Whole machine, in percent of all cores since the previous sample. */
  systemCpuPercent: number;
  rssBytes: number;
  systemMemoryUsedBytes: number;
  systemMemoryPercent: number;
  gpus: GpuSample[];
}

/** Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(out: string): GpuSample[] {
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(',').map((v) => Number(v.trim())))
    .filter((v) => v.length >= 4 && v.every(Number.isFinite))
    .map(([index, utilizationPercent, memoryUsedMiB, memoryTotalMiB]) => ({ index, utilizationPercent, memoryUsedMiB, memoryTotalMiB }));
}

function cpuTimes() {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

export class ResourceSampler {
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private lastSys = cpuTimes();
  /** undefined: not probed yet; false: no nvidia-smi here. */
  private gpuAvailable: boolean | undefined;

  constructor(private readonly nvidiaSmi = 'nvidia-smi') {}

  async gpus(): Promise<GpuSample[]> {
    if (this.gpuAvailable === false) return [];
    try {
      const { stdout } = await run(this.nvidiaSmi, ['--query-gpu=index,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 });
      this.gpuAvailable = true;
      return parseNvidiaSmi(stdout);
    } catch (e) {
      // Missing binary (ENOENT) or no driver: stop asking. A timeout may be transient.
      if (this.gpuAvailable === undefined || (e as NodeJS.ErrnoException).code === 'ENOENT') this.gpuAvailable = false;
      return [];
    }
  }

  async sample(): Promise<ResourceSample> {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const sys = cpuTimes();
    const elapsedUs = Math.max(1, (now - this.lastAt) * 1000);
    const sysTotal = sys.total - this.lastSys.total;
    const s: ResourceSample = {
      at: Date.now(),
      cpuPercent: ((cpu.user + cpu.system) / elapsedUs) * 100,
      systemCpuPercent: sysTotal > 0 ? (1 - (sys.idle - this.lastSys.idle) / sysTotal) * 100 : 0,
      rssBytes: process.memoryUsage.rss(),
      systemMemoryUsedBytes: os.totalmem() - os.freemem(),
      systemMemoryPercent: ((os.totalmem() - os.freemem()) / os.totalmem()) * 100,
      gpus: await this.gpus(),
    };
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    this.lastSys = sys;
    return s;
  }
}

/** MLflow system-metric keys for one sample (as MLflow's SystemMetricsMonitor names them). */
export function mlflowSystemMetrics(s: ResourceSample): Record<string, number> {
  const m: Record<string, number> = {
    'system/cpu_utilization_percentage': s.systemCpuPercent,
    'system/system_memory_usage_megabytes': s.systemMemoryUsedBytes / 2 ** 20,
    'system/system_memory_usage_percentage': s.systemMemoryPercent,
    'system/process_cpu_utilization_percentage': s.cpuPercent,
    'system/process_memory_rss_megabytes': s.rssBytes / 2 ** 20,
  };
  for (const g of s.gpus) {
    m[`system/gpu_${g.index}_utilization_percentage`] = g.utilizationPercent;
    m[`system/gpu_${g.index}_memory_usage_megabytes`] = g.memoryUsedMiB;
    m[`system/gpu_${g.index}_memory_usage_percentage`] = g.memoryTotalMiB ? (g.memoryUsedMiB / g.memoryTotalMiB) * 100 : 0;
  }
  return m;
}

export class ResourceMonitor {
  readonly registry = new Registry();
  private readonly sampler: ResourceSampler;
  private readonly cpu: Gauge;
  private readonly systemCpu: Gauge;
  private readonly rss: Gauge;
  private readonly systemMemory: Gauge;
  private readonly gpuUtil: Gauge;
  private readonly gpuMemory: Gauge;
  private readonly activityDuration: Histogram;
  private readonly activitiesRunning: Gauge;
  private readonly mlflowFailures: Counter;
  private server: Server | undefined;

  constructor(readonly opts: { worker: string; intervalMs: number; mlflow?: MlflowClient; nvidiaSmi?: string; log?: (msg: string) => void }) {
    this.sampler = new ResourceSampler(opts.nvidiaSmi);
    this.registry.setDefaultLabels({ worker: opts.worker });
    collectDefaultMetrics({ register: this.registry, prefix: 'correctly_worker_' });
    const r = [this.registry];
    this.cpu = new Gauge({ name: 'correctly_worker_cpu_percent', help: 'Worker process CPU, percent of one core', registers: r });
    this.systemCpu = new Gauge({ name: 'correctly_system_cpu_percent', help: 'Machine CPU, percent of all cores', registers: r });
    this.rss = new Gauge({ name: 'correctly_worker_memory_rss_bytes', help: 'Worker resident memory', registers: r });
    this.systemMemory = new Gauge({ name: 'correctly_system_memory_used_bytes', help: 'Machine memory in use', registers: r });
    this.gpuUtil = new Gauge({ name: 'correctly_gpu_utilization_percent', help: 'GPU utilisation (nvidia-smi)', labelNames: ['gpu'], registers: r });
    this.gpuMemory = new Gauge({ name: 'correctly_gpu_memory_used_bytes', help: 'GPU memory in use (nvidia-smi)', labelNames: ['gpu'], registers: r });
    this.activityDuration = new Histogram({ name: 'correctly_activity_duration_seconds', help: 'Activity execution time', labelNames: ['activity', 'outcome'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200], registers: r });
    this.activitiesRunning = new Gauge({ name: 'correctly_activities_running', help: 'Activities executing now', registers: r });
    this.mlflowFailures = new Counter({ name: 'correctly_mlflow_system_metrics_failures_total', help: 'System-metric logs MLflow refused', registers: r });
  }

  async sample(): Promise<ResourceSample> {
    const s = await this.sampler.sample();
    this.cpu.set(s.cpuPercent);
    this.systemCpu.set(s.systemCpuPercent);
    this.rss.set(s.rssBytes);
    this.systemMemory.set(s.systemMemoryUsedBytes);
    for (const g of s.gpus) {
      this.gpuUtil.set({ gpu: String(g.index) }, g.utilizationPercent);
      this.gpuMemory.set({ gpu: String(g.index) }, g.memoryUsedMiB * 2 ** 20);
    }
    return s;
  }

  /**
   * Serves /metrics on host:port (0 picks a port); returns the port. A taken port is not fatal: the
   * worker runs on, and says clearly that it has no metrics endpoint and which setting to change.
   */
  async listen(port: number, host = '127.0.0.1'): Promise<number | null> {
    const server = createServer(async (req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end('not found: GET /metrics\n');
        return;
      }
      await this.sample().catch(() => {});
      res.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (another worker on this host?)` : `cannot listen on ${host}:${port}: ${err.message}`;
      this.opts.log?.(`WARNING worker metrics: ${why}; this worker (${this.opts.worker}) runs WITHOUT a Prometheus /metrics endpoint. Give each worker on a host its own WORKER_METRICS_PORT (0 turns it off); it listens on CORRECTLY_BIND_HOST.`);
      return null;
    }
    this.server = server;
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  /** Where /metrics listens, or null when it does not. */
  address(): { host: string; port: number } | null {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? { host: addr.address, port: addr.port } : null;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise((r) => s.close(() => r(undefined)));
  }

  /** Samples every intervalMs while `fn` runs; returns its result and the samples taken. */
  async during<T>(fn: () => Promise<T>): Promise<{ result: T; samples: ResourceSample[] }> {
    const samples: ResourceSample[] = [];
    const take = () => this.sample().then((s) => samples.push(s), () => {});
    await take();
    const timer = setInterval(take, this.opts.intervalMs);
    timer.unref();
    try {
      return { result: await fn(), samples };
    } finally {
      clearInterval(timer);
      await take();
    }
  }

  /** Logs samples to an MLflow run as system metrics (step = sample index, timestamps kept). */
  async logToMlflow(runId: string, samples: ResourceSample[]): Promise<void> {
    const mlflow = this.opts.mlflow;
    if (!mlflow || !samples.length) return;
    const existing = await mlflow.getRun(runId).catch(() => null);
    if (!existing) return;
    // Continue the steps after what earlier activities of the run logged.
    const offset = existing.data.metrics.filter((m) => m.key === 'system/cpu_utilization_percentage').reduce((n, m) => Math.max(n, (m.step ?? 0) + 1), 0);
    try {
      for (const [i, s] of samples.entries()) await mlflow.logBatch(runId, { metrics: mlflowSystemMetrics(s), step: offset + i });
    } catch (e) {
      this.mlflowFailures.inc();
      this.opts.log?.(`system metrics not logged to MLflow run ${runId}: ${(e as Error).message}`);
    }
  }

  /** The activity interceptor a worker installs (worker/run.ts). */
  interceptor(): ActivityInterceptorsFactory {
    return (ctx: ActivityContext) => ({ inbound: new ResourceInterceptor(this, ctx) });
  }

  activityStarted() {
    this.activitiesRunning.inc();
  }

  activityEnded(activity: string, outcome: 'ok' | 'failed', seconds: number) {
    this.activityDuration.observe({ activity, outcome }, seconds);
    this.activitiesRunning.dec();
  }
}

/** A worker's metrics endpoint as configured: WORKER_METRICS_PORT (0: none) on CORRECTLY_BIND_HOST. */
export function serveWorkerMetrics(monitor: ResourceMonitor, config: { workerMetricsPort: number; bindHost: string }): Promise<number | null> {
  return config.workerMetricsPort ? monitor.listen(config.workerMetricsPort, config.bindHost) : Promise.resolve(null);
}

/** A 32-hex MLflow run id in an activity's input or result, if any. */
export function mlflowRunIdOf(...values: unknown[]): string | null {
  for (const v of values) {
    if (v && typeof v === 'object') {
      const id = (v as Record<string, unknown>).runId ?? (v as Record<string, unknown>).mlflowRunId;
      if (typeof id === 'string' && /^[0-9a-f]{32}$/.test(id)) return id;
    }
  }
  return null;
}

class ResourceInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly monitor: ResourceMonitor, private readonly ctx: ActivityContext) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const started = performance.now();
    this.monitor.activityStarted();
    let samples: { result: unknown; samples: ResourceSample[] } | undefined;
    let failed = false;
    const monitored = this.monitor.during(() => next(input)).then((r) => (samples = r));
    try {
      await monitored;
      return samples!.result;
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.monitor.activityEnded(this.ctx.info.activityType, failed ? 'failed' : 'ok', seconds);
      const runId = mlflowRunIdOf(samples?.result, ...input.args);
      if (runId && samples) await this.monitor.logToMlflow(runId, samples.samples);
    }
  }
}
