// Redis serving cache for the Node entry (ioredis). A batch is written in one MULTI, and getMany is one MGET,
// so a reader never sees half of a published batch. Commands fail fast while Redis is down (no offline queue),
// which lets FallbackCache switch to the LRU at once.
//
// Near cache: a Redis round trip per request halves what one API process serves (BENCHMARKS.md), so each process
// keeps what it read for up to `nearCacheMs` and answers single-key hot reads from memory (getSync). Every write
// publishes its keys on a channel inside the same MULTI, and every process drops those keys on receipt, so a
// publish reaches all processes within a pub/sub delivery. A read that overlapped an invalidation is not kept;
// while the subscriber is disconnected (messages could be lost) nothing is served or kept from memory, and
// the TTL bounds any gap in between. Multi-key reads always go to Redis (one MGET: one snapshot).
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';
import type { CacheHealth, ServingCache } from '../serving-cache.ts';

/** The channel every write publishes its keys on (JSON array). */
export const INVALIDATION_CHANNEL = 'cs:v1:invalidate';

/** Options of RedisCache. */
export interface RedisCacheOptions {
  /** Keep read entries in this process for up to this many ms (0: no near cache). Default 2000. */
  nearCacheMs?: number;
  /** How long a command may take before it fails (ms). Short, because a hung Redis makes every caller wait this
   *  long once before FallbackCache's breaker sends them to the LRU. Default 250. */
  commandTimeoutMs?: number;
}

/** Redis-backed cache at `url` (redis://host:port/db). Connects lazily and reconnects in the background. */
export class RedisCache implements ServingCache {
  readonly backend = 'redis';
  private readonly redis: Redis;
  private readonly near: LRUCache<string, string> | null = null;
  private readonly sub: Redis | null = null;
  /** True while the subscriber is subscribed: only then may the near cache answer or be filled. */
  private listening = false;
  /** Resolves once the first connection is up or has failed (null after that). */
  private connecting: Promise<void> | null;
  /** Bumped by every invalidation, so a read that overlapped one is not kept. */
  private generation = 0;
  /** CLIENT SETNAME of the subscriber connection, unique per instance (seen in CLIENT LIST). */
  readonly nearConnectionName = `coinsphere-near-${Math.random().toString(36).slice(2, 10)}`;

  constructor(url: string, opts: RedisCacheOptions = {}) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false, // fail now instead of queueing while disconnected
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: opts.commandTimeoutMs ?? 250, // a local or same-zone Redis answers in well under 10 ms
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', () => {}); // surfaced through health() and failed commands
    // Commands fail at once while disconnected, so a first call made before the first connection is up would be
    // taken for an outage (and FallbackCache's breaker would then skip Redis for its cool-down): wait for it once.
    this.connecting = new Promise<void>((resolve) => {
      const done = () => {
        this.connecting = null;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, 1000);
      this.redis.once('ready', done).once('error', done).once('end', done);
    });
    const nearMs = opts.nearCacheMs ?? 2000;
    if (nearMs > 0) {
      const near = new LRUCache<string, string>({ max: 10_000, ttl: nearMs });
      const sub = this.redis.duplicate({ autoResubscribe: false, connectionName: this.nearConnectionName });
      sub.on('error', () => {});
      sub.on('ready', () => {
        sub.subscribe(INVALIDATION_CHANNEL).then(
          () => this.startListening(),
          () => {},
        );
      });
      sub.on('close', () => this.stopListening());
      sub.on('message', (_channel: string, message: string) => {
        this.generation++;
        try {
          for (const key of JSON.parse(message) as string[]) near.delete(key);
        } catch {
          near.clear(); // a message we cannot read: drop everything rather than serve something stale
        }
      });
      this.near = near;
      this.sub = sub;
    }
  }

  private startListening(): void {
    this.near?.clear(); // anything kept before (re)subscribing may have missed an invalidation
    this.generation++;
    this.listening = true;
  }

  private stopListening(): void {
    this.listening = false;
    this.near?.clear();
    this.generation++;
  }

  /** The near cache's copy of `key`, or undefined (not held here: the caller reads through getMany). */
  getSync(key: string): string | undefined {
    return this.listening ? this.near?.get(key) : undefined;
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    if (this.connecting) await this.connecting;
    const generation = this.generation;
    const values = await this.redis.mget(...keys);
    if (this.near && this.listening && generation === this.generation) {
      values.forEach((v, i) => {
        if (v !== null) this.near!.set(keys[i]!, v);
      });
    }
    return values;
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (entries.length === 0) return;
    if (this.connecting) await this.connecting;
    const keys = entries.map(([k]) => k);
    this.forget(keys);
    const multi = this.redis.multi();
    for (const [k, v] of entries) multi.set(k, v);
    multi.publish(INVALIDATION_CHANNEL, JSON.stringify(keys)); // always: other processes may keep copies
    await this.exec(multi);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.connecting) await this.connecting;
    this.forget(keys);
    await this.exec(this.redis.multi().del(...keys).publish(INVALIDATION_CHANNEL, JSON.stringify(keys)));
  }

  /** This process's own copies go at once (it does not wait for its own message). */
  private forget(keys: readonly string[]): void {
    this.generation++;
    for (const k of keys) this.near?.delete(k);
  }

  private async exec(multi: ReturnType<Redis['multi']>): Promise<void> {
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw new Error(`Redis MULTI failed: ${failed?.[0]?.message ?? 'aborted'}`);
  }

  async health(): Promise<CacheHealth> {
    try {
      if (this.connecting) await this.connecting;
      await this.redis.ping();
      return { backend: this.backend, ok: true };
    } catch (err) {
      return { backend: this.backend, ok: false, detail: `Redis unreachable (${(err as Error).message})` };
    }
  }

  async close(): Promise<void> {
    this.sub?.disconnect();
    this.redis.disconnect();
  }
}
