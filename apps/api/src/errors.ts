// Errors the API answers with: one class carrying status, code and a message that is safe to show.
// Runtime-neutral: must not import node:* or any runtime package.

/** HTTP statuses the API answers errors with. */
export type ErrorStatus = 400 | 401 | 404 | 413 | 429 | 500 | 503;

/** An error whose code and message may leave the server as `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

/** The JSON error body. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
