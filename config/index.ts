/**
 * One config object for every Correctly process, validated once at start-up.
 *
 * Each setting is declared once in SETTINGS: its environment variable, its zod schema, its default
 * and whether it is a secret. Values come from (lowest to highest precedence) the defaults, an
 * optional JSON file named by CORRECTLY_CONFIG, and the environment.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseBoolean, parseDuration } from '../core/values';

const port = z.coerce.number().int().min(1, 'must be a port number 1-65535').max(65535, 'must be a port number 1-65535');
const url = z.string().url('must be a URL such as http://127.0.0.1:5000');
const optionalString = z.string().min(1).optional();
const boolFlag = z
  .string()
  .refine((v) => parseBoolean(v) !== null, 'must be true or false (or yes/no, on/off, 1/0)')
  .transform((v) => parseBoolean(v)!);
/** A duration such as 90s, 15m, 6h, 1d, as milliseconds. */
const duration = z
  .string()
  .refine((v) => parseDuration(v) !== null, 'must be a duration such as 30s, 15m, 6h or 1d')
  .transform((v) => parseDuration(v)!);
const jsonObject = z.string().transform((v, ctx) => {
  try {
    const o = JSON.parse(v);
    if (o && typeof o === 'object' && !Array.isArray(o)) return o as Record<string, unknown>;
  } catch {}
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"ksPValue":0.01}' });
  return z.NEVER;
});

/** "https://a.example, http://localhost:3000": origins (scheme://host[:port]), or "*". */
const corsOrigins = z.string().transform((v, ctx) => {
  const list = v.split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of list) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin such as https://app.example.org (no path, no trailing slash)` });
  }
  return list;
});

export interface ApiKey {
  name: string;
  /** SHA-256 of the key, hex: the key itself is never configured or stored. */
  sha256: string;
  /** Requests per minute; default API_RATE_LIMIT. */
  perMinute?: number;
}
/** "name:sha256hex[:perMinute]", comma-separated: the keys, and what is wrong with the entries that are not. */
export function parseApiKeys(v: string): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  for (const entry of v.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([\w.-]{1,40}):([0-9a-f]{64})(?::(\d{1,7}))?$/i.exec(entry);
    if (!m) {
      problems.push(`"${entry.slice(0, 20)}…" must be name:sha256hex[:requests per minute] (run \`correctly api-key new NAME\`)`);
      continue;
    }
    if (keys.some((k) => k.name === m[1])) problems.push(`key name "${m[1]}" is used twice`);
    keys.push({ name: m[1], sha256: m[2].toLowerCase(), ...(m[3] ? { perMinute: Number(m[3]) } : {}) });
  }
  return { keys, problems };
}
/** Kept as the text (child processes get it back as is); parsed where used, with parseApiKeys. */
const apiKeys = z.string().superRefine((v, ctx) => {
  for (const message of parseApiKeys(v).problems) ctx.addIssue({ code: 'custom', message });
});

interface Setting<S extends z.ZodType = z.ZodType> {
  env: string;
  schema: S;
  default?: string;
  secret?: boolean;
  /** How `correctly config` shows the value (default: as is, or masked when secret). */
  display?: (value: never) => string;
  help: string;
}

function setting<S extends z.ZodType>(s: Setting<S>): Setting<S> {
  return s;
}

/** Every setting, keyed by its path in the config object. */
export const SETTINGS = {
  stateDir: setting({ env: 'CORRECTLY_STATE_DIR', schema: z.string().min(1), default: '.state', help: 'Where local servers keep their data (Temporal DB, PGlite, MLflow, Chroma, DVC remote).' }),
  evalCacheDir: setting({ env: 'CORRECTLY_EVAL_CACHE_DIR', schema: optionalString, help: 'Where evaluation keeps the outputs of the systems that only change with the code (the base ensemble per commit, Harper per version, rules models by what they learned) and, under answers/, Harper\'s lints by text for training and evaluation; shared by stacks that point at it. Unset: <state dir>/cache/eval.' }),
  bindHost: setting({ env: 'CORRECTLY_BIND_HOST', schema: z.string().min(1), default: '127.0.0.1', help: 'Address every local server listens on: the API, worker metrics, and the stack (PGlite, MLflow, Chroma, Temporal UI). 0.0.0.0 only inside a private network (compose).' }),

  temporalAddress: setting({ env: 'TEMPORAL_ADDRESS', schema: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'), default: '127.0.0.1:7233', help: 'Temporal frontend gRPC address.' }),
  temporalNamespace: setting({ env: 'TEMPORAL_NAMESPACE', schema: z.string().min(1), default: 'default', help: 'Temporal namespace.' }),
  temporalUiPort: setting({ env: 'TEMPORAL_UI_PORT', schema: port, default: '8233', help: 'Port of the Temporal Web UI started by `correctly stack up`.' }),
  temporalBin: setting({ env: 'TEMPORAL_BIN', schema: optionalString, help: 'Temporal CLI binary; default: .tools/bin/temporal, then `temporal` on PATH.' }),

  databaseUrl: setting({ env: 'DATABASE_URL', schema: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(), secret: true, help: 'PostgreSQL URL. Unset: the embedded PGlite served on PGLITE_PORT.' }),
  pglitePort: setting({ env: 'PGLITE_PORT', schema: port, default: '54329', help: 'Port of the embedded PGlite wire-protocol server.' }),
  pgliteMaxConnections: setting({ env: 'PGLITE_MAX_CONNECTIONS', schema: z.coerce.number().int().min(1).max(100), default: '16', help: 'Concurrent client connections PGlite accepts.' }),

  mlflowPort: setting({ env: 'MLFLOW_PORT', schema: port, default: '5000', help: 'Port of the local MLflow tracking server.' }),
  mlflowTrackingUri: setting({ env: 'MLFLOW_TRACKING_URI', schema: url.optional(), help: 'MLflow server URL. Unset: the local one on MLFLOW_PORT.' }),
  mlflowModelName: setting({ env: 'MLFLOW_MODEL_NAME', schema: z.string().min(1), default: 'correctly-corrector', help: 'Registered model name.' }),
  chromaPort: setting({ env: 'CHROMA_PORT', schema: port, default: '8000', help: 'Port of the local Chroma server.' }),
  chromaUrl: setting({ env: 'CHROMA_URL', schema: url.optional(), help: 'Chroma server URL. Unset: the local one on CHROMA_PORT.' }),
  apiPort: setting({ env: 'API_PORT', schema: port, default: '8080', help: 'Port of the serving API and web page.' }),
  apiMaxChars: setting({ env: 'API_MAX_CHARS', schema: z.coerce.number().int().min(1).max(100_000), default: '2000', help: 'Longest text (characters) the serving API corrects.' }),
  apiMaxTokens: setting({ env: 'API_MAX_TOKENS', schema: z.coerce.number().int().min(1).max(100_000), default: '400', help: 'Most o200k_base tokens in a text the serving API corrects.' }),
  apiProfanity: setting({ env: 'API_PROFANITY', schema: z.enum(['mask', 'refuse']), default: 'mask', help: 'Serving API profanity policy: mask the words, or refuse the request (422).' }),
  apiRateLimit: setting({ env: 'API_RATE_LIMIT', schema: z.coerce.number().int().min(1), default: '120', help: 'Requests per minute per client IP on /v1 and /admin (a configured API key has its own quota, see API_KEYS).' }),
  apiCorsOrigins: setting({ env: 'API_CORS_ORIGINS', schema: corsOrigins.optional(), help: 'Origins whose web pages may call the public API (comma-separated, e.g. https://app.example.org). Unset: same origin only. Admin routes never allow CORS.' }),
  languagetoolUrl: setting({ env: 'LANGUAGETOOL_URL', schema: url.optional(), help: 'A running LanguageTool server (e.g. http://languagetool:8010). Unset: the local one on LANGUAGETOOL_PORT (stack part `languagetool`).' }),
  languagetoolPort: setting({ env: 'LANGUAGETOOL_PORT', schema: port, default: '8081', help: 'Port of the local LanguageTool server started by `correctly stack up`.' }),
  languagetoolHeap: setting({ env: 'LANGUAGETOOL_HEAP', schema: z.string().regex(/^\d+[mg]$/i, 'must be a Java heap size such as 256m or 1g'), default: '512m', help: 'Java heap of the local LanguageTool server (-Xmx). Below ~384m it spends most of its time collecting garbage (docs/benchmarks.md).' }),
  javaBin: setting({ env: 'JAVA_BIN', schema: optionalString, help: 'Java 17+ for the local LanguageTool server. Unset: $JAVA_HOME/bin/java, then `java` on PATH.' }),
  dvcRemote: setting({ env: 'DVC_REMOTE', schema: optionalString, help: 'DVC remote for datasets (any DVC URL). Unset: <state dir>/dvc-remote.' }),
  servingUrl: setting({ env: 'CORRECTLY_SERVING_URL', schema: url.optional(), help: 'Serving API the deploy stage notifies. Unset: the local one on API_PORT.' }),
  venvDir: setting({ env: 'CORRECTLY_VENV', schema: z.string().min(1), default: '.venv', help: 'Python venv holding mlflow, dvc and chroma.' }),

  openaiApiKey: setting({ env: 'OPENAI_API_KEY', schema: optionalString, secret: true, help: 'Enables the OpenAI teacher, baseline and judge.' }),
  openaiBaseUrl: setting({ env: 'OPENAI_BASE_URL', schema: url.optional(), help: 'Any OpenAI-compatible server.' }),
  openaiModel: setting({ env: 'OPENAI_MODEL', schema: z.string().min(1), default: 'gpt-4o-mini', help: 'OpenAI model for teacher/baseline/judge.' }),
  ollamaHost: setting({ env: 'OLLAMA_HOST', schema: url.optional(), help: 'Ollama server URL; enables the Ollama backends.' }),
  ollamaModel: setting({ env: 'OLLAMA_MODEL', schema: z.string().min(1), default: 'gemma3:1b', help: 'Ollama model name.' }),

  trainerPython: setting({ env: 'CORRECTLY_TRAINER_PYTHON', schema: optionalString, help: 'Python with trainer/requirements.txt (LoRA fine-tune and local generation). Unset: .venv-trainer/bin/python if present, else python3.' }),
  loraBase: setting({ env: 'CORRECTLY_LORA_BASE', schema: z.string().min(1), default: 'google/gemma-3-1b-it', help: 'Base model of the LoRA fine-tune: a Hugging Face name or a local directory.' }),
  loraMaxNewTokens: setting({ env: 'CORRECTLY_LORA_MAX_NEW_TOKENS', schema: z.coerce.number().int().min(8).max(4096), default: '256', help: 'Upper bound on tokens a locally run fine-tune may generate per correction (evaluation and serving without Ollama).' }),
  loraArgs: setting({ env: 'CORRECTLY_LORA_ARGS', schema: z.string().default(''), default: '', help: 'Extra trainer arguments, space-separated (e.g. "--max-steps 500 --batch-size 4").' }),

  // The engine pool (adapters/engine-pool/pool.ts): corrections and other CPU-bound work run in worker threads.
  engineThreads: setting({ env: 'ENGINE_THREADS', schema: z.coerce.number().int().min(1).max(256), default: String(availableParallelism()), help: 'Worker threads that correct, per serving API or worker process (default: the cores).' }),
  engineTimeout: setting({ env: 'ENGINE_TIMEOUT', schema: duration, default: '10s', help: 'Time limit of one correction, queue wait included; an engine thread still running at the limit is stopped and replaced.' }),
  engineMaxTokenChars: setting({ env: 'ENGINE_MAX_TOKEN_CHARS', schema: z.coerce.number().int().min(0), default: '64', help: 'A sentence with a longer run of non-space characters (URL, hash, no spaces) is passed through untouched; 0: no limit.' }),
  engineWholeUpTo: setting({ env: 'ENGINE_WHOLE_UP_TO', schema: z.coerce.number().int().min(1), default: '500', help: 'Texts up to this many characters are corrected whole; longer ones sentence by sentence.' }),
  engineModules: setting({ env: 'ENGINE_MODULES', schema: z.string().default('').transform((v) => v.split(',').map((m) => m.trim()).filter(Boolean).map((m) => path.resolve(m))), default: '', help: 'Comma-separated modules whose registerEngines(register) adds engines in the pool threads (plugins, tests).' }),
  serveEngine: setting({ env: 'SERVE_ENGINE', schema: z.string().min(1), default: 'ensemble', help: 'Engine the serving API uses when no champion is registered, and in its place when the champion fails (default: the offline ensemble).' }),

  reasonLanguage: setting({ env: 'CORRECTLY_REASON_LANGUAGE', schema: z.enum(['ko', 'en']), default: 'ko', help: 'Language of explanations.' }),
  apiAdminKey: setting({ env: 'CORRECTLY_ADMIN_KEY', schema: z.string().min(16, 'must be at least 16 characters').optional(), secret: true, help: 'Key for the admin endpoints (Bearer). Unset: /admin is off; serving follows the MLflow champion alias by itself.' }),
  logJson: setting({ env: 'CORRECTLY_LOG_JSON', schema: boolFlag, default: 'false', help: 'Log as JSON lines.' }),

  driftCheckInterval: setting({ env: 'DRIFT_CHECK_INTERVAL', schema: duration, default: '15m', help: 'How often the drift-check schedule runs (`correctly schedule apply`).' }),
  driftWindow: setting({ env: 'DRIFT_WINDOW', schema: duration, default: '1h', help: 'Serving traffic window each drift check compares with the reference.' }),
  driftMinSamples: setting({ env: 'DRIFT_MIN_SAMPLES', schema: z.coerce.number().int().min(5), default: '30', help: 'Fewer requests than this in the window: no drift decision.' }),
  driftThresholds: setting({ env: 'DRIFT_THRESHOLDS', schema: jsonObject.optional(), help: 'JSON overriding drift thresholds: ksPValue, wasserstein, jensenShannon, psiModerate, psiMajor, largeSample, driftShare.' }),
  driftQualityThresholds: setting({ env: 'DRIFT_QUALITY_THRESHOLDS', schema: jsonObject.optional(), help: 'JSON overriding quality thresholds: maxThumbsDownRate, minFeedback, maxFallbackRate, maxLatencyP95Ms, minJudgeScore.' }),
  driftJudge: setting({ env: 'DRIFT_JUDGE', schema: z.enum(['none', 'openai', 'ollama']), default: 'none', help: 'LLM judge scoring a sample of served explanations in each drift check.' }),
  driftJudgeSample: setting({ env: 'DRIFT_JUDGE_SAMPLE', schema: z.coerce.number().int().min(1).max(500), default: '20', help: 'Served corrections the judge scores per drift check.' }),
  controllerCooldown: setting({ env: 'CONTROLLER_COOLDOWN', schema: duration, default: '6h', help: 'After a retraining pipeline ends, drift signals within this time start no new one.' }),
  controllerDebounce: setting({ env: 'CONTROLLER_DEBOUNCE', schema: duration, default: '5m', help: 'Quiet time the controller waits after a signal, so a burst of signals starts one pipeline.' }),
  controllerApproval: setting({ env: 'CONTROLLER_APPROVAL', schema: boolFlag, default: 'false', help: 'Pipelines started by the controller wait for human approval before promotion.' }),
  controllerMaxPipelinesPerDay: setting({ env: 'CONTROLLER_MAX_PIPELINES_PER_DAY', schema: z.coerce.number().int().min(0).max(100), default: '4', help: 'Budget: pipelines the controller may start in any 24 hours.' }),
  workerMetricsPort: setting({ env: 'WORKER_METRICS_PORT', schema: z.coerce.number().int().min(0).max(65535), default: '9464', help: 'Prometheus /metrics port of a worker (0: off).' }),
  resourceSampleInterval: setting({ env: 'RESOURCE_SAMPLE_INTERVAL', schema: duration, default: '5s', help: 'How often workers sample CPU, memory and GPU during activities.' }),

  // ── Serving security (issue 15): keys, proxies, champion following, names ─────────────────────
  apiKeys: setting({ env: 'API_KEYS', schema: apiKeys.optional(), display: (v: string) => parseApiKeys(v).keys.map((k) => `${k.name}${k.perMinute ? ` (${k.perMinute}/min)` : ''}`).join(', '), help: 'Client API keys, stored as SHA-256 hashes: "name:sha256hex[:requests per minute]", comma-separated (`correctly api-key new NAME` prints one). A key gets its own rate-limit quota; unknown keys count as their IP.' }),
  apiTrustProxy: setting({ env: 'API_TRUST_PROXY', schema: z.string().regex(/^[\w.:/,\s-]+$/, 'must be true, or a comma-separated list of proxy IPs/CIDRs').optional(), help: 'Reverse proxies whose X-Forwarded-For the API believes (true, or IPs/CIDRs). Unset: the TCP peer is the client.' }),
  servingChampionPoll: setting({ env: 'SERVING_CHAMPION_POLL', schema: z.string().regex(/^(0|\d+(\.\d+)?(ms|s|m|h|d))$/, 'must be 0 (off) or a duration such as 10s or 1m').transform((v) => (v === '0' ? 0 : duration.parse(v))), default: '10s', help: 'How often the serving API checks the MLflow champion alias and switches to a new champion (0: only at start and on /admin/reload).' }),
  piiNames: setting({ env: 'PII_NAMES', schema: z.enum(['auto', 'on', 'off']), default: 'auto', help: 'Redact names of people in serving traffic: auto = when an LLM may read it (OPENAI_API_KEY, OLLAMA_HOST or DRIFT_JUDGE set). Prompts to an LLM always lose names.' }),
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> } & { source: Record<string, 'default' | 'file' | 'env'> };

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; env: string; value: string; reason: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.env}=${JSON.stringify(p.value)}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const FileSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

function readConfigFile(file: string): Record<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError([{ key: 'configFile', env: 'CORRECTLY_CONFIG', value: file, reason: `cannot read JSON: ${(e as Error).message}` }]);
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError([{ key: 'configFile', env: 'CORRECTLY_CONFIG', value: file, reason: 'must be a JSON object of ENV_NAME: value' }]);
  }
  return Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, String(v)]));
}

/** Builds the config from env (default: process.env). Throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.CORRECTLY_CONFIG ? readConfigFile(env.CORRECTLY_CONFIG) : {};
  const known = new Set(Object.values(SETTINGS).map((s) => s.env));
  const problems: ConstructorParameters<typeof ConfigError>[0] = [];
  for (const k of Object.keys(file)) {
    if (!known.has(k)) problems.push({ key: k, env: k, value: file[k], reason: `unknown setting in ${env.CORRECTLY_CONFIG}` });
  }
  const out: Record<string, unknown> = {};
  const source: Record<string, 'default' | 'file' | 'env'> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [string, Setting][]) {
    const fromEnv = env[s.env];
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : file[s.env] ?? s.default;
    source[key] = fromEnv ? 'env' : file[s.env] !== undefined ? 'file' : 'default';
    const r = s.schema.safeParse(raw);
    if (r.success) out[key] = r.data;
    else problems.push({ key, env: s.env, value: raw ?? '', reason: r.error.issues.map((i) => i.message).join('; ') });
  }
  if (problems.length) throw new ConfigError(problems);
  return { ...(out as Omit<Config, 'source'>), source } as Config;
}

/** Derived addresses, so every process computes them the same way. */
export function endpoints(c: Config) {
  const host = c.bindHost;
  const stateDir = path.resolve(c.stateDir);
  const evalCacheDir = c.evalCacheDir ? path.resolve(c.evalCacheDir) : path.join(stateDir, 'cache', 'eval');
  return {
    stateDir,
    evalCacheDir,
    /** Harper's lints by text, kept for evaluation and training (adapters/answer-store), beside the eval cache. */
    answerStoreDir: path.join(evalCacheDir, 'answers'),
    databaseUrl: c.databaseUrl ?? `postgresql://postgres:postgres@${host}:${c.pglitePort}/postgres`,
    embeddedDatabase: !c.databaseUrl,
    mlflowUrl: c.mlflowTrackingUri ?? `http://${host}:${c.mlflowPort}`,
    embeddedMlflow: !c.mlflowTrackingUri,
    chromaUrl: c.chromaUrl ?? `http://${host}:${c.chromaPort}`,
    embeddedChroma: !c.chromaUrl,
    languagetoolUrl: c.languagetoolUrl ?? `http://${host}:${c.languagetoolPort}`,
    embeddedLanguagetool: !c.languagetoolUrl,
    temporalUiUrl: `http://${host}:${c.temporalUiPort}`,
    apiUrl: `http://${host}:${c.apiPort}`,
    venvBin: path.resolve(c.venvDir, 'bin'),
    dvcRepo: path.join(stateDir, 'dvc'),
    dvcRemote: c.dvcRemote ?? path.join(stateDir, 'dvc-remote'),
    modelsDir: path.join(stateDir, 'models'),
    servingUrl: c.servingUrl ?? `http://${host}:${c.apiPort}`,
  };
}

/** Links into the Temporal Web UI and MLflow, built the same way by every process. */
export function links(c: Config) {
  const e = endpoints(c);
  const ns = encodeURIComponent(c.temporalNamespace);
  return {
    workflow: (workflowId: string, runId?: string) => `${e.temporalUiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}`,
    schedule: (scheduleId: string) => `${e.temporalUiUrl}/namespaces/${ns}/schedules/${encodeURIComponent(scheduleId)}`,
    mlflowRun: (runId: string, experimentId?: string) => (experimentId ? `${e.mlflowUrl}/#/experiments/${experimentId}/runs/${runId}` : `${e.mlflowUrl}/#/runs/${runId}`),
  };
}

/** The config as operators see it: every setting with its source, secrets masked. */
export function describeConfig(c: Config): { key: string; env: string; value: string; source: string; help: string }[] {
  return (Object.entries(SETTINGS) as [keyof Settings, Setting][]).map(([key, s]) => {
    const v = c[key];
    const shown = v === undefined ? '(unset)' : s.display ? s.display(v as never) : s.secret ? mask(String(v)) : String(v);
    return { key, env: s.env, value: shown, source: c.source[key], help: s.help };
  });
}

function mask(v: string): string {
  if (v.startsWith('postgres')) return v.replace(/:\/\/([^:@/]+):([^@]*)@/, '://$1:****@');
  return v.length <= 4 ? '****' : `${v.slice(0, 3)}…${'*'.repeat(4)}`;
}
