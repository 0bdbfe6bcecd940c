// Errors the data layer throws on purpose. Each names the bad value and the fix; the CLI prints `message` as
// its one line and maps `kind` to an exit code. Must not import runtime packages.

/** What went wrong, coarse enough for a CLI to pick an exit code: 'input' = the user's data (exit 2). */
export type DataErrorKind = 'input' | 'database' | 'locked' | 'network' | 'not-found';

/** A failure with a message fit to show a user as is. */
export class DataError extends Error {
  readonly kind: DataErrorKind;
  constructor(kind: DataErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
    this.kind = kind;
  }
}
