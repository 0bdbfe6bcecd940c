// GET /v1/health: store and cache status, model count and the newest prediction time. Never cached, never
// 5xx: a down store is reported in the body. Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HealthSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/health',
  summary: 'Status of the store and the cache',
  responses: { 200: { description: 'Health report', content: { 'application/json': { schema: HealthSchema } } } },
});

/** Registers GET /v1/health. */
export function registerHealthRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    const [stats, cache] = await Promise.all([
      ctx.deps.store.stats().then(
        (s) => ({ ok: true as const, ...s }),
        () => ({ ok: false as const }),
      ),
      ctx.deps.cache.health().catch((err: unknown) => ({ backend: ctx.deps.cache.backend, ok: false, detail: String(err) })),
    ]);
    const store = stats.ok ? { kind: ctx.deps.store.kind, ok: true } : { kind: ctx.deps.store.kind, ok: false, detail: 'Store unreachable.' };
    c.header('cache-control', 'no-store');
    return c.json(
      {
        status: stats.ok && cache.ok && !('fallbackFrom' in cache && cache.fallbackFrom) ? ('ok' as const) : ('degraded' as const),
        store,
        cache,
        modelCount: stats.ok ? stats.modelCount : null,
        newestPredictionAt: stats.ok ? stats.newestPredictionAt : null,
      },
      200,
    );
  });
}
