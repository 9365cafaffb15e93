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
 */
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { createCorrector as defaultCreateCorrector, DEFAULT_ENGINE, EngineConfigError, engineNames, type CreateCorrectorOptions } from '../../core/engines';
import { endpoints, loadConfig } from '../../core/config';
import { type Corrector, DEFAULT_REASON_LANGUAGE, reasonLanguageSchema, type ReasonLanguage } from '../../core/engines/types';
import { correctionReason } from '../../core/engines/reasons';
import { detokenize, tokenize } from '../../core/text/tokenize';
import { UsageError, action } from './util';

export interface CorrectCommandOptions {
  engine?: string;
  input?: string;
  output?: string;
  tokenized?: boolean;
  jsonl?: boolean;
  reasonLanguage?: string;
  model?: string;
  modelVersion?: string;
}

export interface CorrectDeps {
  /** Engine lookup; defaults to core/engines createCorrector (the lead's registry). */
  createCorrector?: (name: string, opts: CreateCorrectorOptions) => Promise<Corrector>;
  stdin?: Readable;
  stdout?: Writable;
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

/** The LanguageTool server of the configuration (LANGUAGETOOL_URL, or the stack's on LANGUAGETOOL_PORT). */
function languagetoolUrl(): string {
  return endpoints(loadConfig()).languagetoolUrl;
}

/** Runs the command: reads lines, corrects them, writes the results. */
export async function runCorrect(opts: CorrectCommandOptions, deps: CorrectDeps = {}): Promise<void> {
  const engine = opts.engine ?? DEFAULT_ENGINE;
  const lang = reasonLanguageSchema.safeParse(opts.reasonLanguage ?? DEFAULT_REASON_LANGUAGE);
  if (!lang.success) throw new UsageError(`--reason-language must be ko or en, got ${JSON.stringify(opts.reasonLanguage)}`);
  const reasonLanguage: ReasonLanguage = lang.data;
  const create = deps.createCorrector ?? defaultCreateCorrector;
  if (!deps.createCorrector && !engineNames().includes(engine)) {
    throw new UsageError(`unknown engine "${engine}" (available: ${engineNames().join(', ')})`);
  }
  const input = openInput(opts.input ?? '-', deps.stdin ?? process.stdin);
  let corrector: Corrector;
  try {
    corrector = await create(engine, { modelPath: opts.model, modelVersion: opts.modelVersion ?? null, languagetoolUrl: languagetoolUrl() });
  } catch (e) {
    input.destroy();
    if (e instanceof EngineConfigError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const { out, done } = await openOutput(opts.output ?? '-', deps.stdout ?? process.stdout);
    try {
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        const text = opts.tokenized ? detokenize(line) : line;
        if (!text.trim()) {
          const empty = { input: text, corrected: text, reason: correctionReason([], reasonLanguage), edits: [], engine: corrector.name, modelVersion: opts.modelVersion ?? null };
          await write(out, opts.jsonl ? JSON.stringify(opts.tokenized ? { ...empty, tokenized: '' } : empty) + '\n' : '\n');
          continue;
        }
        const c = await corrector.correct(text, { reasonLanguage });
        const shown = opts.tokenized ? tokenize(c.corrected) : c.corrected;
        if (opts.jsonl) {
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
          };
          await write(out, JSON.stringify(record) + '\n');
        } else await write(out, shown + '\n');
      }
    } finally {
      await done();
    }
  } finally {
    await corrector.close?.();
  }
}

export function registerCorrect(program: Command, deps: CorrectDeps = {}) {
  program
    .command('correct')
    .description('correct English sentences, one per line, and explain each correction')
    .option('--engine <name>', `correction engine (${engineNames().join(', ')})`, DEFAULT_ENGINE)
    .option('--input <file>', "input file, one sentence per line ('-' = stdin)", '-')
    .option('--output <file>', "output file ('-' = stdout)", '-')
    .option('--tokenized', 'lines are JFLEG-tokenized text (detokenized before, tokenized after)', false)
    .option('--jsonl', 'write one JSON record per line: {input, corrected, reason, edits, engine, modelVersion}', false)
    .option('--reason-language <lang>', 'language of the reasons: ko or en', DEFAULT_REASON_LANGUAGE)
    .option('--model <file>', 'rule model JSON (engine rules)')
    .option('--model-version <version>', 'model version to report in --jsonl records')
    // Usage errors caught by commander itself (unknown option, option without its value) exit 2 too.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(action((opts: CorrectCommandOptions) => runCorrect(opts, deps)));
}
