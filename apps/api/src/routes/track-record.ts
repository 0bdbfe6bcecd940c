// GET /v1/track-record/{symbol}?horizon=: the live track record of one asset and horizon (issue #16), one record per
// model version that published there: accuracy, macro-F1, Brier and a reliability table over the last 30/90/365
// days and since it went live, each beside the baselines recorded with the predictions, with intervals. Live only
// (the walk-forward's backtest figures are /v1/evaluations'). ETag and Cache-Control as the latest prediction. The
// stores memoise the records under a version token (TrackRecordMemo); the body and ETag are built once per records.
// Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { TrackRecordParamsSchema, TrackRecordQuerySchema, TrackRecordResponseSchema, type TrackRecordResponse } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { ApiError, storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';
import { hashString } from '@coinsphere/serving';
import type { TrackRecord } from '@coinsphere/serving/contract';

const answers = new WeakMap<readonly TrackRecord[], { body: string; etag: string }>(); // by the memoised records

/** The body and ETag of `records` (the same array: the same answer, serialised and hashed once). */
function answerOf(symbol: string, horizonDays: number, records: TrackRecord[]): { body: string; etag: string } {
  let a = answers.get(records);
  if (!a) {
    const response: TrackRecordResponse = { symbol, horizonDays, kind: 'live', records };
    const body = JSON.stringify(response);
    a = { body, etag: `W/"${hashString(body)}"` };
    answers.set(records, a);
  }
  return a;
}

const route = createRoute({
  method: 'get',
  path: '/v1/track-record/{symbol}',
  summary: 'Live track record of one asset and horizon: how published predictions fared against what happened, beside the baselines on the same days',
  request: { params: TrackRecordParamsSchema, query: TrackRecordQuerySchema },
  responses: {
    200: { description: 'One live record per model version, oldest first', content: { 'application/json': { schema: TrackRecordResponseSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(400, 404, 429, 503),
  },
});

/** Registers GET /v1/track-record/{symbol}. */
export function registerTrackRecordRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const { symbol } = c.req.valid('param');
    const { horizon } = c.req.valid('query');
    const records = await ctx.deps.store.trackRecord(symbol, horizon).catch(storeUnavailable('the prediction store'));
    if (records.length === 0) {
      throw new ApiError(404, 'not_found', `No published predictions of "${symbol}" at ${horizon} days; see /v1/assets for what exists, and run \`coinsphere publish\` (with --edge for a Worker).`);
    }
    const { body, etag } = answerOf(symbol, horizon, records);
    return sendJson(c, body, ctx.latestCacheControl, etag);
  });
}
