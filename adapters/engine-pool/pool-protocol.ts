/**
 * What the engine pool (./pool.ts, main thread) and its threads (./pool-thread.ts) send each other.
 * Only plain data crosses: specs travel as JSON in a SharedArrayBuffer (shared, not copied, so a
 * large rule model is not cloned for every sentence), results as structured-clone values.
 */
import type { SegmentOptions } from '../../core/engines/segment';
import type { CorrectOptions } from '../../core/engines/types';
import type { Config } from '../../config';

/** How a thread builds a corrector: `createCorrector(engine, options)`; options must be JSON (a model as its JSON). */
export interface EngineSpec {
  engine: string;
  options?: Record<string, unknown>;
}

/** Fixed for the pool's lifetime, given to every thread as workerData. */
export interface ThreadData {
  /** BroadcastChannel name: threads say when they are warm, the pool says when a corrector is released. */
  channel: string;
  /** The config the thread registers its engines with (adapters/engines.ts). */
  config: Config;
  /** Passed to every engine as CreateCorrectorOptions.segment. */
  segment: SegmentOptions | false;
  /** Built as a thread starts, before it takes tasks (the serving API's base engine). */
  warm: { key: string; json: string }[];
  /** Absolute paths of extra modules whose `registerEngines(register)` adds engines (tests, plugins). */
  modules: string[];
}

/**
 * Per-task shared slot: the thread writes its threadId when it starts the task and, before it
 * exits on a poisoning error, the error text, so the pool can tell a queue timeout from a running
 * one and say why a thread died, without racing the thread's exit.
 */
export const SLOT_BYTES = 8 + 1024;
export const SLOT_THREAD = 0;
export const SLOT_ERROR_LENGTH = 1;

export type PoolTask =
  | { kind: 'build'; key: string; spec: SharedArrayBuffer; slot: SharedArrayBuffer }
  | { kind: 'correct'; key: string; spec: SharedArrayBuffer; slot: SharedArrayBuffer; text: string; opts: CorrectOptions }
  | { kind: 'call'; module: string; fn: string; args: unknown[]; slot: SharedArrayBuffer }
  | { kind: 'names'; slot: SharedArrayBuffer };

export type PoolReply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

export type ChannelMessage = { type: 'warm'; threadId: number; error: string | null } | { type: 'release'; key: string };

/** Exit code of a thread that ended itself because an engine error poisoned it (e.g. a WASM trap). */
export const EXIT_POISONED = 70;

export function writeSlotError(slot: SharedArrayBuffer, message: string): void {
  const bytes = new TextEncoder().encode(message).slice(0, SLOT_BYTES - 8);
  new Uint8Array(slot, 8).set(bytes);
  Atomics.store(new Int32Array(slot, 0, 2), SLOT_ERROR_LENGTH, bytes.length);
}

export function readSlot(slot: SharedArrayBuffer): { threadId: number; error: string | null } {
  const head = new Int32Array(slot, 0, 2);
  const n = Atomics.load(head, SLOT_ERROR_LENGTH);
  // the text may have been cut inside a multi-byte character: decode leniently
  return { threadId: Atomics.load(head, SLOT_THREAD), error: n ? new TextDecoder().decode(new Uint8Array(slot, 8, n).slice()) : null };
}
