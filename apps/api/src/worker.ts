// Workers entry: the app over KV (store, serving cache, registry, artifacts and candles in the PREDICTIONS
// namespace), POST /v1/predict on the fused engine (its .wasm imported as a module), the Cache API for
// stale-while-revalidate on latest predictions, and a cron that refreshes those cached responses.
// Wiring only; configured by the root wrangler.toml (which keeps tfjs out of the bundle).
import { createFusedLstm } from '@coinsphere/engine';
import fusedLstmWasm from '@coinsphere/engine/wasm/fused-lstm.wasm';
import type { ExecutionContext } from 'hono';
import { createApp } from './app.ts';
import { parseApiEnv } from './env.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import { createFusedPredictor, storePredictorDeps, type FusedPredictor } from './fused-predictor.ts';
import { edgeCacheKey, edgeCacheKeyOfPredictionKey, serveWithSwr } from './worker/edge-cache.ts';
import { BindingRateLimiter, type RateLimitBinding } from './worker/binding-rate-limiter.ts';
import { KvCache } from './worker/kv-cache.ts';
import { listKeys, type KvNamespace } from './worker/kv.ts';
import { KvStore } from './worker/kv-store.ts';

/** Bindings from wrangler.toml and secrets. */
export interface WorkerEnv {
  PREDICTIONS: KvNamespace;
  COINSPHERE_API_TOKEN?: string;
  CORS_ORIGINS?: string;
  /** Rate-limiting bindings ([[ratelimits]] in wrangler.toml); without them an in-isolate bucket limits. */
  RATE_LIMIT_READ?: RateLimitBinding;
  RATE_LIMIT_PREDICT?: RateLimitBinding;
  [name: string]: unknown;
}

const edgeCache = (): Cache => (globalThis.caches as unknown as { default: Cache }).default;

let built: { env: WorkerEnv; app: ReturnType<typeof createApp>; maxAgeSeconds: number; predictor: FusedPredictor } | undefined;
function appFor(env: WorkerEnv) {
  if (built?.env !== env) {
    if (!env.PREDICTIONS) throw new Error('KV binding PREDICTIONS is missing; add [[kv_namespaces]] binding = "PREDICTIONS" to wrangler.toml.');
    const parsed = parseApiEnv(env);
    const store = new KvStore(env.PREDICTIONS);
    built?.predictor.dispose();
    const predictor = createFusedPredictor({
      ...storePredictorDeps(store),
      artifacts: store,
      createEngine: (config) => createFusedLstm({ config, wasm: fusedLstmWasm, threads: 1 }), // engines live as long as the isolate
      expiryDays: parsed.modelExpiryDays,
    });
    const rateLimiter = env.RATE_LIMIT_READ || env.RATE_LIMIT_PREDICT
      ? new BindingRateLimiter({ read: env.RATE_LIMIT_READ, predict: env.RATE_LIMIT_PREDICT }, parsed.config.rateLimit ? new TokenBucketLimiter(parsed.config.rateLimit) : null)
      : undefined;
    const app = createApp({ store, cache: new KvCache(env.PREDICTIONS), artifacts: store, admin: store, predictor, modelHealth: () => predictor.health(), config: parsed.config, rateLimiter });
    built = { env, app, maxAgeSeconds: parsed.config.maxAgeSeconds, predictor };
  }
  return built;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const { app, maxAgeSeconds } = appFor(env);
    const url = new URL(request.url);
    const key = request.method === 'GET' ? edgeCacheKey(url) : null;
    if (key) {
      return serveWithSwr(edgeCache(), key, request, () => Promise.resolve(app.fetch(new Request(request.url, { headers: { 'cf-connecting-ip': request.headers.get('cf-connecting-ip') ?? '' } }), env, ctx)), (p) => ctx.waitUntil(p), maxAgeSeconds);
    }
    const res = await app.fetch(request, env, ctx);
    if (request.method === 'POST' && url.pathname === '/v1/predictions' && res.status === 200) {
      const { changedKeys } = (await res.clone().json()) as { changedKeys: string[] };
      const stale = changedKeys.map(edgeCacheKeyOfPredictionKey).filter((k) => k !== null);
      await Promise.all(stale.map((k) => edgeCache().delete(k))); // exactly what the publish changed
    }
    return res;
  },

  /** Cron: rebuilds the Cache API entry of every published latest prediction from KV. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { app } = appFor(env);
    const keys = await listKeys(env.PREDICTIONS, 'cs:v1:pred:');
    for (const k of keys) {
      const cacheKey = edgeCacheKeyOfPredictionKey(k);
      if (!cacheKey) continue;
      const res = await app.fetch(new Request(cacheKey.replace('https://edge-cache.coinsphere.internal', 'https://cron.internal')), env, ctx);
      if (res.status !== 200) continue;
      const copy = new Response(res.body, res);
      copy.headers.set('x-cached-at', String(Date.now()));
      ctx.waitUntil(edgeCache().put(cacheKey, copy));
    }
  },
};
