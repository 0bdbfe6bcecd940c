// The only place the CLI reads the environment: DATABASE_URL, COINSPHERE_DEBUG, MODEL_EXPIRY_DAYS, COINSPHERE_SCHEDULE, the trainer's settings
// (MLflow, data and artifact folders, the online sources), and for `publish` the serving layer's (REDIS_URL,
// COINSPHERE_API_TOKEN) through its own schema; `serve`'s API server reads its own env. Each throws naming the variable.
import { DEFAULT_MODEL_EXPIRY_DAYS } from '@coinsphere/model/core';
import { parseServingEnv, type ServingEnv } from '@coinsphere/serving';
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//i, 'DATABASE_URL must be a postgres://user@host:port/database URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

/** The validated CLI environment. Throws with the variable's name when it is malformed. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): { databaseUrl: string | undefined } {
  const parsed = schema.safeParse({ DATABASE_URL: env.DATABASE_URL });
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.message ?? 'DATABASE_URL is invalid'} (got "${env.DATABASE_URL}").`);
  return { databaseUrl: parsed.data.DATABASE_URL };
}

/** True when COINSPHERE_DEBUG is set: failures then print their stack after the one-line message. */
export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.COINSPHERE_DEBUG);
}

const trainerSchema = z.object({
  MLFLOW_TRACKING_URI: z.string().trim().url('MLFLOW_TRACKING_URI must be an http(s) URL such as http://127.0.0.1:5000').optional()
    .or(z.literal('').transform(() => undefined)),
  MLFLOW_EXPERIMENT_NAME: z.string().trim().min(1).default('coinsphere'),
  COINSPHERE_DATA: z.string().trim().optional().or(z.literal('').transform(() => undefined)),
  COINSPHERE_ARTIFACTS: z.string().trim().min(1).default('artifacts'),
  COINSPHERE_BINANCE_URL: z.string().trim().url('COINSPHERE_BINANCE_URL must be an http(s) URL such as https://api.binance.com').optional(),
  COINSPHERE_COINGECKO_URL: z.string().trim().url('COINSPHERE_COINGECKO_URL must be an http(s) URL such as https://api.coingecko.com').optional(),
});

/** Training settings from the environment: MLflow tracking, the default data folder and artifacts root, and where
 *  the main job looks for the online sources (tests point them at a closed port or a local server). */
export interface TrainerEnv {
  mlflowTrackingUri: string | undefined;
  mlflowExperiment: string;
  dataDir: string | undefined;
  artifactsRoot: string;
  /** Base URLs of Binance and CoinGecko; undefined = the public APIs. */
  binanceUrl: string | undefined;
  coingeckoUrl: string | undefined;
}

/** The validated trainer environment; throws naming the bad variable. */
export function readTrainerEnv(env: NodeJS.ProcessEnv = process.env): TrainerEnv {
  const parsed = trainerSchema.safeParse({
    MLFLOW_TRACKING_URI: env.MLFLOW_TRACKING_URI,
    MLFLOW_EXPERIMENT_NAME: env.MLFLOW_EXPERIMENT_NAME || undefined,
    COINSPHERE_DATA: env.COINSPHERE_DATA,
    COINSPHERE_ARTIFACTS: env.COINSPHERE_ARTIFACTS || undefined,
    COINSPHERE_BINANCE_URL: env.COINSPHERE_BINANCE_URL || undefined,
    COINSPHERE_COINGECKO_URL: env.COINSPHERE_COINGECKO_URL || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.message ?? 'invalid environment'} (variable ${String(issue?.path[0])}).`);
  }
  const d = parsed.data;
  return {
    mlflowTrackingUri: d.MLFLOW_TRACKING_URI, mlflowExperiment: d.MLFLOW_EXPERIMENT_NAME, dataDir: d.COINSPHERE_DATA, artifactsRoot: d.COINSPHERE_ARTIFACTS,
    binanceUrl: d.COINSPHERE_BINANCE_URL, coingeckoUrl: d.COINSPHERE_COINGECKO_URL,
  };
}

/** The artifacts root alone (COINSPHERE_ARTIFACTS, default ./artifacts), resolved against the working directory:
 *  what registered locations are relative to, for commands that need no other trainer setting. */
export function readArtifactsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.COINSPHERE_ARTIFACTS?.trim() || 'artifacts');
}

/** The serving layer's settings `publish` uses (REDIS_URL, COINSPHERE_API_TOKEN), validated by its schema. */
export function readServingEnv(env: NodeJS.ProcessEnv = process.env): ServingEnv {
  return parseServingEnv(env);
}

/** MODEL_EXPIRY_DAYS: days after training at which a model expires (predict, publish, monitor); default
 *  DEFAULT_MODEL_EXPIRY_DAYS. Throws naming the variable when it is not a positive whole number. */
export function readModelExpiryDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MODEL_EXPIRY_DAYS?.trim();
  if (!raw) return DEFAULT_MODEL_EXPIRY_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error(`MODEL_EXPIRY_DAYS must be a positive whole number of days, e.g. ${DEFAULT_MODEL_EXPIRY_DAYS} (got "${raw}").`);
  return days;
}

/** COINSPHERE_SCHEDULE: `off` (or 0, false, no) stops `serve` from running the scheduler; anything else or unset leaves it on. */
export function readScheduleOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.COINSPHERE_SCHEDULE?.trim().toLowerCase();
  if (!raw || ['on', '1', 'true', 'yes'].includes(raw)) return true;
  if (['off', '0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`COINSPHERE_SCHEDULE must be on or off (got "${env.COINSPHERE_SCHEDULE}").`);
}
