import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../entities/seed';
import { loadSeed } from '../../entities/seed/data';
import { freePort } from '../../ops/stack/process';
import { openDatabase } from '../../entities/data-source';
import type { DataSource } from 'typeorm';

describe('seed data', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let ds: DataSource;
  beforeAll(async () => {
    db = await PGlite.create();
    const port = await freePort();
    server = new PGLiteSocketServer({ db, port, maxConnections: 4 });
    await server.start();
    ds = await openDatabase(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, { poolSize: 2 });
  });
  afterAll(async () => {
    await ds?.destroy();
    await server?.stop();
    await db?.close();
  });

  it('is varied enough and keeps the original example', () => {
    const s = loadSeed();
    expect(s.texts.length).toBeGreaterThanOrEqual(300);
    expect(new Set(s.texts.map((t) => t.form)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(s.texts.map((t) => t.tone)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(s.texts.map((t) => t.text)).size).toBe(s.texts.length);
    expect(s.examples.length).toBeGreaterThanOrEqual(30);
    const original = s.examples.find((e) => e.awkward.startsWith('If I had to assess someone like a job interview'));
    expect(original?.corrected).toMatch(/^If I were evaluating someone in a job interview/);
    expect(original?.reasonKo).toBe('자연스러운 가정법 구현을 위해 ‘were evaluating’, 전치사 ‘in’ 추가');
    const t = s.templates[0];
    for (const p of ['{form_form}', '{mapping_emotion_form_tone}', '{example_example}']) expect(t.body).toContain(p);
  });

  it('seeding twice leaves the same row counts', async () => {
    const first = await seedDatabase(ds);
    const second = await seedDatabase(ds);
    expect(second).toEqual(first);
    const s = loadSeed();
    expect(first).toEqual({ texts: s.texts.length, scripts: s.scripts.length, examples: s.examples.length * 2, templates: s.templates.length });
  });
});
