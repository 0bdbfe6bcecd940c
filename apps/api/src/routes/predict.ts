// POST /v1/predict: on-demand prediction for a supplied window of daily candles, run by an injected
// predictor (the fused WASM engine: in worker threads on Node, in the isolate on Workers), with the day of the newest
// candle and whether it is stale at the server's clock. Body at most maxBodyBytes (413), shape validated (400); a
// predictor at capacity answers 503 with Retry-After before the body is read.
// Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { PredictRequestSchema, PredictResultSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { staleness, staleReasons } from '../staleness.ts';
import { limitBody } from './http.ts';

export type { Predictor } from '../predictor.ts';

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
        ctx.deps.predictor?.admit?.(); // a full inference queue sheds here, before the body is read or parsed
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
