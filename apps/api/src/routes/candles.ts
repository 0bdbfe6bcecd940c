// GET /v1/candles/{symbol}[?source=]: the daily candles the dashboard charts and feeds its own inference; it asks
// for the source the model was trained on (metadata.dataSource), as `coinsphere predict` reads. Runtime-neutral:
// must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { CandlesParamsSchema, CandlesQuerySchema, CandlesSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from '../app.ts';
import { ApiError } from '../errors.ts';
import { addDays } from '../outcome.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/candles/{symbol}',
  summary: 'Daily candles of one symbol (default: the last 365 days)',
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
    const fromDay = q.from ?? addDays(toDay, -365);
    if (fromDay > toDay) throw new ApiError(400, 'invalid_request', `from (${fromDay}) is after to (${toDay}); swap them.`);
    const unavailable = (err: unknown): never => {
      throw new ApiError(503, 'store_unavailable', 'The candle store is unreachable; retry shortly.', { cause: err });
    };
    const store = ctx.deps.store;
    const candles = await store.dailyCandles(symbol, Date.parse(`${fromDay}T00:00:00Z`), Date.parse(`${toDay}T00:00:00Z`), q.source).catch(unavailable);
    if (candles.length === 0) {
      const [assets, sources] = await Promise.all([store.listAssets(), q.source ? store.candleSources(symbol) : null]).catch(unavailable);
      if (!assets.some((a) => a.symbol === symbol)) throw new ApiError(404, 'not_found', `Unknown symbol "${symbol}"; see /v1/assets for the symbols with data.`);
      if (q.source && sources && !sources.includes(q.source)) {
        throw new ApiError(404, 'not_found', `No daily candles of ${symbol} from source "${q.source}". Sources with data: ${sources.join(', ') || 'none'}.`);
      }
    }
    return sendJson(c, JSON.stringify({ symbol, candles }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });
}
