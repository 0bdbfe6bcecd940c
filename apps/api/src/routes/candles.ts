// GET /v1/candles/{symbol}[?source=][&interval=1h]: the daily candles the dashboard charts and feeds its own
// inference; it asks for the source the model was trained on (metadata.dataSource), as `coinsphere predict` reads.
// With interval=1h, the hourly candles of the days from..to (whole UTC days) for models whose features read them
// (change_1h). Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { CandlesParamsSchema, CandlesQuerySchema, CandlesSchema, MAX_HOURLY_DAYS } from '@coinsphere/serving/contract';
import { DAY_MS } from '@coinsphere/model/core';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { addDays } from '@coinsphere/serving';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

/** Days of hourly candles served when `from` is absent. */
const DEFAULT_HOURLY_DAYS = 30;

const route = createRoute({
  method: 'get',
  path: '/v1/candles/{symbol}',
  summary: 'Daily candles of one symbol (default: the last 365 days), or its hourly candles with interval=1h (default: the last 30 days)',
  request: { params: CandlesParamsSchema, query: CandlesQuerySchema },
  responses: {
    200: { description: 'Candles, oldest first', content: { 'application/json': { schema: CandlesSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

/** Registers GET /v1/candles/{symbol}. */
export function registerCandleRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const q = c.req.valid('query');
    const toDay = q.to ?? new Date(ctx.nowMs()).toISOString().slice(0, 10);
    const hourly = q.interval === '1h';
    const fromDay = q.from ?? addDays(toDay, hourly ? -(DEFAULT_HOURLY_DAYS - 1) : -365);
    if (fromDay > toDay) throw new ApiError(400, 'invalid_request', `from (${fromDay}) is after to (${toDay}); swap them.`);
    const fromMs = Date.parse(`${fromDay}T00:00:00Z`);
    const toMs = Date.parse(`${toDay}T00:00:00Z`);
    const days = (toMs - fromMs) / DAY_MS + 1;
    if (hourly && days > MAX_HOURLY_DAYS) {
      throw new ApiError(400, 'invalid_request', `Hourly candles are served for at most ${MAX_HOURLY_DAYS} days per request, and ${fromDay}..${toDay} is ${days}; narrow from/to.`);
    }
    const unavailable = storeUnavailable('the candle store');
    const store = ctx.deps.store;
    const candles = await (hourly ? store.hourlyCandles(symbol, fromMs, toMs + DAY_MS - 1, q.source) : store.dailyCandles(symbol, fromMs, toMs, q.source)).catch(unavailable);
    if (candles.length === 0) {
      const [assets, sources] = await Promise.all([store.listAssets(), q.source ? store.candleSources(symbol) : null]).catch(unavailable);
      if (!assets.some((a) => a.symbol === symbol)) throw new ApiError(404, 'not_found', `Unknown symbol "${symbol}"; see /v1/assets for the symbols with data.`);
      if (!hourly && q.source && sources && !sources.includes(q.source)) {
        throw new ApiError(404, 'not_found', `No daily candles of ${symbol} from source "${q.source}". Sources with data: ${sources.join(', ') || 'none'}.`);
      }
    }
    return sendJson(c, JSON.stringify({ symbol, candles }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });
}
