/**
 * The embedded PGlite server under concurrent connections, as several worker processes use it:
 * parameterized queries (extended protocol) of different shapes from many connections at once must
 * each get their own answer, and transactions must stay isolated per connection. The library's own
 * queue fails this (its batches interleave: electric-sql/pglite#1046); infra/pglite-queue.ts fixes it.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../config';
import { startTestStack, type TestStack } from '../support/stack';


/** A minimal wire-protocol client, to send one connection's batch in two writes (as a slow client would). */
class RawConnection {
  private buf = Buffer.alloc(0);
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => (this.buf = Buffer.concat([this.buf, d])));
  }
  static async open(port: number): Promise<RawConnection> {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const c = new RawConnection(sock);
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4);
    sock.write(Buffer.concat([head, params]));
    await c.until((b) => b.includes(Buffer.from([0x5a, 0, 0, 0, 5]))); // ReadyForQuery
    c.buf = Buffer.alloc(0);
    return c;
  }
  static msg(type: string, body: Buffer): Buffer {
    const h = Buffer.alloc(5);
    h.write(type, 0);
    h.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([h, body]);
  }
  static parse(sql: string) {
    return RawConnection.msg('P', Buffer.concat([Buffer.from(`\0${sql}\0`), Buffer.from([0, 0])]));
  }
  static readonly bindExecuteSync = Buffer.concat([
    RawConnection.msg('B', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])), // unnamed portal and statement, no params or formats
    RawConnection.msg('E', Buffer.from([0, 0, 0, 0, 0])),
    RawConnection.msg('S', Buffer.alloc(0)),
  ]);
  write(b: Buffer) {
    this.sock.write(b);
  }
  async until(done: (b: Buffer) => boolean, ms = 10_000): Promise<Buffer> {
    const end = Date.now() + ms;
    while (!done(this.buf)) {
      if (Date.now() > end) throw new Error(`no answer: ${this.buf.toString('latin1')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.buf;
  }
  /** The text of the DataRows received so far. */
  rows(): string {
    return this.buf.toString('latin1');
  }
  close() {
    this.sock.destroy();
  }
}

describe('PGlite server with concurrent connections', () => {
  let ts: TestStack;
  let clients: pg.Client[];
  beforeAll(async () => {
    ts = await startTestStack(['database']);
    clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const c = new pg.Client({ connectionString: endpoints(ts.config).databaseUrl });
        await c.connect();
        return c;
      }),
    );
  });
  afterAll(async () => {
    await Promise.all((clients ?? []).map((c) => c.end().catch(() => {})));
    await ts?.stop();
  });

  it('parameterized queries of different shapes from 6 connections at once each get their own rows', async () => {
    const shapes = [
      async (c: pg.Client, i: number) => (await c.query('select $1::int + 1 as n', [i])).rows[0].n === i + 1,
      async (c: pg.Client, i: number) => (await c.query('select $1::text as s, $2::int as k', [`t${i}`, i])).rows[0].s === `t${i}`,
      async (c: pg.Client, i: number) => (await c.query('select g from generate_series(1, $1::int) g', [i % 7 + 1])).rowCount === (i % 7) + 1,
    ];
    const wrong: string[] = [];
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < 60; i++) {
          const ok = await shapes[(i + k) % shapes.length](c, i).catch((e: Error) => {
            wrong.push(`client ${k} query ${i}: ${e.message}`);
            return true;
          });
          if (!ok) wrong.push(`client ${k} query ${i}: wrong rows`);
        }
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('a transaction on one connection is invisible to the others until it commits, and a rollback undoes only its own writes', async () => {
    const [a, b] = clients;
    await a.query('create table if not exists tx_probe (id int primary key, who text)');
    await a.query('begin');
    await a.query('insert into tx_probe values ($1, $2)', [1, 'a']);
    // b's insert waits for a's transaction to end (one session), then runs on its own
    const bInsert = b.query('insert into tx_probe values ($1, $2)', [2, 'b']);
    await a.query('rollback');
    await bInsert;
    const rows = (await clients[2].query('select id, who from tx_probe order by id')).rows;
    expect(rows).toEqual([{ id: 2, who: 'b' }]);
  });

  it("a batch sent in two writes is not interleaved with another connection's batch (electric-sql/pglite#1046)", async () => {
    const port = ts.config.pglitePort;
    const a = await RawConnection.open(port);
    const b = await RawConnection.open(port);
    try {
      a.write(RawConnection.parse("select 'answer-for-a' as v"));
      await new Promise((r) => setTimeout(r, 200));
      b.write(Buffer.concat([RawConnection.parse("select 'answer-for-b' as v"), RawConnection.bindExecuteSync]));
      await new Promise((r) => setTimeout(r, 200));
      a.write(RawConnection.bindExecuteSync);
      await a.until((x) => x.includes(Buffer.from('SELECT 1')));
      await b.until((x) => x.includes(Buffer.from('SELECT 1')));
      expect(a.rows()).toContain('answer-for-a');
      expect(a.rows()).not.toContain('answer-for-b');
      expect(b.rows()).toContain('answer-for-b');
    } finally {
      a.close();
      b.close();
    }
  });
});
