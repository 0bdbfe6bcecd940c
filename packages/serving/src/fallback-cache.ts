// A cache that uses a primary backend (Redis) and falls back to a secondary (the LRU) while the primary fails,
// saying so in health(). Writes go to both so the fallback is warm when it is needed.
// Runtime-neutral: must not import node:*.
import type { CacheHealth, ServingCache } from './serving-cache.ts';

/** Primary with fallback; `primaryDown` is true after the last primary call failed. */
export class FallbackCache implements ServingCache {
  primaryDown = false;
  lastError = '';
  /** Writes (value) and deletes (null) the primary missed while down, replayed when it answers again, so a
   *  recovered Redis never serves what a publish during the outage replaced. */
  private readonly missed = new Map<string, string | null>();

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
      if (this.missed.size > 0) await this.replayMissed();
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

  /** The hot path: the primary's in-process copy (Redis's near cache). Undefined sends the caller to getMany,
   *  and always while the primary is down: only getMany tries the primary again, so answering from the fallback
   *  here would keep this process on it (and on what it holds) after Redis is back. */
  getSync(key: string): string | null | undefined {
    return this.primaryDown ? undefined : this.primary.getSync?.(key);
  }

  private async replayMissed(): Promise<void> {
    const missed = [...this.missed];
    this.missed.clear();
    try {
      await this.primary.setMany(missed.filter((m): m is [string, string] => m[1] !== null));
      await this.primary.deleteMany(missed.filter(([, v]) => v === null).map(([k]) => k));
    } catch (err) {
      for (const [k, v] of missed) if (!this.missed.has(k)) this.missed.set(k, v); // keep them for the next try
      throw err;
    }
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await this.fallback.setMany(entries);
    await this.attempt((c) => c.setMany(entries));
    if (this.primaryDown) for (const [k, v] of entries) this.missed.set(k, v);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await this.fallback.deleteMany(keys);
    await this.attempt((c) => c.deleteMany(keys));
    if (this.primaryDown) for (const k of keys) this.missed.set(k, null);
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
