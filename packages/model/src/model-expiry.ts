// How old a model is and whether it has expired: days since it was trained (its metadata's createdAt) at a clock
// reading, against an expiry in days (DEFAULT_MODEL_EXPIRY_DAYS unless configured: MODEL_EXPIRY_DAYS in the CLI and
// the API). One rule for every runtime; the caller passes the clock. Must not import anything runtime-specific.
import { DAY_MS } from './candle.ts';
import { utcDayStart } from './dates.ts';

/** A model older than this many days is expired unless configured otherwise. */
export const DEFAULT_MODEL_EXPIRY_DAYS = 90;

/** A model's age and expiry at one clock reading. */
export interface ModelAge {
  /** Whole UTC days from the day it was trained to the clock's day. */
  modelAgeDays: number;
  expiryDays: number;
  /** createdAt + expiryDays, ISO 8601. */
  expiresAt: string;
  /** True once the clock has passed expiresAt. */
  expired: boolean;
}

/** Checks an expiry in days; throws naming the value and what is allowed. */
export function checkExpiryDays(days: number): number {
  if (!Number.isInteger(days) || days < 1) throw new Error(`Model expiry ${days} days is invalid. Should be a positive whole number of days, e.g. ${DEFAULT_MODEL_EXPIRY_DAYS}.`);
  return days;
}

/**
 * The age and expiry of a model trained at `createdAt` (ISO 8601) when the clock reads `nowMs`. Throws when
 * createdAt is not a time or expiryDays not a positive whole number.
 */
export function modelAge(createdAt: string, nowMs: number, expiryDays = DEFAULT_MODEL_EXPIRY_DAYS): ModelAge {
  const createdMs = Date.parse(createdAt);
  if (!Number.isFinite(createdMs)) throw new Error(`Cannot tell the age of a model created at "${createdAt}": expected an ISO 8601 time.`);
  checkExpiryDays(expiryDays);
  const expiresMs = createdMs + expiryDays * DAY_MS;
  return {
    modelAgeDays: Math.round((utcDayStart(nowMs) - utcDayStart(createdMs)) / DAY_MS),
    expiryDays,
    expiresAt: new Date(expiresMs).toISOString(),
    expired: nowMs >= expiresMs,
  };
}

/**
 * The age and expiry at `nowMs` of a model whose age was recorded earlier (a stored prediction's `monitoring`, as of
 * its publish): the model was trained at `recorded.expiresAt` minus `recorded.expiryDays`, and expires `expiryDays`
 * (the expiry in force now; default the recorded one) after that. What a server or page shows for a stored
 * prediction, so one served 200 days after publish says how old its model is now. Throws as modelAge.
 */
export function modelAgeNow(recorded: Pick<ModelAge, 'expiresAt' | 'expiryDays'>, nowMs: number, expiryDays = recorded.expiryDays): ModelAge {
  const trainedMs = Date.parse(recorded.expiresAt) - recorded.expiryDays * DAY_MS;
  if (!Number.isFinite(trainedMs)) throw new Error(`Cannot tell when a model expiring at "${recorded.expiresAt}" was trained: expected an ISO 8601 time.`);
  return modelAge(new Date(trainedMs).toISOString(), nowMs, expiryDays);
}
