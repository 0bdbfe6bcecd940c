// Per-client token buckets: `capacity` tokens, refilled at `refillPerSecond`. In memory, so per process on
// Node and per isolate on Workers (the Worker may pass its rate-limiting binding instead).
// Runtime-neutral: must not import node:*.

/** Decides whether one request of `clientId` in `bucket` may pass. */
export interface RateLimiter {
  take(clientId: string, bucket: string): boolean | Promise<boolean>;
}

/** Token bucket settings: a burst of `capacity` requests, then `refillPerSecond`. */
export interface TokenBucketConfig {
  capacity: number;
  refillPerSecond: number;
  /** Most clients tracked at once; the oldest are forgotten (they get a full bucket back). */
  maxClients?: number;
}

/** In-memory token buckets keyed by bucket name + client id. */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly config: TokenBucketConfig,
    private readonly nowMs: () => number = Date.now,
  ) {}

  take(clientId: string, bucket: string): boolean {
    const key = `${bucket}\u0000${clientId}`;
    const now = this.nowMs();
    const state = this.buckets.get(key) ?? { tokens: this.config.capacity, atMs: now };
    state.tokens = Math.min(this.config.capacity, state.tokens + ((now - state.atMs) / 1000) * this.config.refillPerSecond);
    state.atMs = now;
    const allowed = state.tokens >= 1;
    if (allowed) state.tokens -= 1;
    this.buckets.delete(key); // re-insert keeps Map order = least recently used first
    this.buckets.set(key, state);
    if (this.buckets.size > (this.config.maxClients ?? 100_000)) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return allowed;
  }
}
