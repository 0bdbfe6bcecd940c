// GET /v1/assets: symbols with data, their candle range and the horizons that have models.
// Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { AssetsSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';
import { storeUnavailable } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { sendJson } from './http.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/assets',
  summary: 'Symbols with data and the horizons that have models',
  responses: {
    200: { description: 'Assets', content: { 'application/json': { schema: AssetsSchema } } },
    304: { description: 'Not modified' },
    ...errorResponses(429, 503),
  },
});

/** Registers GET /v1/assets. */
export function registerAssetRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    await ctx.limit(c, 'read');
    const assets = await ctx.deps.store.listAssets().catch(storeUnavailable('the store'));
    return sendJson(c, JSON.stringify({ assets }), `public, max-age=${ctx.config.maxAgeSeconds}`);
  });
}
