// GET /metrics on the Node entry: the server's prom-client registry in Prometheus text format, for a scraper. Not in
// the OpenAPI document (an operator's endpoint of one runtime, not the product's API) and not rate limited (a scraper
// calls it every few seconds). With METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`; without,
// it is open, as metrics ports usually are inside a private network. Node only; registered by node.ts.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../errors.ts';
import { timingSafeEqualStrings } from '../routes/auth.ts';
import type { ApiMetrics } from './metrics.ts';

/** Registers GET /metrics on `app` (before the dashboard's catch-all). */
export function serveMetrics(app: OpenAPIHono, metrics: ApiMetrics, token: string | null): void {
  app.get('/metrics', async (c) => {
    if (token !== null) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      if (!match || !timingSafeEqualStrings(match[1]!, token)) {
        throw new ApiError(401, 'unauthorized', 'Missing or wrong bearer token; send Authorization: Bearer <METRICS_TOKEN>.', { headers: { 'www-authenticate': 'Bearer' } });
      }
    }
    const { body, contentType } = await metrics.render();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
}
