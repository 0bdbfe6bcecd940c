import { createApp } from './app.ts';
import { MemoryCache } from './cache/memory-cache.ts';
import { encodeEntry, predictionKey } from './cache/serving-cache.ts';
import { toEntry } from './predictions-service.ts';
import { Hono } from 'hono';
const cache = new MemoryCache();
const p = { symbol: 'BTC', horizonDays: 7, asOf: '2024-06-01', class: 'bullish' as const, probabilities: { bearish: 0.21, neutral: 0.3, bullish: 0.49 }, confidence: 0.49, modelVersion: 'v', placeholders: [], createdAt: '2024-06-01T00:05:00.000Z' };
await cache.setMany([[predictionKey('BTC', 7), encodeEntry(toEntry(p, Date.now()))]]);
const store = {} as never;
const variants: Record<string, (r: Request) => Response | Promise<Response>> = {};
variants.full = createApp({ store, cache, config: { rateLimit: null, cacheFreshSeconds: 3600 } }).fetch;
variants.fullRL = createApp({ store, cache, config: { cacheFreshSeconds: 3600, rateLimit: { capacity: 1e12, refillPerSecond: 1e9 } } }).fetch;
const h = new Hono(); const body = JSON.stringify(p);
h.get('/v1/predictions/:symbol', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
variants.bare = h.fetch;
for (const round of [1, 2]) for (const [name, f] of Object.entries(variants)) {
  const N = 50000; const t = performance.now();
  for (let i = 0; i < N; i++) { const r = await f(new Request('http://x/v1/predictions/BTC?horizon=7')); await r.text(); }
  console.log(round, name, ((performance.now() - t) * 1000 / N).toFixed(2), 'us/req');
}
