/**
 * `correctly gleu --src FILE --ref FILE [--ref FILE…] --hyp FILE [--iterations N]`
 *
 * Scores a hypothesis file with GLEU exactly as the JFLEG scorer does and prints one JSON line,
 * e.g. {"gleu": 0.381965, "std": 0.009597, "ci": [0.363156, 0.400774]}. Bad input (missing file,
 * line-count mismatch, no --ref) prints one `error: …` line on stderr and exits with code 2.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { splitLines } from '../../adapters/jfleg';
import { DEFAULT_ITERATIONS, GleuInputError, type GleuResult, gleuCorpus } from '../../core/gleu/gleu';
import { UsageError, action } from './util';

export interface GleuCommandOptions {
  src?: string;
  ref?: string[];
  hyp?: string;
  /** A number, or the text given on the command line. */
  iterations?: number | string;
}

const optionsSchema = z.object({
  src: z.string({ error: 'missing --src FILE (the source sentences)' }).min(1, '--src needs a file name'),
  ref: z
    .array(z.string().min(1, '--ref needs a file name'), { error: 'missing --ref FILE (give at least one reference file)' })
    .min(1, 'missing --ref FILE (give at least one reference file)'),
  hyp: z.string({ error: 'missing --hyp FILE (the sentences to score)' }).min(1, '--hyp needs a file name'),
  iterations: z
    .union([z.number(), z.string()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return DEFAULT_ITERATIONS;
      const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) {
        ctx.addIssue({ code: 'custom', message: `--iterations must be a whole number of at least 1, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return n;
    }),
});

/** Lines of a UTF-8 text file: split on '\n', dropping a single trailing empty line. */
export function readLines(path: string, flag: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new UsageError(`${flag} ${path}: ${why}`);
  }
  return splitLines(text);
}

/** Rounds to 6 decimals, as the JFLEG scorer prints ('%f'). */
export function round6(x: number): number {
  return Number(x.toFixed(6));
}

/** Reads the files, scores them and returns the result rounded to 6 decimals. Throws UsageError on bad input. */
export function runGleu(opts: GleuCommandOptions): GleuResult {
  const parsed = optionsSchema.safeParse(opts);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const { src, ref, hyp, iterations } = parsed.data;
  const sources = readLines(src, '--src');
  const references = ref.map((path) => readLines(path, '--ref'));
  const hypotheses = readLines(hyp, '--hyp');
  let result: GleuResult;
  try {
    result = gleuCorpus({
      sources,
      references,
      hypotheses,
      iterations,
      labels: { sources: `--src ${src}`, references: ref.map((p) => `--ref ${p}`), hypotheses: `--hyp ${hyp}` },
    });
  } catch (e) {
    if (e instanceof GleuInputError) throw new UsageError(e.message);
    throw e;
  }
  return { gleu: round6(result.gleu), std: round6(result.std), ci: [round6(result.ci[0]), round6(result.ci[1])] };
}

/** One JSON line: {"gleu": 0.381965, "std": 0.009597, "ci": [lo, hi]}. */
export function formatGleu(r: GleuResult): string {
  const n = (x: number) => JSON.stringify(x);
  return `{"gleu": ${n(r.gleu)}, "std": ${n(r.std)}, "ci": [${n(r.ci[0])}, ${n(r.ci[1])}]}`;
}

export function registerGleu(program: Command) {
  program
    .command('gleu')
    .description('score a hypothesis file with GLEU as the JFLEG scorer does (mean, std and 95% interval over random reference draws)')
    .option('--src <file>', 'source sentences, one per line (required)')
    .option('--ref <files...>', 'reference file(s), one sentence per line; repeat --ref or list several (at least one)')
    .option('--hyp <file>', 'hypotheses to score, one per line (required)')
    .option('--iterations <n>', 'random reference draws to average over', String(DEFAULT_ITERATIONS))
    // Usage errors caught by commander itself (unknown option, option without its value) exit 2 too.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(
      action((opts: GleuCommandOptions) => {
        console.log(formatGleu(runGleu(opts)));
      }),
    );
}
