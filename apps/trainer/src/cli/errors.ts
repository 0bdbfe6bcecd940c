// CLI failures: one line on stderr naming the problem and its fix, and an exit code. Exit 2 = bad input
// (the user's file or arguments), 3 = the database is locked by another process, 1 = anything else.
import { DataError } from '@coinsphere/data';
import { isDebug } from './env.ts';

/** A failure a command reports on purpose, with its exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Exit code for an error: CliError's own, DataError by kind, else 1. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof DataError) return error.kind === 'input' ? 2 : error.kind === 'locked' ? 3 : 1;
  return 1;
}

/** Prints `coinsphere: <message>` (one line) and sets the exit code; stack traces only with COINSPHERE_DEBUG. */
export function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`coinsphere: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (isDebug() && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = exitCodeOf(error);
}

/** Wraps a commander action so failures print one line and set the exit code instead of throwing. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      reportFailure(error);
    }
  };
}
