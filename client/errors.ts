/** Errors the typed client throws for refused input, each with a message meant for the caller. */

export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The Temporal server did not answer. */
export class TemporalUnreachableError extends Error {
  constructor(address: string, options?: ErrorOptions) {
    const why = options?.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(`cannot reach Temporal at ${address}${why}: is the stack up? \`correctly stack status\` tells`, options);
    this.name = 'TemporalUnreachableError';
  }
}

/** A workflow's update validator (or handler) refused the request: the message is its reason. */
export class RefusedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RefusedError';
  }
}

/** The pipeline refused an approval decision (nothing awaiting approval, missing reviewer…). */
export class ApprovalRefusedError extends RefusedError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalRefusedError';
  }
}

/**
 * The reason a workflow gave for refusing an update (its validator's error, or the handler's
 * failure), or undefined when `e` is something else. Checked by name, so this module stays light.
 */
export function refusalReason(e: unknown): string | undefined {
  if (!(e instanceof Error) || e.name !== 'WorkflowUpdateFailedError') return undefined;
  return e.cause instanceof Error ? e.cause.message : e.message;
}
