/**
 * Harper's lints kept by text (core/engines/answer-store, adapters/answer-store): evaluation and
 * training lint each sentence once per Harper version, every later reader gets the same answer,
 * and a damaged or foreign file is asked again rather than trusted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileAnswerStore, harperAnswerStore } from '../../adapters/answer-store';
import { HARPER_VERSION, HarperCorrector, type RawLint } from '../../core/engines/harper';

const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-answers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('FileAnswerStore', () => {
  const store = new FileAnswerStore(path.join(dir, 'plain'), 'sys@1', z.object({ n: z.number() }));

  it('keeps an answer by text, without writing the text itself', () => {
    expect(store.get('She go to school.')).toBeUndefined();
    store.set('She go to school.', { n: 7 });
    expect(store.get('She go to school.')).toEqual({ n: 7 });
    expect(store.get('She goes to school.')).toBeUndefined();
    const [file] = filesUnder(path.join(dir, 'plain'));
    expect(file).toMatch(/sys@1\/[0-9a-f]{2}\/[0-9a-f]{64}\.json$/);
    expect(readFileSync(file, 'utf8')).not.toContain('school');
  });

  it('treats a damaged or malformed file as a miss, and a new answer replaces it', () => {
    store.set('a', { n: 1 });
    const file = filesUnder(path.join(dir, 'plain')).find((f) => readFileSync(f, 'utf8') === '{"n":1}')!;
    writeFileSync(file, '{"n":');
    expect(store.get('a')).toBeUndefined();
    writeFileSync(file, '{"n":"one"}');
    expect(store.get('a')).toBeUndefined();
    store.set('a', { n: 2 });
    expect(store.get('a')).toEqual({ n: 2 });
  });

  it('is only slower, never failing, when it cannot be written', () => {
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, 'not a directory');
    const unwritable = new FileAnswerStore(blocked, 'sys@1', z.object({ n: z.number() }));
    expect(() => unwritable.set('x', { n: 1 })).not.toThrow();
    expect(unwritable.get('x')).toBeUndefined();
  });

  it('keeps each system version apart', () => {
    const other = new FileAnswerStore(path.join(dir, 'plain'), 'sys@2', z.object({ n: z.number() }));
    expect(other.get('She go to school.')).toBeUndefined();
  });
});

describe('HarperCorrector with an answer store', () => {
  it('names the Harper release package.json pins (the store and the output caches are keyed by it)', () => {
    const pkg = createRequire(import.meta.url)('../../node_modules/harper.js/package.json') as { version: string };
    expect(HARPER_VERSION).toBe(`harper.js@${pkg.version}`);
  });

  it('lints a text once and stores it; another corrector reads the stored lints instead of linting', async () => {
    const answers = harperAnswerStore(path.join(dir, 'harper'));
    const text = 'He go to school every days.';
    const first = new HarperCorrector({}, answers);
    const linted = await first.lint(text);
    expect(linted.length).toBeGreaterThan(0);
    expect(answers.get(text)).toEqual(linted);
    const fixed = (await first.correct(text)).corrected;
    expect(fixed).toContain('He goes to school');
    await first.close();

    // A planted answer shows that the second corrector reads the store (its linter would not say this).
    const planted: RawLint[] = [{ rule: 'Planted', kind: 'Spelling', start: 0, end: 2, problem: 'He', message: 'planted', suggestions: [{ kind: 'replace', text: 'She' }] }];
    answers.set(text, planted);
    const second = new HarperCorrector({}, answers);
    await second.init();
    expect(await second.lint(text)).toEqual(planted);
    // The planted edit is applied (later passes lint the new text as usual).
    expect((await second.correct(text)).corrected).toMatch(/^She /);
    await second.close();
  });
});
