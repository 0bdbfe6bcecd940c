// A cache that uses a primary backend (Redis) and falls back to a secondary (the LRU) while the primary fails,
// saying so in health(). Writes go to both so the fallback is warm when it is needed.
// Runtime-neutral: must not import node:*.
import type { CacheHealth, ServingCache } from './serving-cache.ts';

/** Primary with fallback; `primaryDown` is true after the last primary call failed. */
export class FallbackCache implements ServingCache {
  primaryDown = false;
  lastError = '';

  constructor(
    private readonly primary: ServingCache,
    private readonly fallback: ServingCache,
  ) {}

  get backend(): string {
    return this.primaryDown ? this.fallback.backend : this.primary.backend;
  }

  private async attempt<T>(call: (c: ServingCache) => Promise<T>): Promise<T> {
    try {
      const out = await call(this.primary);
      this.primaryDown = false;
      return out;
    } catch (err) {
      this.primaryDown = true;
      this.lastError = err instanceof Error ? err.message : String(err);
      return call(this.fallback);
    }
  }

  getMany(keys: readonly string[]): Promise<Array<string | null>> {
    return this.attempt((c) => c.getMany(keys));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await this.fallback.setMany(entries);
    await this.attempt((c) => c.setMany(entries));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await this.fallback.deleteMany(keys);
    await this.attempt((c) => c.deleteMany(keys));
  }

  async health(): Promise<CacheHealth> {
    const primary = await this.primary.health();
    this.primaryDown = !primary.ok;
    if (primary.ok) return primary;
    const fallback = await this.fallback.health();
    return { ...fallback, fallbackFrom: primary.backend, detail: primary.detail ?? this.lastError };
  }

  async close(): Promise<void> {
    await this.primary.close?.();
    await this.fallback.close?.();
  }
}
