// The serving settings as `coinsphere publish` and the API read them: defaults, empty strings as unset, and one
// error naming every bad variable with what it should be.
import { describe, expect, it } from 'vitest';
import { parseServingEnv } from './env.ts';

describe('parseServingEnv', () => {
  it('defaults to no token, no Redis and a 2 s near cache, and ignores empty strings and other variables', () => {
    expect(parseServingEnv({ REDIS_URL: '', PATH: '/bin', PORT: 'not-read-here' })).toEqual({ apiToken: null, redisUrl: undefined, redisNearCacheMs: 2000 });
    expect(parseServingEnv({ COINSPHERE_API_TOKEN: 'a'.repeat(16), REDIS_URL: 'redis://127.0.0.1:6379', REDIS_NEAR_CACHE_MS: '0' })).toEqual({
      apiToken: 'a'.repeat(16),
      redisUrl: 'redis://127.0.0.1:6379',
      redisNearCacheMs: 0,
    });
  });

  it('refuses a short token and a URL that is not Redis in one error naming both', () => {
    expect(() => parseServingEnv({ COINSPHERE_API_TOKEN: 'short', REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      'Invalid environment: COINSPHERE_API_TOKEN: COINSPHERE_API_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`); REDIS_URL: REDIS_URL must start with redis:// or rediss://.',
    );
  });
});
