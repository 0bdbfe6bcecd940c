// CLI failures: one line on stderr naming the problem and its fix, and an exit code. Exit 2 = bad input
// (the user's file or arguments), 3 = the database is locked by another process, 1 = anything else.
import { DataError } from '@coinsphere/data';
import type { Command } from 'commander';

/** A failure a command reports on purpose, with its exit code. */
export class CliError extends Error {
  /** The command it came from (`train`, `snapshot export`), set when it leaves the command's action. */
  command?: string;
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

/** `train`, `snapshot export`: a command's path below the program. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Wraps a commander action so the command's name travels with its failures (the program prints them). */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const command = args.at(-1);
      if (error instanceof CliError && error.command === undefined && command && typeof command === 'object' && 'parent' in command) {
        error.command = commandPath(command as Command);
      }
      throw error;
    }
  };
}
