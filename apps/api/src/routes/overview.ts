// GET /v1/overview?horizon=: every asset's row of the dashboard's overview in one answer (issue #18), instead of the
// 2 + 3 per asset requests the page made: the asset list, the published calls (one cache read), and per asset its
// last 8 daily candles, latest risk assessment and the live record of the served model, the store reads run at
// once. ETag and Cache-Control as the latest prediction. Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { DAY_MS } from '@coinsphere/model/core';
import { OVERVIEW_CANDLE_DAYS, OverviewQuerySchema, OverviewResponseSchema, servedRecordOf, type Asset } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { storeUnavailable } from '../errors.ts';
import { servedResponse } from '../predictions-service.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/overview',
  summary: "Every asset's overview row at one horizon: its last 8 daily candles, published call, latest risk score and live record, in one answer",
  request: { query: OverviewQuerySchema },
  responses: {
    200: { description: 'One row per asset with daily candles, in /v1/assets order', content: { 'application/json': { schema: OverviewResponseSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 429, 503),
  },
});

/** True when `a` has candles and a model at `horizonDays` (the dashboard's hasModel at that horizon). */
const modelledAt = (a: Asset, horizonDays: number) => a.firstDay !== null && a.lastDay !== null && a.horizons.includes(horizonDays);

/** Registers GET /v1/overview. */
export function registerOverviewRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { horizon } = c.req.valid('query');
    const store = ctx.deps.store;
    const down = storeUnavailable('the store');
    const assets = await store.listAssets().catch(down);
    const modelled = assets.filter((a) => modelledAt(a, horizon)).map((a) => a.symbol);
    const served = await ctx.predictions.readLatest(modelled, horizon);
    const now = ctx.nowMs();
    const predictionOf = new Map(modelled.flatMap((symbol, i) => {
      const s = served[i];
      if (!s) return [];
      const body = servedResponse(s, now, ctx.config.modelExpiryDays).body;
      return [[symbol, { body, modelVersion: (JSON.parse(body) as { modelVersion: string }).modelVersion, stale: s.storeUnreachable }] as const];
    }));
    const ranges = assets.flatMap((a) => (a.lastDay === null ? [] : [{ symbol: a.symbol, toMs: Date.parse(`${a.lastDay}T00:00:00Z`) }])).map((r) => ({ ...r, fromMs: r.toMs - (OVERVIEW_CANDLE_DAYS - 1) * DAY_MS }));
    // one grouped read where the store has it (the database: each symbol's source picked in one scan), else one per asset
    const candlesOf = store.dailyCandlesOfEach ? store.dailyCandlesOfEach(ranges) : null;
    candlesOf?.catch(() => undefined); // awaited in each row
    const rows = await Promise.all(
      assets.map(async (asset) => {
        const range = ranges.find((r) => r.symbol === asset.symbol);
        const s = predictionOf.get(asset.symbol) ?? null;
        const [candles, risk, records] = await Promise.all([
          !range ? [] : candlesOf ? candlesOf.then((m) => m.get(asset.symbol) ?? []) : store.dailyCandles(asset.symbol, range.fromMs, range.toMs),
          store.riskHistory(asset.symbol, 1).then((r) => r.at(-1) ?? null),
          modelledAt(asset, horizon) ? store.trackRecord(asset.symbol, horizon) : [],
        ]).catch(down);
        const record = servedRecordOf(records, s?.modelVersion ?? null);
        const rest = JSON.stringify({ candles, risk, trackRecord: record && { ...record, resolvedDays: [] } }).slice(1);
        return { text: `{"asset":${JSON.stringify(asset)},"prediction":${s?.body ?? 'null'},${rest}`, stale: s?.stale === true };
      }),
    );
    const body = `{"horizonDays":${horizon},"rows":[${rows.map((r) => r.text).join(',')}]}`;
    return sendJson(c, body, rows.some((r) => r.stale) ? 'public, max-age=5' : ctx.latestCacheControl);
  });
}
