// Redis serving cache for the Node entry (ioredis). A batch is written in one MULTI, and getMany is one MGET,
// so a reader never sees half of a published batch. Commands fail fast while Redis is down (no offline queue),
// which lets FallbackCache switch to the LRU at once.
import { Redis } from 'ioredis';
import type { CacheHealth, ServingCache } from '../cache/serving-cache.ts';

/** Redis-backed cache at `url` (redis://host:port/db). Connects lazily and reconnects in the background. */
export class RedisCache implements ServingCache {
  readonly backend = 'redis';
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false, // fail now instead of queueing while disconnected
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', () => {}); // surfaced through health() and failed commands
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    return this.redis.mget(...keys);
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (entries.length === 0) return;
    const multi = this.redis.multi();
    for (const [k, v] of entries) multi.set(k, v);
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw new Error(`Redis MULTI failed: ${failed?.[0]?.message ?? 'aborted'}`);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async health(): Promise<CacheHealth> {
    try {
      await this.redis.ping();
      return { backend: this.backend, ok: true };
    } catch (err) {
      return { backend: this.backend, ok: false, detail: `Redis unreachable (${(err as Error).message})` };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
