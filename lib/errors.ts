import type { Problem } from './source/problem.js';

/** Exit codes, as DESIGN.md promises them. */
export const Exit = {
  ok: 0,
  internal: 1,
  failed: 2,
  unreachable: 3,
  input: 4,
  usage: 5,
  changes: 7,
  interrupted: 130,
} as const;

/** An error the CLI knows how to show: a message (no stack) and an exit code. */
export class AgriError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'AgriError';
  }
}

/** Invalid input found before anything ran: exit 4, with positions. */
export class InputError extends AgriError {
  constructor(problems: Problem[], message = 'invalid input') {
    super(message, Exit.input, problems);
    this.name = 'InputError';
  }
}

/** A bad command line: exit 5. */
export class UsageError extends AgriError {
  constructor(message: string) {
    super(message, Exit.usage);
    this.name = 'UsageError';
  }
}

/** Throws one InputError carrying every problem, if there are any. */
export function raiseIfAny(problems: Problem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}
