/**
 * The local Correctly stack: Temporal dev server, the app database (PGlite unless DATABASE_URL is
 * set), MLflow and Chroma, each a real server started in the background under the state dir.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import type { z } from 'zod';
import { ALL_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import { CPU_QUEUE } from '../../contracts/queues';
import { type Config, endpoints, SETTINGS } from '../../config';
import { LanguageToolClient } from '../../adapters/languagetool';
import { LANGUAGETOOL_LIB, MLFLOW_EMPTY_DB, MLFLOW_SERVE, PGLITE_SERVER, PGLITE_TEMPLATES, PROJECT_ROOT, TOOLS_BIN } from '../../config/paths';
import { assertPortsFree, httpOk, nodeProgram, type PortSpec, ProcessManager, type ProcessSpec, StackError } from './process';

export { StackError } from './process';

export interface Component {
  name: 'temporal' | 'database' | 'mlflow' | 'chroma' | 'languagetool' | 'worker' | 'api';
  label: string;
  /** False when the config points at an external server, which the stack then only health-checks. */
  embedded: boolean;
  ports: PortSpec[];
  urls: Record<string, string>;
  process(): ProcessSpec;
  healthy(): Promise<boolean>;
  startTimeoutMs: number;
}

export function temporalBinary(c: Config): string {
  const candidates = [c.temporalBin, path.join(TOOLS_BIN, 'temporal')].filter(Boolean) as string[];
  for (const p of candidates) if (existsSync(p)) return p;
  try {
    return execFileSync('which', ['temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new StackError('Temporal CLI not found (looked in TEMPORAL_BIN, .tools/bin/temporal and PATH). Run `make setup` to build it, or set TEMPORAL_BIN.');
  }
}

function venvTool(c: Config, tool: string): string {
  const bin = path.join(endpoints(c).venvBin, tool);
  if (!existsSync(bin)) throw new StackError(`${tool} not found at ${bin}. Run \`make setup\` to create the Python venv, or set CORRECTLY_VENV.`);
  return bin;
}

let newsFlagSupported: boolean | undefined;
/** `--ui-disable-news-fetch` exists only in newer Temporal CLIs; pass it where the binary knows it. */
function uiNewsFlag(bin: string): string[] {
  newsFlagSupported ??= execFileSync(bin, ['server', 'start-dev', '--help'], { encoding: 'utf8' }).includes('ui-disable-news-fetch');
  return newsFlagSupported ? ['--ui-disable-news-fetch'] : [];
}

export function components(c: Config): Component[] {
  const e = endpoints(c);
  const host = c.bindHost;
  const [temporalHost, temporalPortStr] = c.temporalAddress.split(':');
  const temporalPort = Number(temporalPortStr);
  const mlflowPort = Number(new URL(e.mlflowUrl).port);
  const chromaPort = Number(new URL(e.chromaUrl).port);
  const dir = (sub: string) => path.join(e.stateDir, sub);
  return [
    {
      name: 'temporal',
      label: 'Temporal dev server',
      embedded: true,
      ports: [
        { port: temporalPort, what: 'the Temporal frontend (gRPC)', setting: 'TEMPORAL_ADDRESS' },
        { port: c.temporalUiPort, what: 'the Temporal Web UI', setting: 'TEMPORAL_UI_PORT' },
      ],
      urls: { grpc: c.temporalAddress, ui: e.temporalUiUrl },
      process: () => {
        const bin = temporalBinary(c);
        mkdirSync(dir('temporal'), { recursive: true });
        return {
          name: 'temporal',
          cmd: bin,
          args: [
            'server', 'start-dev',
            '--db-filename', path.join(dir('temporal'), 'temporal.db'),
            '--ip', temporalHost,
            '--port', String(temporalPort),
            '--ui-ip', host,
            '--ui-port', String(c.temporalUiPort),
            '--namespace', c.temporalNamespace,
            '--log-level', 'warn',
            ...ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${searchAttributeCliType(k.type)}`]),
            ...uiNewsFlag(bin),
          ],
          env: { TEMPORAL_VERSION_CHECK_DISABLED: '1' },
        };
      },
      healthy: async () => {
        if (!(await httpOk(e.temporalUiUrl))) return false;
        const conn = await Connection.connect({ address: c.temporalAddress, connectTimeout: 2000 });
        try {
          const res = await conn.healthService.check({});
          return res.status === 1; // SERVING
        } finally {
          await conn.close();
        }
      },
      startTimeoutMs: 60_000,
    },
    {
      name: 'database',
      label: e.embeddedDatabase ? 'PGlite (embedded PostgreSQL)' : 'PostgreSQL (DATABASE_URL)',
      embedded: e.embeddedDatabase,
      ports: [{ port: c.pglitePort, what: 'the embedded PGlite database', setting: 'PGLITE_PORT' }],
      urls: { postgres: e.databaseUrl.replace(/:[^:@/]*@/, ':****@') },
      process: () => ({
        name: 'database',
        cmd: process.execPath,
        args: [
          '--import', 'tsx',
          PGLITE_SERVER,
          '--dir', dir('pglite'),
          '--host', host,
          '--port', String(c.pglitePort),
          '--max-connections', String(c.pgliteMaxConnections),
          // a new data dir starts as a copy of an empty cluster made once (initdb costs ~6 CPU-s)
          '--template-dir', PGLITE_TEMPLATES,
        ],
        cwd: PROJECT_ROOT,
      }),
      healthy: async () => {
        const client = new pg.Client({ connectionString: e.databaseUrl, connectionTimeoutMillis: 2000 });
        try {
          await client.connect();
          await client.query('select 1');
          return true;
        } finally {
          await client.end().catch(() => {});
        }
      },
      startTimeoutMs: 60_000,
    },
    {
      name: 'mlflow',
      label: 'MLflow tracking server',
      embedded: e.embeddedMlflow,
      ports: [{ port: mlflowPort, what: 'the MLflow tracking server', setting: 'MLFLOW_PORT' }],
      urls: { ui: e.mlflowUrl },
      process: () => {
        // `mlflow server` with its uvicorn run in the same process (infra/mlflow/serve.py): the
        // server imports MLflow once instead of twice, ~6 s of CPU less per start.
        const python = venvTool(c, 'python');
        mkdirSync(dir('mlflow/artifacts'), { recursive: true });
        // A new database starts as a copy of the empty one setup.sh migrated (saves the server ~4 s
        // of migrations per start); without it, the server creates its own as before.
        const db = path.join(dir('mlflow'), 'mlflow.db');
        if (!existsSync(db) && existsSync(MLFLOW_EMPTY_DB)) copyFileSync(MLFLOW_EMPTY_DB, db);
        return {
          name: 'mlflow',
          cmd: python,
          args: [
            MLFLOW_SERVE,
            'server',
            '--host', host,
            '--port', String(mlflowPort),
            '--backend-store-uri', `sqlite:///${db}`,
            '--serve-artifacts',
            '--artifacts-destination', dir('mlflow/artifacts'),
            '--workers', '1',
          ],
          // serve.py also turns MLflow's job runner off.
          env: { MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
        };
      },
      healthy: () => httpOk(`${e.mlflowUrl}/health`),
      startTimeoutMs: 120_000,
    },
    {
      name: 'chroma',
      label: 'Chroma vector database',
      embedded: e.embeddedChroma,
      ports: [{ port: chromaPort, what: 'the Chroma server', setting: 'CHROMA_PORT' }],
      urls: { api: e.chromaUrl },
      process: () => {
        const bin = venvTool(c, 'chroma');
        mkdirSync(dir('chroma'), { recursive: true });
        return {
          name: 'chroma',
          cmd: bin,
          args: ['run', '--path', dir('chroma'), '--host', host, '--port', String(chromaPort)],
          env: { ANONYMIZED_TELEMETRY: 'False', CHROMA_TELEMETRY_DISABLED: 'true' },
        };
      },
      healthy: () => httpOk(`${e.chromaUrl}/api/v2/heartbeat`),
      startTimeoutMs: 60_000,
    },
    {
      name: 'languagetool',
      label: 'LanguageTool server',
      embedded: e.embeddedLanguagetool,
      ports: [{ port: c.languagetoolPort, what: 'the LanguageTool server', setting: 'LANGUAGETOOL_PORT' }],
      urls: { api: e.languagetoolUrl },
      process: () => languagetoolProcess(c, dir('languagetool')),
      // Ready once it checks English: the first check loads the rules (seconds on a busy machine).
      healthy: () => new LanguageToolClient(e.languagetoolUrl, { timeoutMs: 60_000 }).ready(),
      startTimeoutMs: 120_000,
    },
    {
      name: 'worker',
      label: `CPU worker (${CPU_QUEUE})`,
      embedded: true,
      ports: [],
      urls: { queue: CPU_QUEUE },
      process: () => ({
        name: 'worker',
        cmd: process.execPath,
        args: nodeProgram('worker', ['cpu']),
        cwd: PROJECT_ROOT,
        env: Object.fromEntries(Object.entries(settingsEnv(c)).filter(([, v]) => v !== undefined)) as Record<string, string>,
      }),
      // Healthy once Temporal sees a poller with this process's identity on the queue.
      healthy: async () => pollerAlive(c, CPU_QUEUE),
      startTimeoutMs: 120_000,
    },
    {
      name: 'api',
      label: 'Serving API and web page',
      embedded: true,
      ports: [{ port: c.apiPort, what: 'the serving API', setting: 'API_PORT' }],
      urls: { api: e.apiUrl, page: `${e.apiUrl}/`, dashboard: `${e.apiUrl}/dashboard`, openai: `${e.apiUrl}/v1` },
      process: () => ({
        name: 'api',
        cmd: process.execPath,
        args: nodeProgram('serve'),
        cwd: PROJECT_ROOT,
        env: Object.fromEntries(Object.entries(settingsEnv(c)).filter(([, v]) => v !== undefined)) as Record<string, string>,
      }),
      healthy: () => httpOk(`${e.apiUrl}/readyz`),
      startTimeoutMs: 120_000,
    },
  ];
}

/** Java 17 or newer: JAVA_BIN, then $JAVA_HOME/bin/java, then `java` on PATH; a missing one is one line naming the fix. */
export function javaBinary(c: Config): string {
  const candidates = [c.javaBin, process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin/java')].filter(Boolean) as string[];
  let bin = candidates.find((p) => existsSync(p));
  if (!bin) {
    try {
      bin = execFileSync('which', ['java'], { encoding: 'utf8' }).trim();
    } catch {
      throw new StackError('Java not found (looked in JAVA_BIN, $JAVA_HOME and PATH): LanguageTool needs Java 17+. Run `make setup` (installs openjdk-17-jre-headless on Debian), or set LANGUAGETOOL_URL to a running LanguageTool server.');
    }
  }
  const probe = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  const out = `${probe.stderr ?? ''}${probe.stdout ?? ''}`;
  const major = Number(/version "(\d+)/.exec(out)?.[1] ?? /version "1\.(\d+)/.exec(out)?.[1] ?? 0);
  if (major && major < 17) throw new StackError(`${bin} is Java ${major}; LanguageTool 6.8 needs Java 17+. Set JAVA_BIN to a newer java, or LANGUAGETOOL_URL to a running server.`);
  return bin;
}

function languagetoolProcess(c: Config, stateDir: string): ProcessSpec {
  const java = javaBinary(c);
  if (!existsSync(path.join(LANGUAGETOOL_LIB, 'languagetool-server-6.8.jar'))) {
    throw new StackError(`LanguageTool is not installed (${LANGUAGETOOL_LIB} has no languagetool-server-6.8.jar). Run \`make setup\`, or set LANGUAGETOOL_URL to a running server.`);
  }
  mkdirSync(stateDir, { recursive: true });
  // Limits protect the server from one huge text; the cache makes re-checked sentences (evaluation) cheap.
  const props = path.join(stateDir, 'server.properties');
  writeFileSync(props, ['maxTextLength=20000', 'maxCheckTimeMillis=20000', 'cacheSize=10000', 'pipelineCaching=true', `maxCheckThreads=${Math.max(2, os.availableParallelism())}`, ''].join('\n'));
  const loopback = c.bindHost === '127.0.0.1' || c.bindHost === 'localhost' || c.bindHost === '::1';
  return {
    name: 'languagetool',
    cmd: java,
    // TCP_NODELAY on its HTTP server (the JDK's, off by default): without it every answer on a
    // kept-alive connection waits for the client's delayed ACK, ~25–40 ms a request whatever the text.
    args: [`-Xmx${c.languagetoolHeap}`, '-XX:+UseSerialGC', '-Xss2m', '-Dsun.net.httpserver.nodelay=true', '-cp', `${LANGUAGETOOL_LIB}/*`, 'org.languagetool.server.HTTPServer', '--config', props, '--port', String(c.languagetoolPort), ...(loopback ? [] : ['--public'])],
  };
}

function searchAttributeCliType(type: string): string {
  return type === 'BOOL' ? 'Bool' : type === 'KEYWORD' ? 'Keyword' : type.charAt(0) + type.slice(1).toLowerCase();
}

export interface ComponentStatus {
  name: string;
  label: string;
  embedded: boolean;
  state: 'up' | 'down' | 'unhealthy';
  pid: number | null;
  urls: Record<string, string>;
}

export type StackPart = Component['name'];

export class Stack {
  readonly procs: ProcessManager;
  constructor(readonly config: Config) {
    this.procs = new ProcessManager(endpoints(config).stateDir);
  }

  private select(only?: StackPart[]) {
    return components(this.config).filter((c) => !only || only.includes(c.name));
  }

  /** Starts every embedded part not yet running, in parallel, and waits until all are healthy. */
  async up(only?: StackPart[], log: (line: string) => void = () => {}): Promise<ComponentStatus[]> {
    const parts = this.select(only);
    const toStart = parts.filter((p) => p.embedded && !this.procs.running(p.name));
    // Check every port before starting anything, so a conflict leaves nothing half-started.
    for (const p of toStart) await assertPortsFree(this.config.bindHost, p.ports);
    const specs = toStart.map((p) => ({ part: p, spec: p.process() }));
    const started: string[] = [];
    try {
      await Promise.all(
        specs.map(async ({ part, spec }) => {
          const pid = this.procs.start(spec);
          started.push(part.name);
          log(`starting ${part.label} (pid ${pid})`);
          await this.procs.waitHealthy(part.name, pid, part.healthy, part.startTimeoutMs, part.label);
          log(`${part.label} is up`);
        }),
      );
    } catch (e) {
      for (const name of started) await this.procs.stop(name);
      throw e;
    }
    return this.status(only);
  }

  async down(only?: StackPart[]): Promise<string[]> {
    const stopped: string[] = [];
    // Reverse order: dependants before what they depend on.
    for (const p of this.select(only).reverse()) if (await this.procs.stop(p.name)) stopped.push(p.name);
    return stopped;
  }

  async status(only?: StackPart[]): Promise<ComponentStatus[]> {
    return Promise.all(
      this.select(only).map(async (p) => {
        const pid = p.embedded ? this.procs.running(p.name) : null;
        const healthy = await p.healthy().catch(() => false);
        const state: ComponentStatus['state'] = healthy ? 'up' : pid ? 'unhealthy' : 'down';
        return { name: p.name, label: p.label, embedded: p.embedded, state, pid, urls: p.urls };
      }),
    );
  }
}

/** The config as env vars, so a child process (a worker) sees exactly this config. */
function settingsEnv(c: Config): Record<string, string | undefined> {
  return Object.fromEntries(
    (Object.entries(SETTINGS) as [keyof typeof SETTINGS, { env: string; schema: z.ZodType }][]).map(([k, s]) => [s.env, c[k] === undefined ? undefined : asEnvValue(s.schema, c[k])]),
  );
}

/** A parsed value as the child must read it back: durations are parsed to ms, so "900000" becomes "900000ms". */
function asEnvValue(schema: z.ZodType, v: unknown): string {
  const raw = String(v);
  return typeof v === 'number' && !schema.safeParse(raw).success && schema.safeParse(`${raw}ms`).success ? `${raw}ms` : raw;
}

async function pollerAlive(c: Config, queue: string): Promise<boolean> {
  const conn = await Connection.connect({ address: c.temporalAddress, connectTimeout: 2000 });
  try {
    const res = await conn.workflowService.describeTaskQueue({ namespace: c.temporalNamespace, taskQueue: { name: queue }, taskQueueType: 1 });
    return (res.pollers ?? []).some((p) => p.identity?.startsWith('cpu-worker@'));
  } finally {
    await conn.close();
  }
}
