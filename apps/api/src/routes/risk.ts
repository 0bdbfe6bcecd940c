// GET /v1/risk/{symbol}: the latest Degen Risk Score of one asset (issue #15) as publish stored it, each component
// with its value or reason, what the score means, the scores of the last 30 days, and the model and series of the
// latest day (a client computes the score from the candles with them). ETag and Cache-Control as the
// latest prediction. Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { RISK_SCORE_MEANING } from '@coinsphere/model/core';
import { RISK_HISTORY_DAYS, RiskParamsSchema, RiskResponseSchema, type RiskResponse } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/risk/{symbol}',
  summary: 'Latest Degen Risk Score of one asset: how violent the next weeks are likely to be (not a recommendation)',
  request: { params: RiskParamsSchema },
  responses: {
    200: { description: `The latest assessment with its components, and the scores of the last ${RISK_HISTORY_DAYS} days`, content: { 'application/json': { schema: RiskResponseSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

/** Registers GET /v1/risk/{symbol}. */
export function registerRiskRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const rows = await ctx.deps.store.riskHistory(symbol, RISK_HISTORY_DAYS).catch(storeUnavailable('the risk score store'));
    const latest = rows.at(-1);
    if (!latest) throw new ApiError(404, 'not_found', `No risk score for symbol "${symbol}"; see /v1/assets for what exists, and run \`coinsphere publish\` (with --edge for a Worker) to compute scores.`);
    const inputs = await ctx.deps.store.riskInputs(symbol, latest.day).catch(storeUnavailable('the risk model store'));
    const body: RiskResponse = {
      ...latest,
      meaning: RISK_SCORE_MEANING,
      history: rows.map((r) => ({ day: r.day, score: r.score.ok ? r.score.value : null, reason: r.score.ok ? null : r.score.reason })),
      inputs,
    };
    return sendJson(c, JSON.stringify(body), ctx.latestCacheControl);
  });
}
