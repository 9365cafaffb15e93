/** The `gleu` command: file reading, rounding, output format, and one-line errors with exit code 2. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGleu, readLines, round6, runGleu } from '../../client/commands/gleu';
import { UsageError } from '../../client/commands/util';
import { jfleg } from './jfleg';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text, 'utf8');
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gleu-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLines', () => {
  it('splits on \\n and drops one trailing empty line only', () => {
    expect(readLines(file('a.txt', 'x y\nz\n'), '--src')).toEqual(['x y', 'z']);
    expect(readLines(file('b.txt', 'x y\nz'), '--src')).toEqual(['x y', 'z']);
    expect(readLines(file('c.txt', 'x\n\n'), '--src')).toEqual(['x', '']);
    expect(readLines(file('d.txt', ''), '--src')).toEqual([]);
    expect(readLines(file('e.txt', 'naïve café\n'), '--src')).toEqual(['naïve café']);
  });
});

describe('runGleu', () => {
  it('scores small files and rounds to 6 decimals', () => {
    const src = file('s.txt', 'a b c d e f g h\n');
    const ref = file('r.txt', 'a b x d e f g h\n');
    const hyp = file('h.txt', 'a b y d e f g h\n');
    const r = runGleu({ src, ref: [ref], hyp, iterations: '10' });
    expect(r).toEqual({ gleu: 0.594604, std: 0, ci: [0.594604, 0.594604] }); // (1/8)^¼ = 0.5946035…
  });

  it('formats one JSON line', () => {
    const line = formatGleu({ gleu: 0.381965, std: 0.009597, ci: [0.363156, 0.400774] });
    expect(line).toBe('{"gleu": 0.381965, "std": 0.009597, "ci": [0.363156, 0.400774]}');
    expect(JSON.parse(line)).toEqual({ gleu: 0.381965, std: 0.009597, ci: [0.363156, 0.400774] });
    expect(round6(0.0068895608986218)).toBe(0.00689);
  });

  it('rejects bad input with a UsageError naming the file or flag', () => {
    const src = file('s3.txt', 'a\nb\nc\n');
    const ref = file('r3.txt', 'a\nb\nc\n');
    const short = file('r2.txt', 'a\nb\n');
    const fails = (opts: Parameters<typeof runGleu>[0], message: string | RegExp) => {
      expect(() => runGleu(opts)).toThrow(UsageError);
      expect(() => runGleu(opts)).toThrow(message);
    };
    fails({ src, hyp: ref }, 'missing --ref FILE');
    fails({ src, ref: [], hyp: ref }, 'missing --ref FILE');
    fails({ ref: [ref], hyp: ref }, 'missing --src FILE');
    fails({ src, ref: [ref] }, 'missing --hyp FILE');
    fails({ src, ref: [ref, path.join(dir, 'nope.txt')], hyp: ref }, `--ref ${path.join(dir, 'nope.txt')}: no such file`);
    fails({ src, ref: [ref, short], hyp: ref }, `--ref ${short} has 2 lines but --src ${src} has 3 lines`);
    fails({ src, ref: [ref], hyp: short }, `--hyp ${short} has 2 lines but --src ${src} has 3 lines`);
    fails({ src, ref: [ref], hyp: ref, iterations: 'ten' }, '--iterations must be a whole number');
    fails({ src, ref: [ref], hyp: ref, iterations: '0' }, '--iterations must be a whole number of at least 1');
    fails({ src: dir, ref: [ref], hyp: ref }, `--src ${dir}: is a directory`);
  });
});

describe('the real command (npx tsx test/gleu/cli-entry.ts gleu …)', () => {
  const run = (args: string[]) =>
    spawnSync('npx', ['tsx', 'test/gleu/cli-entry.ts', 'gleu', ...args], { cwd: repoRoot, encoding: 'utf8' });
  /** stderr without npm's own warnings. */
  const errors = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));

  it('prints the JFLEG dev score of the source as one JSON line', () => {
    const refs = [0, 1, 2, 3].flatMap((k) => ['--ref', jfleg(`dev.ref${k}`)]);
    const out = run(['--src', jfleg('dev.src'), ...refs, '--hyp', jfleg('dev.src')]);
    expect(errors(out.stderr)).toEqual([]);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('{"gleu": 0.381965, "std": 0.009597, "ci": [0.363156, 0.400774]}\n');
  });

  it('exits 2 with one error line on a line-count mismatch', () => {
    const src = file('cs.txt', 'a b\nc d\n');
    const ref = file('cr.txt', 'a b\n');
    const out = run(['--src', src, '--ref', ref, '--hyp', src]);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(errors(out.stderr)).toEqual([`error: --ref ${ref} has 1 line but --src ${src} has 2 lines`]);
  });

  it('exits 2 when no --ref is given', () => {
    const src = file('ns.txt', 'a b\n');
    const out = run(['--src', src, '--hyp', src]);
    expect(out.status).toBe(2);
    expect(errors(out.stderr)).toEqual(['error: missing --ref FILE (give at least one reference file)']);
  });
});
