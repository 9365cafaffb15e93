/**
 * One thread of the engine pool (./pool.ts): piscina loads this module in each worker thread and
 * calls the default export once per task. A thread builds correctors by engine name through
 * `createCorrector` (kept per spec, so Harper's WASM linter loads once per thread), corrects, and
 * runs pure functions for callers that must not block their event loop.
 *
 * When an engine error leaves the thread unusable (a WASM trap such as Harper's `unreachable`
 * poisons its linter, and every later call fails), the thread writes why into the task's slot and
 * exits; piscina starts a fresh thread in its place. Other errors are answered as errors.
 */
import { pathToFileURL } from 'node:url';
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
// Composition root of a pool thread. The engines it can build: the offline engines (harper,
// ensemble, languagetool, rules), registered below with the pool's config, plus those of the extra
// modules the pool names (ENGINE_MODULES: tests, plugins), each adding its engines through its
// exported `registerEngines(register)`. Nothing else is loaded into a thread.
import { RUNS_FROM_BUILD } from '../../config/paths';
import { createCorrector, engineNames, registerEngine, type EngineFactory } from '../../core/engines/index';
import { registerOfflineEngines } from '../offline-engines';
import { type ChannelMessage, type EngineSpec, EXIT_POISONED, type PoolReply, type PoolTask, SLOT_THREAD, type ThreadData, writeSlotError } from './pool-protocol';
import type { Corrector } from '../../core/engines/types';

/** What an engine module exports to be loaded into pool threads. */
export type RegisterEngines = (register: (name: string, factory: EngineFactory) => void) => void | Promise<void>;

const data = workerData as ThreadData;
const channel = new BroadcastChannel(data.channel);
channel.unref();

/** Corrected once when a corrector is built: misspellings and a grammar error, to wake every part of an engine. */
const WARM_UP_TEXT = 'Ths sentense warm up the speling and grammer checks.';

/** Correctors of this thread by spec key, least recently used first. */
const correctors = new Map<string, Promise<Corrector>>();
const MAX_CORRECTORS = 16;
const pinned = new Set(data.warm.map((w) => w.key));

/** The corrector of a spec, built on first use; `spec` is its JSON (or the shared bytes of it, decoded only then). */
function build(key: string, spec: string | SharedArrayBuffer): Promise<Corrector> {
  let c = correctors.get(key);
  if (c) {
    correctors.delete(key); // re-insert: most recently used
    correctors.set(key, c);
    return c;
  }
  const { engine, options } = JSON.parse(typeof spec === 'string' ? spec : new TextDecoder().decode(new Uint8Array(spec).slice())) as EngineSpec;
  c = createCorrector(engine, { ...options, segment: data.segment }).then(async (corrector) => {
    // The first correction pays lazy set-up (Harper's spelling suggestions: seconds under load):
    // here, under the build's time limit, not under the first real correction's. A failure here
    // (a server an engine calls is down) is the first real correction's to report.
    await corrector.correct(WARM_UP_TEXT).catch(() => {});
    return corrector;
  });
  const mine = c;
  // a failed build is tried again by the next task, not remembered
  c.catch(() => correctors.get(key) === mine && correctors.delete(key));
  correctors.set(key, c);
  for (const [k] of correctors) {
    if (correctors.size <= MAX_CORRECTORS) break;
    if (!pinned.has(k)) void release(k);
  }
  return c;
}

async function release(key: string): Promise<void> {
  const c = correctors.get(key);
  if (!c || pinned.has(key)) return;
  correctors.delete(key);
  await (await c.catch(() => null))?.close?.();
}

channel.onmessage = (ev: unknown) => {
  const m = (ev as { data: ChannelMessage }).data;
  if (m.type === 'release') void release(m.key);
};

/**
 * A module named by path (an extra engine module, a module of off-thread functions). Run from the
 * build, this thread has no TypeScript support until a TypeScript module is asked for: tsx is then
 * registered once (from source, ./pool-thread-entry.mjs registered it before this module loaded).
 */
let typescript: Promise<void> | null = RUNS_FROM_BUILD ? null : Promise.resolve();
async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?tsx?$/.test(file)) await (typescript ??= import('tsx/esm/api').then(({ register }) => void register()));
  return (await import(file.startsWith('file:') ? file : pathToFileURL(file).href)) as Record<string, unknown>;
}

// (the project's TypeScript lib has no WebAssembly types)
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: abstract new () => Error } }).WebAssembly.RuntimeError;

/** Errors after which the thread's engines cannot be trusted again. */
function poisons(e: unknown): boolean {
  if (e instanceof WasmRuntimeError) return true;
  const message = e instanceof Error ? e.message : String(e);
  // wasm-bindgen's guards once a trap left a Rust object borrowed: every later call fails
  return /recursive use of an object detected|attempted to take ownership of Rust value while it was borrowed/.test(message);
}

// Start-up: load the extra engine modules, build the warm specs, then say so (the pool's
// readiness counts warm threads). Failures are reported, not thrown: a module that fails to load
// would make piscina stop replacing threads.
let startError: string | null = null;
try {
  registerOfflineEngines(data.config);
  for (const m of data.modules) {
    const mod = (await importModule(m)) as { registerEngines?: RegisterEngines };
    if (typeof mod.registerEngines !== 'function') throw new Error(`engine module ${m} exports no registerEngines(register)`);
    await mod.registerEngines(registerEngine);
  }
  for (const w of data.warm) await build(w.key, w.json);
} catch (e) {
  startError = `${(e as Error).name}: ${(e as Error).message}`;
}
channel.postMessage({ type: 'warm', threadId, error: startError } satisfies ChannelMessage);

export default async function run(task: PoolTask): Promise<PoolReply> {
  Atomics.store(new Int32Array(task.slot, 0, 2), SLOT_THREAD, threadId);
  try {
    switch (task.kind) {
      case 'names':
        return { ok: true, value: engineNames() };
      case 'build':
        return { ok: true, value: { name: (await build(task.key, task.spec)).name } };
      case 'correct': {
        const corrector = await build(task.key, task.spec);
        return { ok: true, value: await corrector.correct(task.text, task.opts) };
      }
      case 'call': {
        const mod = await importModule(task.module);
        const fn = mod[task.fn];
        if (typeof fn !== 'function') throw new Error(`${task.module} exports no function ${task.fn}`);
        return { ok: true, value: await fn(...task.args) };
      }
    }
  } catch (e) {
    if (poisons(e)) {
      writeSlotError(task.slot, `${(e as Error).name}: ${(e as Error).message}`);
      process.exit(EXIT_POISONED); // ends this thread only; piscina replaces it
    }
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, error: { name: err.name, message: err.message } };
  }
}
