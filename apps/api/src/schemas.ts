// The OpenAPI side of the wire contract: the standard error responses of a route. The payload schemas themselves
// are declared once, in @coinsphere/serving/contract (the dashboard and the publisher parse with the same ones);
// declare new ones there, not here. Runtime-neutral: must not import node:* or any runtime package.
import { ErrorSchema } from '@coinsphere/serving/contract';

/** Standard error responses for a route, keyed by status. */
export function errorResponses(...statuses: Array<400 | 401 | 404 | 409 | 413 | 429 | 503>) {
  const descriptions = {
    400: 'Invalid parameter or body',
    401: 'Missing or wrong bearer token',
    404: 'Unknown symbol, model or file',
    409: 'Conflicts with what is stored (the files of a registered model)',
    413: 'Body larger than allowed',
    429: 'Rate limit exceeded',
    503: 'Store or predictor unavailable',
  } as const;
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s], content: { 'application/json': { schema: ErrorSchema } } }]),
  );
}
