// The request id every answer carries (X-Request-Id) and every log line of that request names: the client's own
// when it is sane (1-128 letters, digits and `-_.:=`; a proxy's or tracer's id passes), else a fresh UUID. One
// rule for the Hono app's middleware and the Node entry's fast path. Runtime-neutral: must not import node:*.
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

/** `header` when it is a sane request id, else a new random UUID. */
export function requestIdOf(header: string | undefined | null): string {
  return header != null && SANE_ID.test(header) ? header : crypto.randomUUID();
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
