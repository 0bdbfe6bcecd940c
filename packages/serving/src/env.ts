// The serving layer's settings, validated one way wherever they are read: the bearer token of writes
// (COINSPHERE_API_TOKEN), the Redis serving cache (REDIS_URL) and its per-process near cache (REDIS_NEAR_CACHE_MS).
// Each app's env module reads its environment and validates these variables with this shape (the API's env.ts
// spreads it into its own schema; `coinsphere publish` calls parseServingEnv). Runtime-neutral: reads nothing itself.
import { z } from 'zod';

/** The zod fields of the serving variables, to spread into an app's env schema. */
export const SERVING_ENV_SHAPE = {
  COINSPHERE_API_TOKEN: z.string().min(16, 'COINSPHERE_API_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`)').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://').optional(),
  REDIS_NEAR_CACHE_MS: z.coerce.number().int('REDIS_NEAR_CACHE_MS must be a whole number').min(0, 'REDIS_NEAR_CACHE_MS must be 0 (off) or more').optional(),
};

/** The validated serving settings. */
export interface ServingEnv {
  /** Bearer token for writes; null disables them. */
  apiToken: string | null;
  /** Redis serving cache; undefined = the in-process LRU only. */
  redisUrl: string | undefined;
  /** How long each process keeps what it read from Redis (invalidated on every write); 0: off. Default 2000. */
  redisNearCacheMs: number;
}

/** Validates the serving variables of an env record (process.env, Worker bindings); empty strings count as unset.
 *  Throws one Error naming every bad variable and what it should be. */
export function parseServingEnv(source: Record<string, unknown>): ServingEnv {
  const strings = Object.fromEntries(Object.entries(source).filter(([k, v]) => k in SERVING_ENV_SHAPE && typeof v === 'string' && v !== ''));
  const parsed = z.object(SERVING_ENV_SHAPE).safeParse(strings);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  return servingEnvOf(parsed.data);
}

/** The settings from already-validated serving variables (an app's env schema that spread SERVING_ENV_SHAPE). */
export function servingEnvOf(e: { COINSPHERE_API_TOKEN?: string; REDIS_URL?: string; REDIS_NEAR_CACHE_MS?: number }): ServingEnv {
  return { apiToken: e.COINSPHERE_API_TOKEN ?? null, redisUrl: e.REDIS_URL, redisNearCacheMs: e.REDIS_NEAR_CACHE_MS ?? 2000 };
}
