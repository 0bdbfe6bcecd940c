// The fast answerer's parameter rules match the validated route's: what it refuses falls through, never errs.
import { describe, expect, it } from 'vitest';
import { MemoryCache } from '@coinsphere/serving';
import { createAnswerFresh, freshAnswer, parseLatestPath } from './fresh-latest.ts';
import { DEFAULT_MODEL_EXPIRY_DAYS, STALE_AFTER_DAYS } from '@coinsphere/model/core';
import { PredictionsService } from './predictions-service.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import type { ApiStore } from './store.ts';

describe('parseLatestPath', () => {
  it('accepts plain symbols with an optional horizon, from a path or a full URL', () => {
    expect(parseLatestPath('/v1/predictions/btc')).toEqual({ symbol: 'BTC', horizonDays: 7 });
    expect(parseLatestPath('/v1/predictions/ETH?horizon=30')).toEqual({ symbol: 'ETH', horizonDays: 30 });
    expect(parseLatestPath('http://h:1/v1/predictions/ETH?horizon=14')).toEqual({ symbol: 'ETH', horizonDays: 14 });
  });

  it('defers anything the validated route must judge', () => {
    for (const url of ['/v1/predictions/BTC?horizon=0', '/v1/predictions/BTC?horizon=366', '/v1/predictions/BTC?horizon=7&x=1', '/v1/predictions/BT$C', '/v1/predictions/BTC/history', '/v1/predictions', '/v1/assets']) {
      expect([url, parseLatestPath(url)]).toEqual([url, null]);
    }
  });
});

describe('createAnswerFresh', () => {
  const store = { kind: 'none' } as unknown as ApiStore; // never reached: the answerer does not ask the store
  it('answers a fresh entry, 304 on a matching ETag, and defers misses, CORS requests and limited clients', async () => {
    const cache = new MemoryCache();
    const service = new PredictionsService(store, cache, 60_000);
    const limiter = new TokenBucketLimiter({ capacity: 2, refillPerSecond: 0.001 });
    const answer = createAnswerFresh(service, limiter, true, 'public, max-age=60', Date.now, DEFAULT_MODEL_EXPIRY_DAYS);
    expect(answer('/v1/predictions/BTC', undefined, undefined, 'a')).toBeNull(); // miss
    await cache.setMany([['cs:v1:pred:BTC:7', `${Date.now()}|W/"e1"|{"symbol":"BTC"}`]]);
    const ok = answer('/v1/predictions/BTC', undefined, undefined, 'a');
    expect(ok).toMatchObject({ status: 200, body: '{"symbol":"BTC","stale":false,"staleReasons":[]}', headers: { etag: 'W/"e1"' } });
    expect(answer('/v1/predictions/BTC', 'W/"e1"', undefined, 'a')).toMatchObject({ status: 304, body: null });
    expect(answer('/v1/predictions/BTC', undefined, undefined, 'a')).toBeNull(); // bucket empty: the app answers 429
    expect(answer('/v1/predictions/BTC', undefined, 'https://x.example', 'b')).toBeNull(); // CORS decides
  });
});

describe('freshAnswer', () => {
  it('reuses the built answer within a UTC day and turns it stale at the first day the data are too old', () => {
    const asOf = Date.UTC(2026, 0, 10);
    const entry = { storedAtMs: asOf, etag: 'W/"e2"', body: '{"symbol":"BTC","horizonDays":7,"asOf":"2026-01-10"}' };
    const lastFreshDay = asOf + STALE_AFTER_DAYS * 86_400_000;
    const morning = freshAnswer(entry, undefined, 'c', lastFreshDay + 1, 90);
    expect(morning.body).toContain('"stale":false');
    expect(freshAnswer(entry, undefined, 'c', lastFreshDay + 86_399_999, 90)).toBe(morning); // same day: the same answer
    const next = freshAnswer(entry, undefined, 'c', lastFreshDay + 86_400_000, 90);
    expect(next.body).toContain('"stale":true,"staleReasons":["data_old"]');
    expect(next.headers.etag).not.toBe(morning.headers.etag); // a stale answer never 304s against a fresh ETag
  });
});
