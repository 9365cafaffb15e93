/**
 * `correctly correct [--engine NAME] [--input FILE|-] [--output FILE|-] [--tokenized] [--jsonl]
 *                    [--reason-language ko|en] [--model FILE] [--model-version V]`
 *
 * One sentence per input line, one corrected line out (empty lines stay empty). With
 * --tokenized, lines are JFLEG-tokenized text: detokenized before correction, the output
 * tokenized again. With --jsonl each line is a JSON record
 *   {input, corrected, reason, edits, engine, modelVersion}
 * (input/corrected/edits on the plain text; with --tokenized also "tokenized": the tokenized output).
 * Bad input (unknown engine, missing file, invalid model) prints one `error: …` line, exit 2.
 *
 * Offline engines run in an engine thread (adapters/engine-pool/pool.ts), each line within ENGINE_TIMEOUT.
 * A line the engine crashes on or cannot finish in time is written unchanged (in --jsonl with an
 * "error" field) and said on stderr; the run goes on. With --threads N, N lines are corrected at
 * once (output still in input order): faster, but not reproducible to the last sentence, since
 * Harper's answers depend on what its linter linted before; one thread (the default) gives the same
 * output every run. Engines the pool does not build (champion, openai, ollama: network-bound) run
 * in this process, one line at a time.
 */
import { createReadStream, createWriteStream, readFileSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { createCorrector as defaultCreateCorrector, DEFAULT_ENGINE, EngineConfigError, engineNames, type CreateCorrectorOptions } from '../../core/engines';
import { endpoints } from '../../config';
import { registerAllEngines } from '../../adapters/engines';
import { EngineFailure, EnginePool } from '../../adapters/engine-pool/pool';
import { type Correction, type Corrector, DEFAULT_REASON_LANGUAGE, reasonLanguageSchema, type ReasonLanguage } from '../../core/engines/types';
import { correctionReason } from '../../core/engines/reasons';
import { detokenize, tokenize } from '../../core/text/tokenize';
import { UsageError, action, cliConfig } from './util';

export interface CorrectCommandOptions {
  engine?: string;
  input?: string;
  output?: string;
  tokenized?: boolean;
  jsonl?: boolean;
  reasonLanguage?: string;
  model?: string;
  scorer?: string;
  modelVersion?: string;
  threads?: string;
}

export interface CorrectDeps {
  /** Engine lookup; defaults to the engine pool for the engines it builds, else core/engines createCorrector. */
  createCorrector?: (name: string, opts: CreateCorrectorOptions) => Promise<Corrector>;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

function openInput(path: string, stdin: Readable): Readable {
  if (path === '-') return stdin;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`--input ${path}: is a directory`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--input ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  return createReadStream(path, { encoding: 'utf8' });
}

async function openOutput(path: string, stdout: Writable): Promise<{ out: Writable; done: () => Promise<void> }> {
  if (path === '-') return { out: stdout, done: async () => {} };
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`--output ${path}: ${e.code === 'ENOENT' ? 'no such folder' : e.message}`)));
  });
  return {
    out: stream,
    done: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** An edit scorer file's text; a missing file is a usage error naming it. */
function readScorerFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`--scorer ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

/** Runs the command: reads lines, corrects them, writes the results. */
export async function runCorrect(opts: CorrectCommandOptions, deps: CorrectDeps = {}): Promise<void> {
  const engine = opts.engine ?? DEFAULT_ENGINE;
  const lang = reasonLanguageSchema.safeParse(opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE);
  if (!lang.success) throw new UsageError(`--reason-language must be ko or en, got ${JSON.stringify(opts.reasonLanguage)}`);
  const reasonLanguage: ReasonLanguage = lang.data;
  const threads = Number(opts.threads ?? 1);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new UsageError(`--threads must be a whole number from 1 to 256, got ${JSON.stringify(opts.threads)}`);
  if (!deps.createCorrector && !engineNames().includes(engine)) {
    throw new UsageError(`unknown engine "${engine}" (available: ${engineNames().join(', ')})`);
  }
  const input = openInput(opts.input ?? '-', deps.stdin ?? process.stdin);
  let pool: EnginePool | undefined;
  let corrector: Corrector;
  try {
    let create = deps.createCorrector ?? defaultCreateCorrector;
    if (!deps.createCorrector) {
      // with --threads N, threads start as lines queue up: a one-line run starts one
      pool = EnginePool.fromConfig(cliConfig(), { threads, minThreads: 1 });
      if ((await pool.engineNames()).includes(engine)) create = pool.create.bind(pool);
      else {
        await pool.close();
        pool = undefined;
      }
    }
    const scorer = opts.scorer ? readScorerFile(opts.scorer) : undefined;
    corrector = await create(engine, { modelPath: opts.model, ...(scorer ? { scorer } : {}), modelVersion: opts.modelVersion ?? null, languagetoolUrl: endpoints(cliConfig()).languagetoolUrl });
  } catch (e) {
    input.destroy();
    await pool?.close();
    if (e instanceof EngineConfigError) throw new UsageError(e.message);
    throw e;
  }
  const stderr = deps.stderr ?? process.stderr;
  let failed = 0;
  try {
    const { out, done } = await openOutput(opts.output ?? '-', deps.stdout ?? process.stdout);
    try {
      const lines = createInterface({ input, crlfDelay: Infinity });
      /** One output line (with its newline) for one input line. */
      const render = async (raw: string, lineNo: number): Promise<string> => {
        const line = raw.replace(/\r$/, '');
        const text = opts.tokenized ? detokenize(line) : line;
        if (!text.trim()) {
          const empty = { input: text, corrected: text, reason: correctionReason([], reasonLanguage), edits: [], engine: corrector.name, modelVersion: opts.modelVersion ?? null };
          return opts.jsonl ? JSON.stringify(opts.tokenized ? { ...empty, tokenized: '' } : empty) + '\n' : '\n';
        }
        let c: Correction;
        let error: string | undefined;
        try {
          c = await corrector.correct(text, { reasonLanguage });
        } catch (e) {
          if (!(e instanceof EngineFailure)) throw e;
          failed++;
          error = e.message;
          stderr.write(`line ${lineNo}: left unchanged: ${e.message}\n`);
          c = { input: text, corrected: text, edits: [], reason: '', engine: corrector.name, modelVersion: opts.modelVersion ?? null };
        }
        const shown = opts.tokenized ? tokenize(c.corrected) : c.corrected;
        if (!opts.jsonl) return shown + '\n';
        const record = {
          input: c.input,
          corrected: c.corrected,
          reason: c.reason,
          edits: c.edits,
          engine: c.engine,
          modelVersion: c.modelVersion,
          ...(c.systems ? { systems: c.systems } : {}),
          ...(c.unavailable ? { unavailable: c.unavailable } : {}),
          ...(opts.tokenized ? { tokenized: shown } : {}),
          ...(error ? { error } : {}),
        };
        return JSON.stringify(record) + '\n';
      };
      // Up to one line per pool thread in flight; written in input order.
      const window = corrector.parallelism ?? 1;
      const inFlight: Promise<string>[] = [];
      let lineNo = 0;
      for await (const raw of lines) {
        const p = render(raw, ++lineNo);
        p.catch(() => {}); // awaited below, in order; this only keeps an early rejection from counting as unhandled
        inFlight.push(p);
        if (inFlight.length >= window) await write(out, await inFlight.shift()!);
      }
      while (inFlight.length) await write(out, await inFlight.shift()!);
    } finally {
      await done();
    }
  } finally {
    await corrector.close?.();
    await pool?.close();
  }
  if (failed) stderr.write(`${failed} line${failed === 1 ? '' : 's'} could not be corrected and ${failed === 1 ? 'was' : 'were'} written unchanged\n`);
}

/** The command, with the engines it offers (every engine, for this process's config) registered. */
export function registerCorrect(program: Command, deps: CorrectDeps = {}) {
  registerAllEngines(cliConfig());
  program
    .command('correct')
    .description('correct English sentences, one per line, and explain each correction')
    .option('--engine <name>', `correction engine (${engineNames().join(', ')})`, DEFAULT_ENGINE)
    .option('--input <file>', "input file, one sentence per line ('-' = stdin)", '-')
    .option('--output <file>', "output file ('-' = stdout)", '-')
    .option('--tokenized', 'lines are JFLEG-tokenized text (detokenized before, tokenized after)', false)
    .option('--jsonl', 'write one JSON record per line: {input, corrected, reason, edits, engine, modelVersion}', false)
    .option('--reason-language <lang>', 'language of the reasons: ko or en', DEFAULT_REASON_LANGUAGE)
    .option('--model <file>', "learned patterns: a rules model JSON (engines ensemble and rules; a training run's model/rules.json)")
    .option('--scorer <file>', "an edit scorer JSON (engine ensemble; a training run's model/scorer.json)")
    .option('--model-version <version>', 'model version to report in --jsonl records')
    .option('--threads <n>', 'engine threads correcting lines at once (faster; more than 1 is not reproducible to the last sentence)', '1')
    // Usage errors caught by commander itself (unknown option, option without its value) exit 2 too.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(action((opts: CorrectCommandOptions) => runCorrect(opts, deps)));
}
