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

import type { PredictorResult } from '../predictor.ts';

export type { Predictor } from '../predictor.ts';

/** Content types the route's validator reads as JSON (as @hono/zod-openapi matches application/json). */
const JSON_BODY = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

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
      // A predictor that parses and validates off the request loop gets the body's text (the route's validator below
      // is then skipped, with the same 400s); any other content type goes on to the validator's 415.
      async (c: Parameters<Parameters<typeof app.use>[1]>[0], next: () => Promise<void>) => {
        const fromBody = ctx.deps.predictor?.fromBody;
        if (!fromBody || !JSON_BODY.test(c.req.header('content-type') ?? '')) return next();
        return c.json(answer(await fromBody(await c.req.text())), 200);
      },
    ],
  };
  const answer = (out: PredictorResult) => ({ ...out, ...staleness(staleReasons(out.asOf, ctx.nowMs())) });
  app.openapi(guarded, async (c) => {
    const request = c.req.valid('json');
    if (!ctx.deps.predictor) throw new ApiError(503, 'predictor_unavailable', 'On-demand prediction is not configured on this server.');
    return c.json(answer(await ctx.deps.predictor(request)), 200);
  });
}
