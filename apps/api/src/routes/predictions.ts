// Prediction routes: the latest of one symbol, of several, the history with realised outcomes, and the
// authenticated publish. Runtime-neutral: must not import node:*.
import { createRoute, type z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { addDays, modelSourceFor, realisedOutcome, thresholdsFromMetadata, thresholdsOf } from '@coinsphere/serving';
import { servedResponse } from '../predictions-service.ts';
import { predictionNow } from '../served-monitoring.ts';
import {
  HistoryQuerySchema,
  HistorySchema,
  LatestPredictionParamsSchema,
  LatestPredictionQuerySchema,
  LatestPredictionsQuerySchema,
  LatestPredictionsSchema,
  PublishBatchSchema,
  PublishResultSchema,
  ServedPredictionSchema,
} from '@coinsphere/serving/contract';
import { errorResponses } from '../schemas.ts';
import { staleness, staleReasons } from '../staleness.ts';
import { requireBearerMiddleware } from './auth.ts';
import { limitBody, rateLimit, sendJson } from './http.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const latestRoute = createRoute({
  method: 'get',
  path: '/v1/predictions/{symbol}',
  summary: 'Latest prediction of one symbol',
  request: { params: LatestPredictionParamsSchema, query: LatestPredictionQuerySchema },
  responses: { 200: json(ServedPredictionSchema, 'The latest prediction'), 304: { description: 'Not modified' }, ...errorResponses(400, 404, 429, 503) },
});

const manyRoute = createRoute({
  method: 'get',
  path: '/v1/predictions',
  summary: 'Latest predictions of several symbols',
  request: { query: LatestPredictionsQuerySchema },
  responses: {
    200: json(LatestPredictionsSchema, 'Latest predictions; symbols without one are listed in `missing`'),
    304: { description: 'Not modified' },
    ...errorResponses(400, 429, 503),
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/v1/predictions/{symbol}/history',
  summary: 'Stored predictions with the realised outcome where the horizon has passed',
  request: { params: LatestPredictionParamsSchema, query: HistoryQuerySchema },
  responses: {
    200: json(HistorySchema, 'History, oldest first; every entry says whether its data are old now'),
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

const publishRoute = createRoute({
  method: 'post',
  path: '/v1/predictions',
  summary: 'Publish a batch of predictions (bearer token)',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: PublishBatchSchema } } } },
  responses: { 200: json(PublishResultSchema, 'Stored; the cache keys that changed'), ...errorResponses(400, 401, 413, 429) },
});

const storeDown = storeUnavailable('the prediction store');

/** Registers the prediction routes. */
export function registerPredictionRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const cacheControl = ctx.latestCacheControl;
  const staleControl = 'public, max-age=5';

  // Fast path for the hottest read: a fresh cached entry with plain parameters is answered here (the same
  // answerer the Node entry calls before Hono); anything else falls through to the validated, documented route.
  app.get('/v1/predictions/:symbol', async (c, next) => {
    const found = ctx.answerFresh(c.req.url, c.req.header('if-none-match'), c.req.header('origin'), ctx.clientId(c));
    const answer = found instanceof Promise ? await found : found;
    if (!answer) return next();
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });

  app.openapi(latestRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const { horizon } = c.req.valid('query');
    const [served] = await ctx.predictions.readLatest([symbol], horizon);
    if (!served) throw new ApiError(404, 'not_found', `No prediction for symbol "${symbol}" at horizon ${horizon} days; see /v1/assets for what exists.`);
    const { body, etag } = servedResponse(served, ctx.nowMs(), ctx.config.modelExpiryDays);
    return sendJson(c, body, served.storeUnreachable ? staleControl : cacheControl, etag);
  });

  app.openapi(manyRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbols, horizon } = c.req.valid('query');
    const served = await ctx.predictions.readLatest(symbols, horizon);
    const found = served.filter((s) => s !== null);
    const missing = symbols.filter((_, i) => served[i] === null);
    const now = ctx.nowMs();
    const body = `{"predictions":[${found.map((s) => servedResponse(s, now, ctx.config.modelExpiryDays).body).join(',')}],"missing":${JSON.stringify(missing)}}`;
    return sendJson(c, body, found.some((s) => s.storeUnreachable) ? staleControl : cacheControl);
  });

  app.openapi(historyRoute, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const { horizon, from, to } = c.req.valid('query');
    const toDay = to ?? new Date(ctx.nowMs()).toISOString().slice(0, 10);
    const fromDay = from ?? addDays(toDay, -365);
    if (fromDay > toDay) throw new ApiError(400, 'invalid_request', `from (${fromDay}) is after to (${toDay}); swap them.`);
    const store = ctx.deps.store;
    const [rows, models] = await Promise.all([store.predictionHistory(symbol, horizon, fromDay, toDay), store.listModels()]).catch(storeDown);
    if (rows.length === 0 && !models.some((m) => m.symbol === symbol)) {
      throw new ApiError(404, 'not_found', `Unknown symbol "${symbol}": no model and no predictions; see /v1/assets.`);
    }
    const lastDay = addDays(rows.at(-1)?.asOf ?? toDay, horizon);
    // the models behind the rows (an asset's own, or a pooled one serving it): each outcome is judged on its model's series
    const modelMeta = new Map(models.filter((m) => m.horizonDays === horizon && (m.symbol === symbol || m.scope === 'pooled')).map((m) => [m.version, m.metadata]));
    const sourceOf = (p: (typeof rows)[number]) => modelSourceFor(modelMeta.get(p.modelVersion), symbol);
    const closes = new Map<string | undefined, Map<string, number>>();
    for (const source of new Set(rows.map(sourceOf))) {
      const candles = await store.dailyCandles(symbol, Date.parse(`${rows[0]!.asOf}T00:00:00Z`), Date.parse(`${lastDay}T00:00:00Z`), source).catch(storeDown);
      closes.set(source, new Map(candles.map((k) => [new Date(k.openTimeMs).toISOString().slice(0, 10), k.close])));
    }
    const now = ctx.nowMs();
    const predictions = rows.map((p) => ({ ...predictionNow(p, now, ctx.config.modelExpiryDays), outcome: realisedOutcome(p, closes.get(sourceOf(p))!, thresholdsOf(p, thresholdsFromMetadata(modelMeta.get(p.modelVersion)))), ...staleness(staleReasons(p.asOf, now)) }));
    return sendJson(c, JSON.stringify({ predictions }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });

  // The write bucket, auth and the size limit run as route middleware, before the body is read or validated; the
  // limit first, so guessing the token costs tokens too.
  const guarded = { ...publishRoute, middleware: [rateLimit(ctx, 'write'), requireBearerMiddleware(ctx.config.apiToken), limitBody(ctx.config.maxBodyBytes)] };
  app.openapi(guarded, async (c) => {
    const result = await ctx.predictions.publish(c.req.valid('json').predictions).catch(storeDown);
    return c.json(result, 200);
  });
}
