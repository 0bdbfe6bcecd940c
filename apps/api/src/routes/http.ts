// Response helpers shared by the routes: JSON with Cache-Control and ETag, answering 304 when If-None-Match
// matches. Runtime-neutral: must not import node:*.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';
import { hashString } from '@coinsphere/serving';

/** True when the request's If-None-Match lists `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** Sends a ready JSON string with caching headers, or 304 when the client already has it. */
export function sendJson(c: Context, body: string, cacheControl: string, etag = `W/"${hashString(body)}"`): Response {
  const headers = { etag, 'cache-control': cacheControl, vary: 'Origin' };
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
}

/** Sends bytes (an artifact file) with caching headers, or 304. */
export function sendBytes(c: Context, bytes: Uint8Array, contentType: string, cacheControl: string): Response {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096)); // hash input
  const etag = `"${hashString(text)}-${bytes.length}"`;
  const headers = { etag, 'cache-control': cacheControl };
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': contentType });
}

/** Refuses request bodies over `maxBytes` with 413, counting streamed bytes when Content-Length is absent. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body is over the ${maxBytes}-byte limit; send at most ${maxBytes} bytes.`);
    },
  });
}

/** Takes one token of the client's `bucket` (RouteContext.limit) before anything else of the route runs (429 when it
 *  is empty). */
export function rateLimit(ctx: { limit: (c: Context, bucket: string) => void | Promise<void> }, bucket: string): MiddlewareHandler {
  return async (c, next) => {
    await ctx.limit(c, bucket);
    await next();
  };
}
