// Redis (with its near cache) under the LRU fallback, against a redis-server this test starts and stops on its own
// port: while Redis is down the hot path must not answer from the fallback, or this process would never try
// Redis again and would keep serving what it holds after other processes publish; once Redis is back, it does.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startRedis } from '../../../tests/support/redis.ts';
import { RedisCache } from './node/redis-cache.ts';
import { FallbackCache } from './fallback-cache.ts';
import { MemoryCache } from './memory-cache.ts';

let redis: ChildProcess | undefined;
let cache: FallbackCache | undefined;
afterAll(async () => {
  await cache?.close();
  if (redis && redis.exitCode === null) {
    redis.kill('SIGKILL');
    await once(redis, 'exit');
  }
});

describe('FallbackCache over Redis', () => {
  it('sends hot reads to Redis again once it is back, instead of staying on the fallback', async () => {
    const port = await freePort();
    cache = new FallbackCache(new RedisCache(`redis://127.0.0.1:${port}`, { nearCacheMs: 60_000 }), new MemoryCache());
    await cache.setMany([['k1', 'during-outage']]); // Redis is not running: the fallback takes it
    expect(cache.primaryDown).toBe(true);
    expect(await cache.getMany(['k1'])).toEqual(['during-outage']); // reads still answer, from the fallback
    expect(cache.getSync('k1')).toBeUndefined(); // but the hot path defers to getMany, which retries Redis

    redis = await startRedis(port);
    const direct = new Redis(port, '127.0.0.1');
    await direct.set('k2', 'written-by-another-process');
    direct.disconnect();
    let seen: Array<string | null> = [];
    for (let i = 0; i < 100 && seen[0] !== 'written-by-another-process'; i++) {
      seen = await cache.getMany(['k2']);
      if (seen[0] !== 'written-by-another-process') await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toEqual(['written-by-another-process']);
    expect(cache.primaryDown).toBe(false);
    // What the outage missed was replayed into Redis, and hot reads are served by Redis's near cache again.
    expect(await cache.getMany(['k1'])).toEqual(['during-outage']);
    let hot: string | null | undefined;
    for (let i = 0; i < 100 && hot === undefined; i++) {
      await cache.getMany(['k1']);
      hot = cache.getSync('k1');
      if (hot === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(hot).toBe('during-outage');
  });
});
