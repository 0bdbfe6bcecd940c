// Bearer-token check for writes: constant-time comparison, and writes disabled (401) when no token is
// configured. Runtime-neutral: must not import node:*.
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';

/** Compares two strings in time that depends only on their lengths' maximum, not on where they differ. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.max(ea.length, eb.length);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < n; i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}

/** Throws 401 unless `Authorization: Bearer <token>` matches `expected`; always throws when it is null. */
export function requireBearer(c: Context, expected: string | null): void {
  if (expected === null) {
    throw new ApiError(401, 'writes_disabled', 'Writes are disabled: the server has no COINSPHERE_API_TOKEN configured.');
  }
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match || !timingSafeEqualStrings(match[1]!, expected)) {
    throw new ApiError(401, 'unauthorized', 'Missing or wrong bearer token; send Authorization: Bearer <COINSPHERE_API_TOKEN>.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
}

/** Route middleware form of requireBearer. */
export function requireBearerMiddleware(expected: string | null): MiddlewareHandler {
  return async (c, next) => {
    requireBearer(c, expected);
    await next();
  };
}
