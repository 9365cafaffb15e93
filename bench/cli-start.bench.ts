/**
 * CLI start time and `correctly gleu` against the JFLEG reference scorer, in one run.
 *
 *   npx tsx bench/cli-start.bench.ts [repeats=7]
 *
 * Variants, interleaved in every repetition so that machine load hits them alike:
 * - after:          bin/correctly (the compiled build in dist/cli)
 * - from source:    CORRECTLY_FROM_SOURCE=1 bin/correctly (tsx, lazy command groups)
 * - before:         bin/correctly of the checkout in BENCH_BEFORE (e.g. `git archive 4ab8bcf | tar -x -C /tmp/before`,
 *                   with node_modules linked in), when set
 * - Python scorer:  `python gleu.py` of keisks/jfleg (eval/gleu.py, not vendored: set JFLEG_GLEU_PY to it; runs
 *                   with BENCH_PYTHON, default .venv/bin/python, which has numpy and scipy)
 * Each is a whole process, as an operator sees it: start, work, exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JFLEG_DIR } from '../config/paths';
import { machine, median } from './machine';

const repeats = Number(process.argv[2] ?? 7);
const root = path.resolve(import.meta.dirname, '..');
const before = process.env.BENCH_BEFORE;
const scorer = process.env.JFLEG_GLEU_PY;
const python = process.env.BENCH_PYTHON ?? path.join(root, '.venv/bin/python');
const j = (f: string) => path.join(JFLEG_DIR, f);
const refs = [0, 1, 2, 3].map((k) => j(`dev.ref${k}`));
const gleuArgs = ['gleu', '--src', j('dev.src'), '--ref', ...refs, '--hyp', j('dev.src')];

interface Variant {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}
const cli = (name: string, bin: string, args: string[], env?: Record<string, string>): Variant => ({ name, cmd: bin, args, env });
const bins = [
  ...(before ? [['before', path.join(before, 'bin/correctly'), {}] as const] : []),
  ['from source', path.join(root, 'bin/correctly'), { CORRECTLY_FROM_SOURCE: '1' }] as const,
  ['after', path.join(root, 'bin/correctly'), {}] as const,
];
const variants: Variant[] = [
  ...bins.map(([name, bin, env]) => cli(`${name}: --help`, bin, ['--help'], env)),
  ...bins.map(([name, bin, env]) => cli(`${name}: gleu (JFLEG dev)`, bin, gleuArgs, env)),
  ...(scorer && existsSync(scorer) ? [{ name: 'Python scorer (JFLEG dev)', cmd: python, args: ['-W', 'ignore', scorer, '-s', j('dev.src'), '-r', ...refs, '--hyp', j('dev.src')] }] : []),
];

function timed(v: Variant): number {
  const t0 = performance.now();
  const r = spawnSync(v.cmd, v.args, { env: { ...process.env, ...v.env }, encoding: 'utf8', cwd: root });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${v.name} exited ${r.status}: ${r.stderr}`);
  if (v.name.includes('JFLEG') || v.name.includes('gleu')) {
    if (!/0\.381965/.test(r.stdout)) throw new Error(`${v.name} printed no 0.381965: ${r.stdout}`);
  }
  return ms;
}

console.log(machine());
// One warm-up round (file cache, the build's staleness check) that is not counted.
for (const v of variants) timed(v);
const times = new Map(variants.map((v) => [v.name, [] as number[]]));
const ratios: number[] = [];
for (let i = 0; i < repeats; i++) {
  for (const v of variants) times.get(v.name)!.push(timed(v));
  const ours = times.get('after: gleu (JFLEG dev)')!.at(-1)!;
  const theirs = times.get('Python scorer (JFLEG dev)')?.at(-1);
  if (theirs) ratios.push(ours / theirs);
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\n| command (${repeats} runs, interleaved) | median | min | max |`);
console.log('| --- | --- | --- | --- |');
for (const [name, ts] of times) console.log(`| ${name} | ${s(median(ts))} | ${s(Math.min(...ts))} | ${s(Math.max(...ts))} |`);
if (ratios.length) {
  console.log(`\n\`correctly gleu\` / Python scorer, per run: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median **${median(ratios).toFixed(3)}** (the scorer takes ${(1 / median(ratios)).toFixed(1)}× as long)`);
}
