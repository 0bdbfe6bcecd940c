// How old the data behind a series or a prediction is, and whether that is too old to act on. One rule for the
// CLI's status and main job, the API (Node and Worker) and the dashboard, so they never disagree about which
// data are stale. Pure: no runtime imports; the caller passes the clock.
import { DAY_MS } from './candle.ts';
import { toIsoDay, utcDayStart } from './dates.ts';

/** A daily series whose newest bar opened more than this many UTC days before today is stale. The newest
 *  complete daily bar is normally yesterday's (age 1); one day of delay (age 2) is still fresh. */
export const STALE_AFTER_DAYS = 2;

/** The age of the data as of a clock reading. */
export interface DataFreshness {
  /** UTC day of the newest bar, `YYYY-MM-DD`. */
  asOf: string;
  /** Whole UTC days from that bar's day to the clock's day (0 = today's bar). */
  ageDays: number;
  /** True when ageDays is above STALE_AFTER_DAYS. */
  stale: boolean;
}

/**
 * The freshness of data whose newest bar opened at `lastBar` (epoch ms, or a `YYYY-MM-DD` day) when the clock
 * reads `nowMs`. Throws when `lastBar` is not a time or a day.
 */
export function dataFreshness(lastBar: number | string, nowMs: number): DataFreshness {
  const barMs = typeof lastBar === 'number' ? lastBar : Date.parse(`${lastBar}T00:00:00Z`);
  if (!Number.isFinite(barMs)) throw new Error(`Cannot tell the age of data "${String(lastBar)}": expected epoch milliseconds or a day as YYYY-MM-DD.`);
  const ageDays = Math.round((utcDayStart(nowMs) - utcDayStart(barMs)) / DAY_MS);
  return { asOf: toIsoDay(barMs), ageDays, stale: ageDays > STALE_AFTER_DAYS };
}

/** "today", "1 day old", "246 days old". */
export function formatDataAge(ageDays: number): string {
  if (ageDays <= 0) return 'today';
  return `${ageDays} day${ageDays === 1 ? '' : 's'} old`;
}
