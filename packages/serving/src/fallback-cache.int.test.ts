// Redis (with its near cache) under the LRU fallback, against redis-servers this test starts, stops and pauses on
// their own ports (the shared one on 6379 is never touched): while Redis is down the hot path must not answer from
// the fallback, or this process would never try Redis again and would keep serving what it holds after other
// processes publish; once Redis is back, it does. A hung Redis (CLIENT PAUSE) costs one command timeout, not one per
// call: the breaker keeps calls on the fallback until a probe finds Redis answering again.
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
let paused: ChildProcess | undefined;
let pausedCache: FallbackCache | undefined;
afterAll(async () => {
  await cache?.close();
  await pausedCache?.close();
  for (const child of [redis, paused]) {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

/** Calls of `command` that Redis at `port` has executed so far (INFO commandstats). */
async function commandCalls(admin: Redis, command: string): Promise<number> {
  const stats = (await admin.info('commandstats')) as string;
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

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

describe('FallbackCache over a hung Redis', () => {
  it('waits out one command timeout, then answers from the fallback at once until a probe finds Redis back', async () => {
    const port = await freePort();
    paused = await startRedis(port);
    pausedCache = new FallbackCache(new RedisCache(`redis://127.0.0.1:${port}`, { nearCacheMs: 0 }), new MemoryCache(), { coolDownMs: 400 });
    for (let i = 0; i < 100 && (await pausedCache.health()).fallbackFrom !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    await pausedCache.setMany([['hung:k', 'v1']]);
    expect(pausedCache.primaryDown).toBe(false);
    const admin = new Redis(port, '127.0.0.1');
    try {
      const mgetsBefore = await commandCalls(admin, 'mget');
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL'); // every client of this server now hangs for 1.5 s
      expect(await pausedCache.getMany(['hung:k'])).toEqual(['v1']); // one timeout, then the fallback
      expect(pausedCache.primaryDown).toBe(true);
      const started = Date.now();
      for (let i = 0; i < 5; i++) expect(await pausedCache.getMany(['hung:k'])).toEqual(['v1']);
      expect(Date.now() - started).toBeLessThan(250); // each of them would otherwise wait out a command timeout
      expect((await pausedCache.health()).fallbackFrom).toBe('redis'); // health does not wait on the hung Redis either
      const elapsedMs = Date.now() - started;
      // Once the pause is over (this admin's own next command waits for it), what it held back has run: the calls
      // after the first never reached Redis (no retry storm).
      expect(await commandCalls(admin, 'mget')).toBe(mgetsBefore + 1);
      expect(elapsedMs).toBeLessThan(250);
      await admin.set('hung:k', 'v2'); // written by another process while this one is on the fallback
      let seen: Array<string | null> = [];
      for (let i = 0; i < 100 && seen[0] !== 'v2'; i++) {
        seen = await pausedCache.getMany(['hung:k']);
        if (seen[0] !== 'v2') await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toEqual(['v2']); // after the cool-down one probe found Redis, and reads are on it again
      expect(pausedCache.primaryDown).toBe(false);
    } finally {
      admin.disconnect();
    }
  });
});
