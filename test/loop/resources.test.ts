/** Resource monitoring: samples, the Prometheus endpoint, MLflow system-metric keys, nvidia-smi parsing. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mlflowRunIdOf, mlflowSystemMetrics, parseNvidiaSmi, ResourceMonitor, ResourceSampler } from '../../ops/monitoring/resources';

// A stand-in executable answering the query the sampler sends, so the GPU path runs end to end here.
const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-smi-'));
const fakeSmi = path.join(dir, 'nvidia-smi');
writeFileSync(fakeSmi, '#!/bin/sh\necho "0, 87, 30512, 81559"\necho "1, 3, 1024, 81559"\n');
chmodSync(fakeSmi, 0o755);

describe('resource monitoring', () => {
  const monitors: ResourceMonitor[] = [];
  afterAll(async () => {
    for (const m of monitors) await m.close();
  });

  it('parses nvidia-smi CSV and skips junk lines', () => {
    expect(parseNvidiaSmi('0, 87, 30512, 81559\n\nNo devices were found\n1, 3, 1024, 81559\n')).toEqual([
      { index: 0, utilizationPercent: 87, memoryUsedMiB: 30512, memoryTotalMiB: 81559 },
      { index: 1, utilizationPercent: 3, memoryUsedMiB: 1024, memoryTotalMiB: 81559 },
    ]);
  });

  it('samples CPU and memory; no GPU where nvidia-smi is missing', async () => {
    const sampler = new ResourceSampler('/nonexistent/nvidia-smi');
    await sampler.sample();
    let x = 0;
    for (let i = 0; i < 3e6; i++) x += Math.sqrt(i); // some CPU work between samples
    const s = await sampler.sample();
    expect(x).toBeGreaterThan(0);
    expect(s.cpuPercent).toBeGreaterThan(0);
    expect(s.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(s.systemMemoryPercent).toBeGreaterThan(0);
    expect(s.systemMemoryPercent).toBeLessThanOrEqual(100);
    expect(s.gpus).toEqual([]);
  });

  it('serves Prometheus metrics, GPU included when nvidia-smi answers, and samples during work', async () => {
    const m = new ResourceMonitor({ worker: 'test-worker', intervalMs: 20, nvidiaSmi: fakeSmi });
    monitors.push(m);
    const port = await m.listen(0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    const { result, samples } = await m.during(async () => {
      await new Promise((r) => setTimeout(r, 150));
      return 'done';
    });
    expect(result).toBe('done');
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples[0].gpus[0]).toEqual({ index: 0, utilizationPercent: 87, memoryUsedMiB: 30512, memoryTotalMiB: 81559 });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/correctly_worker_cpu_percent\{worker="test-worker"\} [\d.e+-]+/);
    expect(text).toMatch(/correctly_worker_memory_rss_bytes\{worker="test-worker"\} \d+/);
    expect(text).toContain('correctly_gpu_utilization_percent{gpu="0",worker="test-worker"} 87');
    expect(text).toContain(`correctly_gpu_memory_used_bytes{gpu="1",worker="test-worker"} ${1024 * 2 ** 20}`);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    // A taken port is reported, not fatal.
    const other = new ResourceMonitor({ worker: 'w2', intervalMs: 1000, log: (msg) => logs.push(msg) });
    const logs: string[] = [];
    expect(await other.listen(port!, '127.0.0.1')).toBeNull();
    expect(logs[0]).toMatch(/^WARNING worker metrics: port \d+ on 127\.0\.0\.1 is already in use .*WITHOUT a Prometheus \/metrics endpoint.*WORKER_METRICS_PORT/);
  });

  it('MLflow system metric keys and run ids', () => {
    const keys = Object.keys(mlflowSystemMetrics({ at: 0, cpuPercent: 50, systemCpuPercent: 20, rssBytes: 2 ** 20, systemMemoryUsedBytes: 2 ** 30, systemMemoryPercent: 40, gpus: [{ index: 0, utilizationPercent: 1, memoryUsedMiB: 2, memoryTotalMiB: 4 }] }));
    expect(keys).toEqual([
      'system/cpu_utilization_percentage',
      'system/system_memory_usage_megabytes',
      'system/system_memory_usage_percentage',
      'system/process_cpu_utilization_percentage',
      'system/process_memory_rss_megabytes',
      'system/gpu_0_utilization_percentage',
      'system/gpu_0_memory_usage_megabytes',
      'system/gpu_0_memory_usage_percentage',
    ]);
    expect(mlflowRunIdOf({ runId: 'a'.repeat(32) })).toBe('a'.repeat(32));
    expect(mlflowRunIdOf({ pipelineId: 'x' }, { runId: 'short' })).toBeNull();
  });
});
