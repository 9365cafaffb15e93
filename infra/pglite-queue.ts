/**
 * The query queue of our PGlite wire-protocol server: PGlite is one Postgres session, so messages
 * of all client connections are run one at a time. pglite-socket's own queue (0.2.17) keeps a
 * connection's messages together only inside an SQL transaction, so two connections' extended-
 * protocol batches (Parse/Bind/Describe/Execute … Sync) interleave and one binds the other's
 * unnamed statement — wrong rows or errors under concurrent workers — and one failed message stops
 * the queue for good (electric-sql/pglite#1046, open). This queue keeps a batch with its
 * connection until its Sync, as well as a transaction, and survives a failed message.
 */
import type { PGlite } from '@electric-sql/pglite';

/** Frontend messages that open or continue an extended-protocol batch; Sync ('S') ends it. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);

interface Queued {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (e: unknown) => void;
}

export class BatchAffineQueryQueue {
  private queue: Queued[] = [];
  private processing = false;
  /** The connection whose batch (until Sync) or transaction holds the session. */
  private owner: number | null = null;
  private lastHandlerId: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private pinned(): number | null {
    return this.owner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length) {
        const pinned = this.pinned();
        const idx = pinned === null ? 0 : this.queue.findIndex((q) => q.handlerId === pinned);
        if (idx < 0) break; // the owner's next message has not arrived yet
        const item = this.queue.splice(idx, 1)[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (d) => { bytes += d.length; item.onData(d); } }));
        } catch (e) {
          if (this.owner === item.handlerId) this.owner = null;
          item.reject(e);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        const type = item.message[0];
        if (EXTENDED.has(type)) this.owner = item.handlerId;
        else if (type === SYNC && this.owner === item.handlerId) this.owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((q) => {
      if (q.handlerId !== handlerId) return true;
      q.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** A connection that went away releases the session: its open transaction is rolled back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.db.isInTransaction() && this.lastHandlerId === handlerId) {
      await this.db.exec('ROLLBACK');
      this.lastHandlerId = null;
    }
    if (this.owner === handlerId) this.owner = null;
    await this.process();
  }
}
