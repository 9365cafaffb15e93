/**
 * Background server processes with pid files, logs, port checks and health waits.
 * Each process runs in its own process group, so `stop` takes its children with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUILD_DIR, ENSURE_BUILD, SERVE_MAIN, WORKER_MAIN } from '../../config/paths';

/** An error an operator can act on: one line naming the cause and the fix. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

export interface PortSpec {
  port: number;
  /** What listens there, e.g. "the Temporal Web UI". */
  what: string;
  /** The setting that moves it, e.g. "TEMPORAL_UI_PORT". */
  setting: string;
}

export interface ProcessSpec {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

interface PidRecord {
  pid: number;
  cmd: string;
  startedAt: string;
}

export class ProcessManager {
  constructor(readonly stateDir: string) {}

  private pidFile(name: string) {
    return path.join(this.stateDir, 'run', `${name}.pid.json`);
  }

  logFile(name: string) {
    return path.join(this.stateDir, 'logs', `${name}.log`);
  }

  /** The pid of a live process we started, or null (a stale pid file is removed). */
  running(name: string): number | null {
    const file = this.pidFile(name);
    if (!existsSync(file)) return null;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    if (isAlive(rec.pid)) return rec.pid;
    rmSync(file, { force: true });
    return null;
  }

  start(spec: ProcessSpec): number {
    mkdirSync(path.join(this.stateDir, 'run'), { recursive: true });
    mkdirSync(path.join(this.stateDir, 'logs'), { recursive: true });
    const log = openSync(this.logFile(spec.name), 'a');
    const child = spawn(spec.cmd, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true, // own process group: survives our exit, and stop() can signal the whole group
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    if (!child.pid) throw new StackError(`${spec.name}: could not start ${spec.cmd}`);
    child.unref();
    const rec: PidRecord = { pid: child.pid, cmd: [spec.cmd, ...spec.args].join(' '), startedAt: new Date().toISOString() };
    writeFileSync(this.pidFile(spec.name), JSON.stringify(rec));
    return child.pid;
  }

  /** SIGTERM the process group, then SIGKILL after `graceMs`. */
  async stop(name: string, graceMs = 15_000): Promise<boolean> {
    const pid = this.running(name);
    if (!pid) return false;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && isAlive(pid)) await sleep(100);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
    // Children that ignored SIGTERM (e.g. server workers) go with the group.
    signalGroup(pid, 'SIGKILL');
    rmSync(this.pidFile(name), { force: true });
    return true;
  }

  /** Waits until `healthy()` is true; fails with the log tail if the process dies or time runs out. */
  async waitHealthy(name: string, pid: number, healthy: () => Promise<boolean>, timeoutMs: number, label: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) {
        throw new StackError(`${label} exited during start-up. Last log lines (${this.logFile(name)}):\n${this.logTail(name)}`);
      }
      if (await healthy().catch(() => false)) return;
      await sleep(250);
    }
    throw new StackError(`${label} did not become healthy within ${Math.round(timeoutMs / 1000)} s. Last log lines (${this.logFile(name)}):\n${this.logTail(name)}`);
  }

  logTail(name: string, lines = 15): string {
    const file = this.logFile(name);
    if (!existsSync(file)) return '(no log)';
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `  ${l}`).join('\n');
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) still answers kill(0); /proc tells it apart.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Fails with a clear error if any port is taken. */
export async function assertPortsFree(host: string, ports: PortSpec[]): Promise<void> {
  for (const p of ports) {
    if (!(await portFree(host, p.port))) {
      throw new StackError(
        `Port ${p.port} for ${p.what} is already in use on ${host}. Stop the process using it (see \`ss -ltnp 'sport = :${p.port}'\`) or set ${p.setting} to a free port.`,
      );
    }
  }
}

export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The project's long-running Node programs. */
export type NodeProgram = 'serve' | 'worker';

/** Node's arguments for a program: its entry in the compiled build (dist/cli), or its source through tsx. */
export function programArgs(program: NodeProgram, from: 'build' | 'source', args: readonly string[] = []): string[] {
  if (from === 'build') return [path.join(BUILD_DIR, `${program}.js`), ...args];
  return ['--import', 'tsx', program === 'serve' ? SERVE_MAIN : WORKER_MAIN, ...args];
}

/**
 * Node's arguments for one of the project's long-running programs (the serving API, the worker):
 * from the compiled build when the build is current (scripts/ensure-build.sh builds it when a
 * source is newer: a few milliseconds when nothing changed), else from source through tsx. From
 * the build a process and each of its engine threads start ~3 CPU-s cheaper.
 */
export function nodeProgram(program: NodeProgram, args: readonly string[] = []): string[] {
  const built = programArgs(program, 'build', args);
  if (process.env.CORRECTLY_FROM_SOURCE !== '1' && spawnSync('bash', [ENSURE_BUILD], { stdio: 'ignore' }).status === 0 && existsSync(built[0])) return built;
  return programArgs(program, 'source', args);
}

/** A free TCP port chosen by the OS (for tests and for servers that need a side port). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host, port: 0 }, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  return res.ok;
}
