// Errors the API answers with: one class carrying status, code and a message that is safe to show.
// Runtime-neutral: must not import node:* or any runtime package.

/** HTTP statuses the API answers errors with. */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 429 | 500 | 503;

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

/** A schema check's first issue as the 400 every route answers: `path: message`. */
export function invalidRequest(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): ApiError {
  const issue = issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return new ApiError(400, 'invalid_request', `${where}${issue?.message ?? 'invalid input'}`);
}

/** The JSON error body; with the request's id (X-Request-Id) when there is one, so a client can quote it. */
export function errorBody(code: string, message: string, requestId?: string): { error: { code: string; message: string; requestId?: string } } {
  return { error: requestId === undefined ? { code, message } : { code, message, requestId } };
}

/** The longest cause line logged. */
const MAX_LOG_CHARS = 300;

/**
 * One line describing `err` for the operator's log: its name and message (and its cause's, one level), credentials
 * in URLs (`//user:password@`) and `password=…` pairs replaced by `***`, line breaks flattened, at most 300 chars.
 */
export function describeError(err: unknown): string {
  const one = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  const cause = err instanceof Error && err.cause !== undefined ? ` (cause: ${one(err.cause)})` : '';
  const line = `${one(err)}${cause}`
    .replace(/\/\/[^/\s:@]*:[^/\s@]*@/g, '//***@')
    .replace(/(password|passwd|pwd|token|secret)=[^\s&;,)]*/gi, '$1=***')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_LOG_CHARS ? `${line.slice(0, MAX_LOG_CHARS - 1)}…` : line;
}

/** A `.catch` for a store read: a 503 `store_unavailable` naming `what` ("the candle store") and saying to retry. */
export function storeUnavailable(what: string): (err: unknown) => never {
  return (err: unknown): never => {
    throw new ApiError(503, 'store_unavailable', `${what[0]!.toUpperCase()}${what.slice(1)} is unreachable; retry shortly.`, { cause: err });
  };
}
