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

/**
 * How a sample's class is drawn from its forward return:
 * - 'fixed' (the specification's): one band ±τ for every day, τ the tercile of |return| over training returns;
 * - 'volatility': a band that scales with the asset's volatility on the sample's day, ±k·σ_t·√h in log-return
 *   terms (López de Prado's volatility-scaled bands, FreqAI's mean ± k·std), with σ_t an exponentially weighted
 *   standard deviation of daily log returns up to day t and k fitted on training samples so that a third of them
 *   are neutral. Classes stay near a third each in calm and wild regimes alike, so "neutral" keeps meaning "a
 *   small move for this asset now".
 */
export const LABEL_KINDS = ['fixed', 'volatility'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** A fitted labelling rule, as stored in an artifact. */
export type LabelRule =
  | { kind: 'fixed'; lower: number; upper: number }
  | { kind: 'volatility'; k: number; volSpanDays: number };

/** Span of the volatility estimate of the 'volatility' rule, in days (EWMA weight 2 / (span + 1)). */
export const DEFAULT_VOL_SPAN_DAYS = 60;

/**
 * Exponentially weighted standard deviation of daily log returns (mean taken as 0), causal: entry t uses closes
 * 0..t. [nDays]; NaN until 10 returns have been seen.
 */
export function ewmaVolatility(close: ArrayLike<number>, spanDays = DEFAULT_VOL_SPAN_DAYS): Float64Array {
  const alpha = 2 / (spanDays + 1);
  const out = new Float64Array(close.length).fill(Number.NaN);
  let variance = 0;
  for (let t = 1; t < close.length; t++) {
    const r = Math.log(close[t]! / close[t - 1]!);
    variance = t === 1 ? r * r : (1 - alpha) * variance + alpha * r * r;
    if (t >= 10) out[t] = Math.sqrt(variance);
  }
  return out;
}

/**
 * The thresholds (simple returns, as classifyReturn takes them) of the sample ending on row t: the fixed band,
 * or e^(±k·σ_t·√h) − 1 for the volatility rule (`sigma` from ewmaVolatility over the same closes).
 */
export function thresholdsAt(rule: LabelRule, sigma: ArrayLike<number>, t: number, horizonDays: number): LabelThresholds {
  if (rule.kind === 'fixed') return { lower: rule.lower, upper: rule.upper };
  const band = rule.k * sigma[t]! * Math.sqrt(horizonDays);
  return { lower: Math.exp(-band) - 1, upper: Math.exp(band) - 1 };
}

/**
 * Fits the volatility rule's k on training samples: the `neutralShare` quantile of |ln(1 + r)| / (σ_t·√h), so that
 * share of them is neutral. `forward` and `sigma` are per training sample. Throws when none is finite.
 */
export function fitVolatilityRule(
  forward: ArrayLike<number>,
  sigma: ArrayLike<number>,
  horizonDays: number,
  neutralShare = DEFAULT_NEUTRAL_SHARE,
  volSpanDays = DEFAULT_VOL_SPAN_DAYS,
): LabelRule {
  const z: number[] = [];
  for (let i = 0; i < forward.length; i++) {
    const s = sigma[i]!;
    const r = forward[i]!;
    if (Number.isFinite(r) && Number.isFinite(s) && s > 0) z.push(Math.log1p(r) / (s * Math.sqrt(horizonDays)));
  }
  const { upper } = fitLabelThresholds(z, neutralShare); // the quantile of |z|
  return { kind: 'volatility', k: upper, volSpanDays };
}
