/**
 * What starting the stack's Node programs costs, wall time and CPU seconds of the process (all its
 * threads, from /proc/<pid>/stat) until it is usable, each way it can start:
 * - PGlite on a new data directory: initdb in WebAssembly, or a copy of the template cluster
 *   (infra/pglite-server.ts --template-dir); until it accepts connections;
 * - the serving API (2 engine threads): from source through tsx, or from the build (dist/cli);
 *   until /readyz says ready (the engine threads warmed);
 * - the CPU worker: from source or from the build; until it says it is polling.
 * Each measured `REPEAT` times (default 3), alternating, on a private Temporal + PGlite stack.
 *   npx tsx bench/stack-start.bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGLITE_SERVER, PGLITE_TEMPLATES, PROJECT_ROOT } from '../config/paths';
import { freePort, httpOk, nodeProgram, portFree, programArgs } from '../ops/stack/process';
import { stackEnv, startTestStack } from '../test/support/stack';
import { machine } from './machine';

const REPEAT = Number(process.env.REPEAT ?? 3);
nodeProgram('serve'); // builds dist/cli first when it is not current

/** Wall seconds and the process's CPU seconds when `ready()` first holds. */
async function startCost(args: string[], env: Record<string, string | undefined>, ready: (child: ChildProcess, out: () => string) => Promise<boolean>): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  try {
    while (!(await ready(child, () => out).catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const wall = (performance.now() - t0) / 1000;
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 a second on Linux)
    return { wall, cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

const rows = new Map<string, { wall: number; cpu: number }[]>();
const record = (name: string, r: { wall: number; cpu: number }) => rows.set(name, [...(rows.get(name) ?? []), r]);

// PGlite: a new data directory each time, without and with the template.
const work = mkdtempSync(path.join(os.tmpdir(), 'correctly-bench-start-'));
for (let i = 0; i < REPEAT; i++) {
  for (const template of [false, true]) {
    const port = await freePort();
    const args = ['--import', 'tsx', PGLITE_SERVER, '--dir', path.join(work, `pg-${template}-${i}`), '--host', '127.0.0.1', '--port', String(port), ...(template ? ['--template-dir', PGLITE_TEMPLATES] : [])];
    record(template ? 'PGlite, new data directory from the template' : 'PGlite, new data directory (initdb)', await startCost(args, process.env, async () => !(await portFree('127.0.0.1', port))));
  }
}
rmSync(work, { recursive: true, force: true });

// The API and the worker, on a private Temporal + PGlite stack.
const ts = await startTestStack(['temporal', 'database']);
try {
  for (let i = 0; i < REPEAT; i++) {
    for (const from of ['source', 'build'] as const) {
      const apiPort = await freePort();
      const env = { ...process.env, ...stackEnv(ts.config, { API_PORT: String(apiPort), ENGINE_THREADS: '2', WORKER_METRICS_PORT: '0' }) };
      record(`serving API to /readyz, from ${from}`, await startCost(programArgs('serve', from), env, () => httpOk(`http://127.0.0.1:${apiPort}/readyz`)));
      record(`CPU worker to polling, from ${from}`, await startCost(programArgs('worker', from, ['cpu']), env, async (_c, out) => out().includes('polling')));
    }
  }
} finally {
  await ts.stop();
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
console.log(`# Stack start-up cost  (${machine()})\n`);
console.log(`${REPEAT} starts each, alternating; CPU seconds of the process and all its threads.\n`);
console.log('| start | wall s | CPU s |');
console.log('| --- | --- | --- |');
for (const [name, rs] of rows) console.log(`| ${name} | ${range(rs.map((r) => r.wall))} | ${range(rs.map((r) => r.cpu))} |`);
process.exit(0);
