// GET /v1/evaluations/{symbol}/{horizon}/latest[?missing=empty]: the newest walk-forward evaluation (`coinsphere evaluate`) of one
// asset at one horizon, cut from the stored result: that asset's folds, pooled summary with intervals, calibration
// and trading, its rows of the targets table, the horizon's permutation feature importance, and the run's config. The dashboard's model card draws it.
// Runtime-neutral: must not import node:*.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { EvaluationQuerySchema, EvaluationResponseSchema, SymbolHorizonParamsSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import type { EvaluationRecord } from '../store.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/evaluations/{symbol}/{horizon}/latest',
  summary: 'The newest walk-forward evaluation of one asset at one horizon (coinsphere evaluate)',
  request: { params: SymbolHorizonParamsSchema, query: EvaluationQuerySchema },
  responses: {
    200: { description: 'The evaluation', content: { 'application/json': { schema: EvaluationResponseSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

/** The stored result as far as this route reads it; anything else in it travels untouched. */
const StoredReportSchema = z.object({
  generatedAt: z.string(),
  preset: z.string(),
  data: z.record(z.string(), z.unknown()),
  horizons: z.array(z.object({ horizonDays: z.number(), assets: z.record(z.string(), z.record(z.string(), z.unknown())), importance: z.unknown().optional() })),
  targets: z.array(z.looseObject({ symbol: z.string(), horizonDays: z.number() })),
  notes: z.array(z.string()),
});

/** The part of a stored evaluation about `symbol` at `horizonDays` (sent as EvaluationSchema describes it, the
 *  stored slice whole), or null when it holds none. Throws on a report of another shape. */
export function sliceEvaluation(e: EvaluationRecord, symbol: string, horizonDays: number) {
  const parsed = StoredReportSchema.safeParse(e.report);
  if (!parsed.success) throw new Error(`Stored evaluation ${e.id} is not an evaluation result: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const r = parsed.data;
  const horizon = r.horizons.find((h) => h.horizonDays === horizonDays);
  const asset = horizon?.assets[symbol];
  if (!asset) return null;
  return {
    id: e.id,
    createdAt: e.createdAt,
    generatedAt: r.generatedAt,
    preset: r.preset,
    symbols: e.symbols,
    horizons: e.horizons,
    config: e.config,
    data: { [symbol]: r.data[symbol] ?? null },
    asset,
    importance: horizon?.importance ?? null, // the model's, over every asset of the run (the served model is one for all)
    targets: r.targets.filter((t) => t.symbol === symbol && t.horizonDays === horizonDays),
    notes: r.notes,
  };
}

/** Registers GET /v1/evaluations/{symbol}/{horizon}/latest. */
export function registerEvaluationRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol, horizon } = c.req.valid('param');
    const stored = await ctx.deps.store.latestEvaluation(symbol, horizon).catch(storeUnavailable('the evaluation store'));
    const evaluation = stored && sliceEvaluation(stored, symbol, horizon);
    if (!evaluation && c.req.valid('query').missing === 'empty') return sendJson(c, JSON.stringify({ evaluation: null }), `public, max-age=${ctx.config.maxAgeSeconds}`);
    if (!evaluation) {
      throw new ApiError(404, 'not_found', `No evaluation of ${symbol} at horizon ${horizon} days yet. Run one: npx coinsphere evaluate --symbols ${symbol} --horizon ${horizon}`);
    }
    return sendJson(c, JSON.stringify({ evaluation }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });
}
