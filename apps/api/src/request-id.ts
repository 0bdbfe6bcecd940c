// The request id every answer carries (X-Request-Id) and every log line of that request names: the client's own
// when it is sane (1-128 letters, digits and `-_.:=`; a proxy's or tracer's id passes), else a generated one: this
// process's random prefix and a counter (as pino-http counts), not a UUID per request, whose random bytes cost the
// cached GET ~4% of its throughput (BENCHMARKS.md). One rule for the Hono app's middleware and the Node entry's fast
// path. Runtime-neutral: must not import node:*.
import type { MiddlewareHandler } from 'hono';

/** The header a request id is read from and echoed in. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[\w.:=-]{1,128}$/; // bounded: a client cannot grow our log lines or smuggle a line break into them

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id (requestIdMiddleware). */
    requestId: string;
  }
}

let prefix = ''; // 12 random hex digits, drawn on first use (a Worker may not draw random bytes at its start)
let issued = 0;

/** A new id, unique within this process and unlikely to repeat another's: `<12 hex digits>-<counter in base 36>`. */
export function newRequestId(): string {
  if (prefix === '') prefix = crypto.randomUUID().replace(/-/g, '').slice(0, 12);
  return `${prefix}-${(++issued).toString(36)}`;
}

/** `header` when it is a sane request id, else a new one (newRequestId). */
export function requestIdOf(header: string | undefined | null): string {
  return header != null && SANE_ID.test(header) ? header : newRequestId();
}

/** Sets `c.var.requestId` from X-Request-Id (requestIdOf) and echoes it in the response's header. */
export function requestIdMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    const id = requestIdOf(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
