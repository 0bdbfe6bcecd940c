// What an entry can watch of each request the app answers (for metrics and request logs; node.ts fills it with
// prom-client and pino) and the middleware that reports it. A request is named by its route *pattern*
// (`/v1/predictions/{symbol}`), never its raw path, so a label set stays bounded however many paths clients try:
// every path no route matched is `unmatched`. Runtime-neutral: must not import node:*, prom-client or pino.
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/** One answered request. */
export interface RequestRecord {
  method: string;
  /** The route pattern (`/v1/predictions/{symbol}`), or `unmatched`. */
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
}

/** Where an entry watches requests. Both calls must be cheap and must not throw. */
export interface RequestObserver {
  /** Once per answered request, after its response is built. */
  request(r: RequestRecord): void;
}

/** The label of requests no route answered. */
export const UNMATCHED_ROUTE = 'unmatched';

const patterns = new Map<string, string>(); // a route's Hono path -> its label; bounded by the routes registered

/** A Hono route path as a label: `:symbol` (with any `{regex}`) as `{symbol}`; a wildcard that answered 404 (no route,
 *  `/v1/*`'s not-found) as `unmatched`. */
export function routeLabel(honoPath: string, status: number): string {
  if (status === 404 && honoPath.includes('*')) return UNMATCHED_ROUTE;
  let label = patterns.get(honoPath);
  if (label === undefined) {
    label = honoPath === '' ? UNMATCHED_ROUTE : honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
    patterns.set(honoPath, label);
  }
  return label;
}

/** Reports every request to `observer` once its response is built (errors included: onError has answered by then). */
export function observeRequests(observer: RequestObserver): MiddlewareHandler {
  return async (c: Context, next) => {
    const startMs = performance.now();
    await next();
    observer.request({ method: c.req.method, route: routeLabel(routePath(c), c.res.status), status: c.res.status, durationMs: performance.now() - startMs, requestId: c.var.requestId });
  };
}
