// Direction labels from the forward return, with a neutral band fitted on the training split only.
// Pure functions over plain arrays. Must not import tfjs or anything runtime-specific.

/** Class indices and names: the model's output order. */
export const CLASS_NAMES = ['bearish', 'neutral', 'bullish'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];
export const BEARISH = 0;
export const NEUTRAL = 1;
export const BULLISH = 2;

/** Horizons the product supports, in days. */
export const HORIZONS_DAYS = [7, 14, 30] as const;

/** Bearish when return < lower, bullish when return > upper, neutral in between (inclusive). */
export interface LabelThresholds {
  lower: number;
  upper: number;
}

/**
 * Share of training returns that the neutral band holds by default: a third, so the three classes are
 * roughly balanced while the band stays symmetric around zero and "neutral" keeps meaning "small move".
 */
export const DEFAULT_NEUTRAL_SHARE = 1 / 3;

/**
 * Simple forward return per day: close[t + horizonDays] / close[t] - 1, in [nDays] (NaN where t + horizonDays is
 * past the last candle: those days get no label).
 */
export function forwardReturns(close: ArrayLike<number>, horizonDays: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = 0; t + horizonDays < close.length; t++) out[t] = close[t + horizonDays]! / close[t]! - 1;
  return out;
}

/**
 * Past return per day: close[t] / close[t - horizonDays] - 1 (NaN for t < horizonDays). The persistence
 * baseline classifies it with the same thresholds.
 */
export function pastReturns(close: ArrayLike<number>, horizonDays: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = horizonDays; t < close.length; t++) out[t] = close[t]! / close[t - horizonDays]! - 1;
  return out;
}

/**
 * The rule: a symmetric band ±τ where τ is the `neutralShare` quantile of |return| over the training returns
 * (default a third, the tercile). So a third of training days are neutral and the rest split by sign. NaN
 * returns are ignored. Throws when no finite return is given.
 */
export function fitLabelThresholds(trainReturns: ArrayLike<number>, neutralShare = DEFAULT_NEUTRAL_SHARE): LabelThresholds {
  if (!(neutralShare > 0 && neutralShare < 1)) {
    throw new Error(`neutralShare ${neutralShare} is out of range. Should be strictly between 0 and 1.`);
  }
  const abs = Array.from(trainReturns).filter(Number.isFinite).map(Math.abs).sort((a, b) => a - b);
  if (abs.length === 0) throw new Error('fitLabelThresholds got no finite training return. Provide more history.');
  const pos = neutralShare * (abs.length - 1); // linear interpolation between order statistics, as numpy
  const lo = Math.floor(pos);
  const tau = abs[lo]! + (abs[Math.min(lo + 1, abs.length - 1)]! - abs[lo]!) * (pos - lo);
  return { lower: -tau, upper: tau };
}

/** Class of one return: 0 bearish, 1 neutral, 2 bullish; -1 for NaN (no label). */
export function classifyReturn(r: number, t: LabelThresholds): number {
  if (Number.isNaN(r)) return -1;
  return r < t.lower ? BEARISH : r > t.upper ? BULLISH : NEUTRAL;
}

/** Classes of many returns: Int32Array of the same length, -1 where unlabeled. */
export function labelReturns(returns: ArrayLike<number>, t: LabelThresholds): Int32Array {
  return Int32Array.from({ length: returns.length }, (_, i) => classifyReturn(returns[i]!, t));
}

/** Count and share of each class. */
export interface ClassBalance {
  n: number;
  counts: Record<ClassName, number>;
  shares: Record<ClassName, number>;
}

/** Class balance of labels (entries < 0 are skipped). */
export function classBalance(labels: ArrayLike<number>): ClassBalance {
  const counts = { bearish: 0, neutral: 0, bullish: 0 };
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const name = CLASS_NAMES[labels[i]!];
    if (name === undefined) continue;
    counts[name]++;
    n++;
  }
  const share = (k: number) => (n > 0 ? k / n : 0);
  return { n, counts, shares: { bearish: share(counts.bearish), neutral: share(counts.neutral), bullish: share(counts.bullish) } };
}
