import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectlyClient } from '../../client';
import { endpoints, loadConfig } from '../../config';
import { Stack, StackError } from '../../ops/stack/index';
import { freePort, isAlive } from '../../ops/stack/process';
import { createWorker } from '../../worker/run';
import { isolatedEnv, startTestStack, type TestStack } from '../support/stack';

const exec = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '../../bin/correctly');

describe('the local stack', () => {
  let ts: TestStack;
  beforeAll(async () => {
    ts = await startTestStack(['temporal', 'database', 'mlflow', 'chroma']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('reports every part up with its URL', async () => {
    const rows = await ts.stack.status(ts.parts);
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['temporal', 'up'], ['database', 'up'], ['mlflow', 'up'], ['chroma', 'up'],
    ]);
    expect(rows[0].urls.ui).toBe(`http://127.0.0.1:${ts.config.temporalUiPort}`);
    const ui = await fetch(rows[0].urls.ui);
    expect(ui.status).toBe(200);
  });

  it('MLflow answers its REST API', async () => {
    const mlflow = endpoints(ts.config).mlflowUrl;
    const created = await fetch(`${mlflow}/api/2.0/mlflow/experiments/create`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'stack-test' }),
    });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    const got = (await (await fetch(`${mlflow}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`)).json()) as { experiment: { name: string } };
    expect(got.experiment.name).toBe('stack-test');
  });

  it('MLflow serves from one Python process (infra/mlflow/serve.py: no second process importing MLflow again)', async () => {
    const pid = ts.stack.procs.running('mlflow');
    expect(pid).toBeTruthy();
    // The kernel's list of the process's children (Linux), read directly: a failed read fails the test.
    expect(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()).toBe('');
  });

  it('Chroma answers over HTTP and stores vectors', async () => {
    const url = new URL(endpoints(ts.config).chromaUrl);
    const chroma = new ChromaClient({ host: url.hostname, port: Number(url.port), ssl: false });
    expect(await chroma.heartbeat()).toBeGreaterThan(0);
    const col = await chroma.getOrCreateCollection({ name: 'stack_test', embeddingFunction: null });
    await col.add({ ids: ['a', 'b'], embeddings: [[1, 0, 0], [0, 1, 0]], documents: ['one', 'two'] });
    const res = await col.query({ queryEmbeddings: [[0.9, 0.1, 0]], nResults: 1 });
    expect(res.ids[0]).toEqual(['a']);
  });

  it('runs a workflow with an activity on the real Temporal server, reaching every dependency', async () => {
    const worker = await createWorker('cpu', ts.config);
    const running = worker.run();
    const client = await CorrectlyClient.connect(ts.config);
    try {
      const report = await client.healthCheck();
      expect(report.database).toMatchObject({ ok: true });
      expect(report.database.migrations).toBeGreaterThanOrEqual(1);
      expect(report.mlflow.ok).toBe(true);
      expect(report.chroma.ok).toBe(true);
    } finally {
      await client.close();
      worker.worker.shutdown();
      await running;
    }
  });

  it('`correctly stack status` prints each part with its URL', async () => {
    const env = { ...process.env, CORRECTLY_STATE_DIR: ts.stateDir, TEMPORAL_ADDRESS: ts.config.temporalAddress, TEMPORAL_UI_PORT: String(ts.config.temporalUiPort), PGLITE_PORT: String(ts.config.pglitePort), MLFLOW_PORT: String(ts.config.mlflowPort), CHROMA_PORT: String(ts.config.chromaPort) };
    // only the parts this test started: `status` exits 3 when a named part is down
    const { stdout } = await exec(CLI, ['stack', 'status', ...ts.parts], { env });
    expect(stdout).toMatch(/temporal\s+up\s+\d+\s+grpc: 127\.0\.0\.1:\d+\s+ui: http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/mlflow\s+up/);
  });

  it('`up` is idempotent: running parts are left alone', async () => {
    const before = (await ts.stack.status(ts.parts)).map((r) => r.pid);
    const after = (await ts.stack.up(ts.parts)).map((r) => r.pid);
    expect(after).toEqual(before);
  });
});

describe('stack errors', () => {
  it('a taken port fails with one clear line naming the port, the part and the fix', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const config = loadConfig({ ...(await isolatedEnv()), MLFLOW_PORT: String(port) });
      const err = await new Stack(config).up(['mlflow']).catch((e) => e);
      expect(err).toBeInstanceOf(StackError);
      expect(err.message).toBe(
        `Port ${port} for the MLflow tracking server is already in use on 127.0.0.1. Stop the process using it (see \`ss -ltnp 'sport = :${port}'\`) or set MLFLOW_PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('a missing tool names it and the fix', async () => {
    const config = loadConfig({ ...(await isolatedEnv()), CORRECTLY_VENV: '/nonexistent/venv' });
    await expect(new Stack(config).up(['chroma'])).rejects.toThrow(/chroma not found at \/nonexistent\/venv\/bin\/chroma\. Run `make setup`/);
  });

  it('a server that dies at start-up reports its log', async () => {
    // MLflow exits on an unknown flag: the error must carry the log that says so.
    const env = await isolatedEnv();
    const config = loadConfig({ ...env, CORRECTLY_VENV: path.resolve('.venv') });
    const stack = new Stack(config);
    const parts = (await import('../../ops/stack/index')).components(config);
    const mlflow = parts.find((p) => p.name === 'mlflow')!;
    const spec = mlflow.process();
    spec.args.push('--no-such-flag');
    const pid = stack.procs.start(spec);
    const err = await stack.procs.waitHealthy('mlflow', pid, mlflow.healthy, 60_000, mlflow.label).catch((e) => e);
    expect(err).toBeInstanceOf(StackError);
    expect(err.message).toMatch(/MLflow tracking server exited during start-up\. Last log lines/);
    expect(err.message).toMatch(/no-such-flag/);
  });

  it('`down` leaves no stray processes', async () => {
    const ts = await startTestStack(['database', 'chroma']);
    const pids = (await ts.stack.status(['database', 'chroma'])).map((r) => r.pid!);
    expect(pids.every((p) => p && isAlive(p))).toBe(true);
    await ts.stop();
    expect(pids.some((p) => isAlive(p))).toBe(false);
    expect((await ts.stack.status(['database', 'chroma'])).map((r) => r.state)).toEqual(['down', 'down']);
  });
});
