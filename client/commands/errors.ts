/**
 * How the CLI reports a failure: one line on stderr, `error: <what went wrong>`, with a hint where
 * one helps; the stack trace (and its causes) only with `--debug`. Errors are recognised by name,
 * so this module loads nothing heavy.
 */

/** An error caused by the user's input: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Set by the CLI entry when `--debug` was given. */
let debug = false;
export function setDebug(on: boolean): void {
  debug = on;
}

/** One line: newlines become `; `, indentation goes. */
export function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.reduce((out, l, i) => (i === 0 ? l : `${out}${lines[i - 1].endsWith(':') ? ' ' : '; '}${l}`), '');
}

const causeOf = (e: Error) => (e.cause instanceof Error ? e.cause : undefined);

/** The message and exit code for an error, as the CLI prints it. */
export function describeError(e: unknown): { message: string; exitCode: number } {
  if (!(e instanceof Error)) return { message: oneLine(String(e)), exitCode: 1 };
  const msg = oneLine(e.message);
  switch (e.name) {
    case 'UsageError':
    case 'InvalidInputError':
    case 'StageInputError':
      return { message: msg, exitCode: 2 };
    case 'ConfigError':
    case 'StackError':
    case 'RefusedError':
    case 'ApprovalRefusedError':
    case 'TemporalUnreachableError':
      return { message: msg, exitCode: 1 };
    case 'WorkflowNotFoundError': {
      const id = (e as Error & { workflowId?: string }).workflowId;
      return { message: `${id ? `workflow ${id}: ` : ''}${msg} (see \`correctly pipeline list\` or the Temporal Web UI)`, exitCode: 1 };
    }
    case 'WorkflowUpdateFailedError':
    case 'WorkflowFailedError': {
      const cause = causeOf(e);
      return { message: cause ? `${msg}: ${oneLine(cause.message)}` : msg, exitCode: 1 };
    }
    default: {
      const cause = causeOf(e);
      const why = cause && !msg.includes(cause.message) ? `: ${oneLine(cause.message)}` : '';
      return { message: `${msg}${why}${debug ? '' : ' (--debug shows the stack trace)'}`, exitCode: 1 };
    }
  }
}

/** Prints the error (one line, plus the stack with --debug) and returns the exit code. */
export function reportError(e: unknown): number {
  const { message, exitCode } = describeError(e);
  console.error(`error: ${message}`);
  if (debug && e instanceof Error) {
    for (let err: Error | undefined = e, depth = 0; err && depth < 5; err = causeOf(err), depth++) console.error(depth ? `caused by: ${err.stack}` : err.stack);
  }
  return exitCode;
}
