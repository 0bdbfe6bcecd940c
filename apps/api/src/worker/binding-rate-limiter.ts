// Rate limiting on Workers through Cloudflare's rate-limiting bindings (wrangler.toml [[ratelimits]]), which
// count across isolates in a location, unlike an in-memory bucket. One binding per bucket ('read', 'predict');
// a bucket without a binding falls back to the in-isolate token bucket. Runtime-neutral: no node:*.
import type { RateLimiter } from '../rate-limit.ts';

/** The binding's surface: `limit({ key })` answers whether this request is within the configured limit. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A RateLimiter that asks the binding of each bucket, else `fallback` (null: allow). */
export class BindingRateLimiter implements RateLimiter {
  constructor(
    private readonly bindings: Partial<Record<string, RateLimitBinding>>,
    private readonly fallback: RateLimiter | null,
  ) {}

  async take(clientId: string, bucket: string): Promise<boolean> {
    const binding = this.bindings[bucket];
    if (!binding) return this.fallback ? this.fallback.take(clientId, bucket) : true;
    const { success } = await binding.limit({ key: `${bucket}:${clientId}` });
    return success;
  }
}
