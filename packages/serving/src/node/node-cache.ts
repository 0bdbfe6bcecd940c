// The serving cache a Node process uses: Redis (with its near cache) in front of the in-process LRU when REDIS_URL
// is set, so a Redis outage degrades to the LRU instead of failing; the LRU alone otherwise.
import { FallbackCache } from '../fallback-cache.ts';
import { MemoryCache } from '../memory-cache.ts';
import type { ServingCache } from '../serving-cache.ts';
import { RedisCache } from './redis-cache.ts';

/** The serving cache for Node: Redis (near cache `nearCacheMs`, 0 = off) with the LRU as fallback when
 *  `redisUrl` is set, else the LRU alone. */
export function createNodeCache(redisUrl: string | undefined, nearCacheMs?: number): ServingCache {
  return redisUrl ? new FallbackCache(new RedisCache(redisUrl, { nearCacheMs }), new MemoryCache()) : new MemoryCache();
}
