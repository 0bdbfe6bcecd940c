// The realised outcome of a stored prediction once its horizon has passed: the close-to-close return from the
// as-of day to as-of + horizon, and the class it fell in under the label thresholds stored with the prediction (its
// band), or for rows published before bands, the model's. One rule for the history route, `coinsphere outcomes`
// and the live record (issue #16). Pure and runtime-neutral: must not import node:*.
import { DAY_MS, type ClassName } from '@coinsphere/model/core';
import type { Outcome, Prediction } from './contract/index.ts';

/** What actually happened after a prediction (the wire's RealisedOutcome). `class`/`correct` are null when thresholds are unknown. */
export type RealisedOutcome = NonNullable<Outcome>;

/** Label thresholds on the simple return (fractions, e.g. -0.02 and 0.02). */
export interface ReturnThresholds {
  lower: number;
  upper: number;
}


/** `day` plus `days` as YYYY-MM-DD (UTC). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The outcome of `p` given daily closes keyed by YYYY-MM-DD; null while the horizon has not passed or a close
 * is missing. As the labels: below `lower` bearish, above `upper` bullish, neutral between (inclusive).
 */
export function realisedOutcome(p: Pick<Prediction, 'asOf' | 'horizonDays' | 'class'>, closeByDay: ReadonlyMap<string, number>, thresholds: ReturnThresholds | null): RealisedOutcome | null {
  const endDay = addDays(p.asOf, p.horizonDays);
  const closeAtAsOf = closeByDay.get(p.asOf);
  const closeAtEnd = closeByDay.get(endDay);
  if (closeAtAsOf === undefined || closeAtEnd === undefined || closeAtAsOf <= 0) return null;
  const ret = closeAtEnd / closeAtAsOf - 1;
  const cls: ClassName | null = thresholds ? (ret < thresholds.lower ? 'bearish' : ret > thresholds.upper ? 'bullish' : 'neutral') : null;
  return { endDay, closeAtAsOf, closeAtEnd, returnPct: ret * 100, class: cls, correct: cls === null ? null : cls === p.class };
}

/** The thresholds a prediction is judged by: its own band when it carries one, else `fallback` (the model's). */
export function thresholdsOf(p: Pick<Prediction, 'band'>, fallback: ReturnThresholds | null = null): ReturnThresholds | null {
  return p.band ? { lower: p.band.lowerReturn, upper: p.band.upperReturn } : fallback;
}

/** The candle source a model read for `symbol` (its metadata's dataSources), or undefined for an asset it never saw
 *  (then the longest series, as its inputs were read): outcomes are judged on that series, never on another source's. */
export function modelSourceFor(metadata: Record<string, unknown> | undefined, symbol: string): string | undefined {
  const sources = metadata?.dataSources as Record<string, unknown> | undefined;
  const s = sources?.[symbol];
  return typeof s === 'string' ? s : undefined;
}

/** Reads `{ lower, upper }` label thresholds out of model metadata (`thresholds` or `labelThresholds`), or null. */
export function thresholdsFromMetadata(metadata: Record<string, unknown> | undefined): ReturnThresholds | null {
  const t = (metadata?.thresholds ?? metadata?.labelThresholds) as Record<string, unknown> | undefined;
  const lower = t?.lower ?? t?.down;
  const upper = t?.upper ?? t?.up;
  return typeof lower === 'number' && typeof upper === 'number' ? { lower, upper } : null;
}
