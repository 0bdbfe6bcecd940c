// The Redis cache's near cache against the real Redis on 127.0.0.1:6379 (database 15, keys unique to this run):
// two instances stand for two API processes. A write through one drops the other's copy within a pub/sub
// delivery, not after its TTL; copies expire; and a subscriber that loses its connection stops answering from
// memory at once, because invalidations could be missed while it is away.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCache } from './redis-cache.ts';

const URL = 'redis://127.0.0.1:6379/15';
const run = Math.random().toString(36).slice(2, 8);
const key = (name: string) => `cs:test:${run}:${name}`;
const opened: RedisCache[] = [];
/** A cache once its connection is up (commands fail fast before that, by design). */
const open = async (nearCacheMs: number) => {
  const c = new RedisCache(URL, { nearCacheMs });
  opened.push(c);
  expect(await until(async () => (await c.health()).ok)).toBe(true);
  return c;
};
afterAll(async () => {
  const direct = new Redis(URL);
  const keys = await direct.keys(`cs:test:${run}:*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
  for (const c of opened) await c.close();
});

/** Polls `probe` every 10 ms until it returns true, for at most `ms`. */
async function until(probe: () => boolean | Promise<boolean>, ms = 2000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (await probe()) return true;
  return probe();
}

/** Reads `k` through `c` until its near cache holds it (the subscriber must be listening first). */
const warm = (c: RedisCache, k: string) => until(async () => (await c.getMany([k]), c.getSync(k) !== undefined));

describe('RedisCache near cache', () => {
  it('answers a hot key from memory, and a write in another process replaces it at once, not after the TTL', async () => {
    const writer = await open(0);
    const reader = await open(60_000);
    const k = key('hot');
    await writer.setMany([[k, 'v1']]);
    expect(await warm(reader, k)).toBe(true);
    expect(reader.getSync(k)).toBe('v1'); // synchronous: from memory
    await writer.setMany([[k, 'v2']]);
    expect(await until(() => reader.getSync(k) !== 'v1', 1000)).toBe(true); // dropped on the invalidation
    expect(await reader.getMany([k])).toEqual(['v2']);
    expect(reader.getSync(k)).toBe('v2');
    await writer.deleteMany([k]);
    expect(await until(() => reader.getSync(k) === undefined, 1000)).toBe(true);
    expect(await reader.getMany([k])).toEqual([null]);
  });

  it('lets a copy live no longer than nearCacheMs', async () => {
    const c = await open(150);
    const k = key('ttl');
    await c.setMany([[k, 'x']]);
    expect(await warm(c, k)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.getSync(k)).toBeUndefined();
  });

  it('stops answering from memory when its subscriber is cut off, and starts again once it is back', async () => {
    const c = await open(60_000);
    const k = key('cut');
    await c.setMany([[k, 'y']]);
    expect(await warm(c, k)).toBe(true);
    const admin = new Redis(URL);
    try {
      const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const line = list.split('\n').find((l) => l.includes(`name=${c.nearConnectionName} `));
      expect(line, list).toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]!);
    } finally {
      admin.disconnect();
    }
    expect(await until(() => c.getSync(k) === undefined, 1000)).toBe(true); // TTL 60 s: dropped because it was cut off
    expect(await warm(c, k)).toBe(true); // reconnected, resubscribed, filled again
  });
});
