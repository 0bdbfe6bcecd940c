// The API over the Node serving cache (Redis in front of the in-process LRU) when things break, against a
// redis-server this test starts on its own port (the shared one on 6379 is never touched) and a PGlite store it
// closes: a Redis that lost its keys while the store is down still serves what this process holds, marked stale;
// a publish while Redis is down says that the cache was not written instead of reporting the keys as changed.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@coinsphere/data';
import { FallbackCache, MemoryCache, predictionKey } from '@coinsphere/serving';
import type { Prediction } from '@coinsphere/serving/contract';
import { DrizzleStore, RedisCache } from '@coinsphere/serving/node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis } from '../../../tests/support/redis.ts';
import { createApp } from './app.ts';

const TOKEN = 'outage-token-0123456789';
const today = new Date().toISOString().slice(0, 10); // fresh data: only the outage can make an answer stale

function prediction(symbol: string): Prediction {
  return { symbol, horizonDays: 7, asOf: today, class: 'bullish', probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: 'v1', placeholders: [], signal: 'clear', band: null, createdAt: `${today}T00:00:00.000Z` };
}

let dir: string;
let db: Database;
let redis: ChildProcess | undefined;
const caches: FallbackCache[] = [];

/** The app over `db` and Redis at `port` with the LRU as its fallback (what createNodeCache builds). */
function appOn(port: number) {
  const cache = new FallbackCache(new RedisCache(`redis://127.0.0.1:${port}`, { nearCacheMs: 0 }), new MemoryCache());
  caches.push(cache);
  return createApp({ store: new DrizzleStore(db), cache, config: { apiToken: TOKEN, rateLimit: null }, logError: () => {} });
}

const publish = (app: ReturnType<typeof createApp>, predictions: Prediction[]) =>
  app.request('/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ predictions }) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-outage-'));
  db = await openDatabase(join(dir, 'db'));
});

afterAll(async () => {
  for (const c of caches) await c.close();
  await db.close().catch(() => {});
  if (redis && redis.exitCode === null) {
    redis.kill('SIGKILL');
    await once(redis, 'exit');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the API when Redis or the store fails', () => {
  it('says a publish could not write the cache while Redis is down, instead of reporting the keys as changed', async () => {
    const app = appOn(await freePort()); // nothing listens there: Redis is down
    const res = await publish(app, [prediction('DOWN1')]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { written: number; changedKeys: string[]; cacheNotWritten?: { backend: string; message: string } };
    expect(body).toMatchObject({ written: 1, changedKeys: [predictionKey('DOWN1', 7)] });
    expect(body.cacheNotWritten).toMatchObject({ backend: 'redis', message: expect.stringMatching(/not written to redis .*publish again/) });
  });

  it('serves what this process still holds, marked stale, when Redis lost the key and the store is down', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const app = appOn(port);
    const first = await publish(app, [prediction('HELD1'), prediction('HELD2')]);
    expect(((await first.json()) as { cacheNotWritten?: unknown }).cacheNotWritten).toBeUndefined(); // Redis took it
    expect(await (await app.request('/v1/predictions/HELD1')).json()).toMatchObject({ stale: false });
    const direct = new Redis(port, '127.0.0.1');
    await direct.flushall(); // Redis lost its keys, as a restart without persistence does
    direct.disconnect();
    await db.close(); // and the store is gone
    const one = await app.request('/v1/predictions/HELD1');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ symbol: 'HELD1', asOf: today, stale: true, staleReasons: ['store_unreachable'] });
    const many = await app.request('/v1/predictions?symbols=HELD1,HELD2');
    expect(many.status).toBe(200);
    expect(((await many.json()) as { predictions: Array<{ symbol: string }> }).predictions.map((p) => p.symbol)).toEqual(['HELD1', 'HELD2']);
    expect((await app.request('/v1/predictions/NEVER1')).status).toBe(503); // what it never held is still a 503
  });
});
