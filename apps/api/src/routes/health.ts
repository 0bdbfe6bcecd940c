// GET /v1/health: what the server can do now. The store (reachable or not), the cache (its backend, and whether it
// runs on its fallback because Redis is down), the model count, the newest prediction time and the models of POST
// /v1/predict (loaded, or failed to load and why). 200 'ok'; 200 'degraded' while the cache runs on its fallback
// (every read is still answered); 503 'degraded' when the store is unreachable or a model fails to load, so a load
// balancer or orchestrator sees it. Never cached, and cheap: no model is loaded for it (failures are remembered by
// the predictor). Runtime-neutral: must not import node:*.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HealthSchema } from '@coinsphere/serving/contract';
import type { RouteContext } from './context.ts';

const report = { content: { 'application/json': { schema: HealthSchema } } };
const route = createRoute({
  method: 'get',
  path: '/v1/health',
  summary: 'Status of the store, the cache and the models',
  responses: { 200: { description: 'Health report: ok, or degraded with every request still answered', ...report }, 503: { description: 'Health report: the store or a model is failing', ...report } },
});

/** Registers GET /v1/health. */
export function registerHealthRoutes(app: OpenAPIHono, ctx: RouteContext): void {
  app.openapi(route, async (c) => {
    const [stats, cache, models] = await Promise.all([
      ctx.deps.store.stats().then(
        (s) => ({ ok: true as const, ...s }),
        () => ({ ok: false as const }),
      ),
      ctx.deps.cache.health().catch((err: unknown) => ({ backend: ctx.deps.cache.backend, ok: false, detail: String(err) })),
      ctx.deps.modelHealth?.().catch((err: unknown) => ({ ok: false, loaded: [], failed: [{ model: 'all', message: String(err) }] })),
    ]);
    const store = stats.ok ? { kind: ctx.deps.store.kind, ok: true } : { kind: ctx.deps.store.kind, ok: false, detail: 'Store unreachable; check DATABASE_URL and that the database is up.' };
    const failing = !stats.ok || models?.ok === false;
    const ok = !failing && cache.ok && !('fallbackFrom' in cache && cache.fallbackFrom);
    c.header('cache-control', 'no-store');
    return c.json(
      {
        status: ok ? ('ok' as const) : ('degraded' as const),
        store,
        cache,
        modelCount: stats.ok ? stats.modelCount : null,
        newestPredictionAt: stats.ok ? stats.newestPredictionAt : null,
        ...(models ? { models } : {}),
      },
      failing ? 503 : 200,
    );
  });
}
