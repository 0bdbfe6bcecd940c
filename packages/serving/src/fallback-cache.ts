// A cache that uses a primary backend (Redis) and falls back to a secondary (the LRU) while the primary fails,
// saying so in health(). Writes go to both so the fallback is warm when it is needed.
//
// A circuit breaker guards the primary: a hung Redis answers nothing until each command's timeout, so trying it on
// every call would add that timeout to every read. After a failure every call goes straight to the fallback for
// `coolDownMs`; then one call (a read, a write or health) probes the primary while the others keep to the fallback,
// and its outcome closes the breaker or opens it for another cool-down. Runtime-neutral: must not import node:*.
import type { CacheHealth, CacheWriteReport, ServingCache } from './serving-cache.ts';

/** Options of FallbackCache. */
export interface FallbackCacheOptions {
  /** How long after a primary failure every call skips the primary before one probes it again (ms). Default 1000. */
  coolDownMs?: number;
  /** The clock (epoch ms); tests pass their own. */
  nowMs?: () => number;
}

/** Primary with fallback; `primaryDown` is true after the last primary call failed (the breaker is open). */
export class FallbackCache implements ServingCache {
  primaryDown = false;
  lastError = '';
  /** Writes (value) and deletes (null) the primary missed while down, replayed when it answers again, so a
   *  recovered Redis never serves what a publish during the outage replaced. */
  private readonly missed = new Map<string, string | null>();
  /** Until when (epoch ms) the breaker keeps every call off the primary. */
  private openUntilMs = 0;
  /** True while one call is probing the primary after a cool-down: the others keep to the fallback meanwhile. */
  private probing = false;
  private readonly coolDownMs: number;
  private readonly nowMs: () => number;

  constructor(
    private readonly primary: ServingCache,
    private readonly fallback: ServingCache,
    opts: FallbackCacheOptions = {},
  ) {
    this.coolDownMs = opts.coolDownMs ?? 1000;
    this.nowMs = opts.nowMs ?? Date.now;
  }

  get backend(): string {
    return this.primaryDown ? this.fallback.backend : this.primary.backend;
  }

  /** Whether this call may use the primary: the breaker is closed, or the cool-down is over and no probe is out
   *  (then this call is the probe, and must end in closeBreaker() or openBreaker()). */
  private mayTryPrimary(): boolean {
    if (!this.primaryDown) return true;
    if (this.probing || this.nowMs() < this.openUntilMs) return false;
    this.probing = true;
    return true;
  }

  private closeBreaker(): void {
    this.primaryDown = false;
    this.probing = false;
  }

  private openBreaker(err: unknown): void {
    this.primaryDown = true;
    this.probing = false;
    this.openUntilMs = this.nowMs() + this.coolDownMs;
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  private async attempt<T>(call: (c: ServingCache) => Promise<T>): Promise<T> {
    if (!this.mayTryPrimary()) return call(this.fallback);
    try {
      const out = await call(this.primary);
      this.closeBreaker();
      if (this.missed.size > 0) await this.replayMissed();
      return out;
    } catch (err) {
      this.openBreaker(err);
      return call(this.fallback);
    }
  }

  getMany(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return Promise.resolve([]); // asks nobody: must not count as a probe
    return this.attempt((c) => c.getMany(keys));
  }

  /** The hot path: the primary's in-process copy (Redis's near cache). Undefined sends the caller to getMany,
   *  and always while the primary is down: only getMany tries the primary again, so answering from the fallback
   *  here would keep this process on it (and on what it holds) after Redis is back. */
  getSync(key: string): string | null | undefined {
    return this.primaryDown ? undefined : this.primary.getSync?.(key);
  }

  /** What this process holds for `keys` (the fallback), whatever the primary says: for when the primary lost a
   *  key (Redis restarted empty) and the store cannot be asked either. */
  getHeldLocally(keys: readonly string[]): Promise<Array<string | null>> {
    return this.fallback.getMany(keys);
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

  /** Writes both; while the primary is down, reports that only the fallback took the write (and keeps it to replay). */
  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<CacheWriteReport | void> {
    if (entries.length === 0) return;
    await this.fallback.setMany(entries);
    await this.attempt((c) => (c === this.fallback ? Promise.resolve() : c.setMany(entries)));
    if (!this.primaryDown) return;
    for (const [k, v] of entries) this.missed.set(k, v);
    return { notWrittenTo: this.primary.backend, reason: this.lastError || `${this.primary.backend} is unreachable` };
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.fallback.deleteMany(keys);
    await this.attempt((c) => (c === this.fallback ? Promise.resolve() : c.deleteMany(keys)));
    if (this.primaryDown) for (const k of keys) this.missed.set(k, null);
  }

  /** The primary's health, or the fallback's while the breaker keeps the primary off (no call to a hung Redis). */
  async health(): Promise<CacheHealth> {
    if (this.mayTryPrimary()) {
      const primary = await this.primary.health().catch((err: unknown) => ({ backend: this.primary.backend, ok: false, detail: String(err) }));
      if (primary.ok) {
        this.closeBreaker();
        return primary;
      }
      this.openBreaker(primary.detail ?? 'unreachable');
    }
    const fallback = await this.fallback.health();
    return { ...fallback, fallbackFrom: this.primary.backend, detail: this.lastError };
  }

  async close(): Promise<void> {
    await this.primary.close?.();
    await this.fallback.close?.();
  }
}
