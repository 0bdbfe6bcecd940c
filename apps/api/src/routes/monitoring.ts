// GET /v1/monitoring/{symbol}?horizon=: the monitoring summary of one asset under the model served for it (issue
// #16), as publish computed and stored it: model version, age and expiry, PSI drift per feature with its level, and
// the newest prediction's out-of-distribution flag (what `coinsphere monitor` prints for the asset), with the model's
// age and expiry as of the server's clock under its MODEL_EXPIRY_DAYS (the drift stays as of `computedAt`). ETag and
// Cache-Control as the latest prediction. Runtime-neutral: must not import node:*.
import { modelAge } from '@coinsphere/model/core';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { MonitoringParamsSchema, MonitoringQuerySchema, MonitoringSummarySchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/monitoring/{symbol}',
  summary: "Monitoring summary of one asset and horizon: the served model's age and expiry, drift of the recent inputs per feature, the newest prediction's out-of-distribution flag",
  request: { params: MonitoringParamsSchema, query: MonitoringQuerySchema },
  responses: {
    200: { description: 'The summary publish stored (computedAt says when), its model age and expiry as of now', content: { 'application/json': { schema: MonitoringSummarySchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

/** Registers GET /v1/monitoring/{symbol}. */
export function registerMonitoringRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const { horizon } = c.req.valid('query');
    const summary = await ctx.deps.store.monitoringSummary(symbol, horizon).catch(storeUnavailable('the monitoring store'));
    if (!summary) {
      throw new ApiError(404, 'not_found', `No monitoring summary of "${symbol}" at ${horizon} days; see /v1/assets for what exists, and run \`coinsphere publish\` (with --edge for a Worker) to compute one.`);
    }
    const now = { ...summary, ...modelAge(summary.trainedAt, ctx.nowMs(), ctx.config.modelExpiryDays) };
    return sendJson(c, JSON.stringify(now), ctx.latestCacheControl);
  });
}
