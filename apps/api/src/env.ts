// The one place the API reads its environment: process.env on Node, bindings on Workers. Validates every
// value with zod and fails fast naming the variable and what was expected. Runtime-neutral: no node:* imports
// (process is read through globalThis, so Workers without it get an empty record).
import { DEFAULT_MODEL_EXPIRY_DAYS } from '@coinsphere/model/core';
import { SERVING_ENV_SHAPE, servingEnvOf } from '@coinsphere/serving';
import { z } from 'zod';
import { parseTrustProxy } from './client-address.ts';
import { DEFAULT_API_CONFIG, type ApiConfig } from './config.ts';

const positiveInt = (name: string) => z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be above 0`);

/** The Node entry's log levels (pino's, and silent). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const EnvSchema = z.object({
  ...SERVING_ENV_SHAPE, // COINSPHERE_API_TOKEN, REDIS_URL, REDIS_NEAR_CACHE_MS: the same rules wherever they are read
  CORS_ORIGINS: z.string().optional(), // comma-separated origins, or *
  CACHE_FRESH_SECONDS: z.coerce.number().min(0, 'CACHE_FRESH_SECONDS must be 0 or more').optional(),
  CACHE_MAX_AGE_SECONDS: positiveInt('CACHE_MAX_AGE_SECONDS').optional(),
  RATE_LIMIT_BURST: z.coerce.number().int().min(0, 'RATE_LIMIT_BURST must be 0 (off) or more').optional(),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive('RATE_LIMIT_PER_SECOND must be above 0').optional(),
  TRUST_PROXY: z // proxy hops in front of the server, or their addresses: only then is X-Forwarded-For believed
    .string()
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  DATABASE_URL: z.string().optional(),
  HOST: z.string().optional(),
  PORT: positiveInt('PORT').max(65535, 'PORT must be at most 65535').optional(),
  PREDICT_THREADS: z.coerce.number({ error: 'PREDICT_THREADS must be a number' }).int('PREDICT_THREADS must be a whole number').min(0, 'PREDICT_THREADS must be 0 (predict on the request loop) or more').max(64, 'PREDICT_THREADS must be at most 64').optional(),
  PREDICT_QUEUE: z.coerce.number({ error: 'PREDICT_QUEUE must be a number' }).int('PREDICT_QUEUE must be a whole number').min(0, 'PREDICT_QUEUE must be 0 (shed whenever every thread is busy) or more').optional(),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(), // Node: GET /metrics then needs Authorization: Bearer <it>
  MODEL_EXPIRY_DAYS: positiveInt('MODEL_EXPIRY_DAYS').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` }).optional(),
  PREDICT_NICE: z.coerce.number({ error: 'PREDICT_NICE must be a number' }).int('PREDICT_NICE must be a whole number').min(0, 'PREDICT_NICE must be 0 (the prediction threads run at the process priority) to 19').max(19, 'PREDICT_NICE must be at most 19 (the lowest priority)').optional(),
});

/** Predictions that may wait for a free thread before POST /v1/predict sheds with 503 (PREDICT_QUEUE). */
export const DEFAULT_PREDICT_QUEUE = 64; // ~0.3 s of waiting at the ~200 predictions/s of one thread

/** How much lower the prediction threads' priority is than the process's (PREDICT_NICE, as `nice -n`): cached reads get the cores first. */
export const DEFAULT_PREDICT_NICE = 10;

/** Validated settings for either entry. */
export interface ApiEnv {
  config: ApiConfig;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** How long each process keeps what it read from Redis (invalidated on every write); 0: off. */
  redisNearCacheMs: number;
  host: string;
  port: number;
  /** Node: worker threads of POST /v1/predict (0: on the request loop); undefined: the entry's default for the cores. */
  predictThreads: number | undefined;
  /** Node: predictions that may wait for a free thread; one more is shed with 503 and Retry-After. */
  predictQueue: number;
  /** Niceness added to each prediction thread (Linux; 0 = the process's own priority). */
  predictNice: number;
  /** Node: the bearer token GET /metrics requires; null: /metrics is open (keep the port off the public internet). */
  metricsToken: string | null;
  /** Node: the request log's level (info: a line per request; warn: errors and warnings only). */
  logLevel: LogLevel;
  /** Days after training at which a model expires: POST /v1/predict says `expired` past it. */
  modelExpiryDays: number;
}

/** Validates an env record (process.env or Worker bindings); throws one Error naming every bad variable. */
export function parseApiEnv(source: Record<string, unknown>): ApiEnv {
  const strings = Object.fromEntries(Object.entries(source).filter(([, v]) => typeof v === 'string' && v !== ''));
  const parsed = EnvSchema.safeParse(strings);
  if (!parsed.success) {
    throw new Error(`Invalid API environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  }
  const e = parsed.data;
  const serving = servingEnvOf(e);
  const burst = e.RATE_LIMIT_BURST ?? DEFAULT_API_CONFIG.rateLimit?.capacity ?? 0;
  return {
    config: {
      ...DEFAULT_API_CONFIG,
      apiToken: serving.apiToken,
      corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      cacheFreshSeconds: e.CACHE_FRESH_SECONDS ?? DEFAULT_API_CONFIG.cacheFreshSeconds,
      maxAgeSeconds: e.CACHE_MAX_AGE_SECONDS ?? DEFAULT_API_CONFIG.maxAgeSeconds,
      rateLimit: burst === 0 ? null : { capacity: burst, refillPerSecond: e.RATE_LIMIT_PER_SECOND ?? DEFAULT_API_CONFIG.rateLimit?.refillPerSecond ?? 20 },
      trustProxy: e.TRUST_PROXY ?? null,
      modelExpiryDays: e.MODEL_EXPIRY_DAYS ?? DEFAULT_MODEL_EXPIRY_DAYS,
    },
    databaseUrl: e.DATABASE_URL,
    redisUrl: serving.redisUrl,
    redisNearCacheMs: serving.redisNearCacheMs,
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT ?? 8787,
    predictThreads: e.PREDICT_THREADS,
    predictQueue: e.PREDICT_QUEUE ?? DEFAULT_PREDICT_QUEUE,
    predictNice: e.PREDICT_NICE ?? DEFAULT_PREDICT_NICE,
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
    modelExpiryDays: e.MODEL_EXPIRY_DAYS ?? DEFAULT_MODEL_EXPIRY_DAYS,
  };
}

/** process.env where it exists (Node), else an empty record. */
export function processEnv(): Record<string, unknown> {
  return (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env ?? {};
}
