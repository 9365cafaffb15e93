/**
 * What listens where (issue 15): the API and worker metrics bind to CORRECTLY_BIND_HOST (default
 * 127.0.0.1, never every interface unless asked); a second worker on the same host says clearly
 * that it has no metrics endpoint; a taken API port is one clear start-up error naming API_PORT.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { ResourceMonitor, serveWorkerMetrics } from '../../core/monitoring/resources';
import { freePort } from '../../core/stack/process';
import { startServingApi } from '../../serve/server';
import { stackEnv } from '../support/stack';
import { type ServeHarness, startServeHarness } from './support';

let h: ServeHarness;
const monitors: ResourceMonitor[] = [];
beforeAll(async () => {
  h = await startServeHarness(['database']);
}, 180_000);
afterAll(async () => {
  for (const m of monitors) await m.close();
  await h?.stop();
}, 60_000);

/** The config a worker on this machine would load, with only the given settings from outside. */
const workerConfig = (env: Record<string, string>) => loadConfig({ PATH: process.env.PATH, CORRECTLY_CONFIG: '', ...env });

describe('worker metrics', () => {
  it('listen on 127.0.0.1 by default, on CORRECTLY_BIND_HOST when set', async () => {
    const port = await freePort();
    const m = new ResourceMonitor({ worker: 'w1', intervalMs: 1000 });
    monitors.push(m);
    expect(await serveWorkerMetrics(m, workerConfig({ WORKER_METRICS_PORT: String(port) }))).toBe(port);
    expect(m.address()).toEqual({ host: '127.0.0.1', port });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

    const other = new ResourceMonitor({ worker: 'w-any', intervalMs: 1000 });
    monitors.push(other);
    const anyPort = await freePort();
    await serveWorkerMetrics(other, workerConfig({ WORKER_METRICS_PORT: String(anyPort), CORRECTLY_BIND_HOST: '0.0.0.0' }));
    expect(other.address()).toEqual({ host: '0.0.0.0', port: anyPort });
  });

  it('a second worker on the same host says clearly that it has no endpoint, naming the setting', async () => {
    const port = await freePort();
    const first = new ResourceMonitor({ worker: 'cpu-worker@1', intervalMs: 1000 });
    const logs: string[] = [];
    const second = new ResourceMonitor({ worker: 'cpu-worker@2', intervalMs: 1000, log: (l) => logs.push(l) });
    monitors.push(first, second);
    const config = workerConfig({ WORKER_METRICS_PORT: String(port) });
    expect(await serveWorkerMetrics(first, config)).toBe(port);
    expect(await serveWorkerMetrics(second, config)).toBeNull();
    expect(second.address()).toBeNull();
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^WARNING worker metrics: port ${port} on 127\\.0\\.0\\.1 is already in use .*cpu-worker@2.*WITHOUT a Prometheus /metrics endpoint.*WORKER_METRICS_PORT`))]);
  });
});

describe('serving API', () => {
  it('listens on 127.0.0.1 by default', async () => {
    const api = await h.startApi();
    const addr = api.app.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('a taken port is one clear error naming API_PORT', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const config = loadConfig({ ...process.env, ...stackEnv(h.config), API_PORT: String(port) });
      await expect(startServingApi(config, { db: h.db, logLevel: false })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use: stop the process using it, or set API_PORT to a free port`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
