// In-process LRU serving cache (lru-cache): the Node default without REDIS_URL and the fallback when Redis
// fails. Writes of a batch happen without an await between them, so no reader sees half a batch.
// Runtime-neutral: must not import node:*.
import { LRUCache } from 'lru-cache';
import type { CacheHealth, ServingCache } from './serving-cache.ts';

/** An LRU of at most `maxEntries` strings. */
export class MemoryCache implements ServingCache {
  readonly backend = 'memory';
  private readonly lru: LRUCache<string, string>;

  constructor(maxEntries = 10_000) {
    this.lru = new LRUCache({ max: maxEntries });
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    return keys.map((k) => this.lru.get(k) ?? null);
  }

  /** Synchronous lookup, for the hot path. */
  getSync(key: string): string | null {
    return this.lru.get(key) ?? null;
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [k, v] of entries) this.lru.set(k, v);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.lru.delete(k);
  }

  async health(): Promise<CacheHealth> {
    return { backend: this.backend, ok: true };
  }
}
