// POST /v1/predict: on-demand prediction for a supplied window of daily candles, run by an injected
// predictor (the fused WASM engine once wired), with the day of the newest candle and whether it is stale at the
// server's clock. Body at most maxBodyBytes (413), shape validated (400).
// Runtime-neutral: must not import node:*.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteContext } from '../app.ts';
import { ApiError } from '../errors.ts';
import type { ModelPrediction } from '@coinsphere/model/core';
import { BandSchema, CandleSchema, DaySchema, DIRECTION_CLASSES, errorResponses, ProbabilitiesSchema, SignalSchema, StalenessShape, SymbolSchema } from '../schemas.ts';
import { staleness, staleReasons } from '../staleness.ts';
import { limitBody } from './http.ts';

const increasing = (cs: Array<{ openTimeMs: number }>) => cs.every((k, i) => i === 0 || k.openTimeMs > cs[i - 1]!.openTimeMs);
const candleList = (max: number) => z.array(CandleSchema).max(max).refine(increasing, 'candles must be in strictly increasing openTimeMs order.');

export const PredictRequestSchema = z
  .object({
    symbol: SymbolSchema.openapi({ example: 'BTC' }),
    horizonDays: z.number().int().min(1).max(365),
    candles: candleList(2000).refine((cs) => cs.length >= 2, 'Expected at least 2 daily candles.'),
    hourly: candleList(2000).optional().openapi({ description: 'Hourly candles of the asset, for models whose features read them (change_1h); at least the last day\'s' }),
    market: candleList(2000).optional().openapi({ description: 'Daily candles of BTC (the market factor) for models that read it; default: the server\'s own' }),
  })
  .openapi('PredictRequest');
export type PredictRequest = z.infer<typeof PredictRequestSchema>;

export const PredictResultSchema = z
  .object({
    symbol: z.string(),
    horizonDays: z.number().int(),
    asOf: DaySchema.openapi({ description: 'UTC day of the newest candle in the request: the date of the data the prediction was computed from' }),
    class: z.enum(DIRECTION_CLASSES),
    probabilities: ProbabilitiesSchema,
    confidence: z.number(),
    signal: SignalSchema,
    band: BandSchema,
    modelVersion: z.string(),
    placeholders: z.array(z.string()),
    ...StalenessShape,
  })
  .openapi('PredictResult');

/** Runs the served model on a validated request (the one inference path). Throws ApiError(404) when no model
 *  serves symbol/horizon and ApiError(400) when the window is too short for the model. */
export type Predictor = (request: PredictRequest) => Promise<ModelPrediction>;

const route = createRoute({
  method: 'post',
  path: '/v1/predict',
  summary: 'Predict the direction from a supplied window of daily candles',
  request: { body: { required: true, content: { 'application/json': { schema: PredictRequestSchema } } } },
  responses: {
    200: { description: 'The prediction', content: { 'application/json': { schema: PredictResultSchema } } },
    ...errorResponses(400, 404, 413, 429, 503),
  },
});

/** Registers POST /v1/predict. */
export function registerPredictRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  const guarded = {
    ...route,
    middleware: [
      async (c: Parameters<Parameters<typeof app.use>[1]>[0], next: () => Promise<void>) => {
        await ctx.limit(c, 'predict');
        await next();
      },
      limitBody(ctx.config.maxBodyBytes),
    ],
  };
  app.openapi(guarded, async (c) => {
    const request = c.req.valid('json');
    if (!ctx.deps.predictor) throw new ApiError(503, 'predictor_unavailable', 'On-demand prediction is not configured on this server.');
    const out = await ctx.deps.predictor(request);
    return c.json({ ...out, ...staleness(staleReasons(out.asOf, ctx.nowMs())) }, 200);
  });
}
