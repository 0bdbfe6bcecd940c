// Momentum baseline: "EMA 20 above EMA 50 → bullish, else bearish". A trend rule, evaluated on the same rows as
// the model. It never says neutral: the rule has no dead band, and inventing one would make it a different rule
// (so on a third of the rows, the neutral ones, it is wrong by construction; that is the rule's real cost).
// Pure; no tfjs, no node:*.
import { BEARISH, BULLISH } from '../labels.ts';

/**
 * Exponential moving average of `values` with period p, seeded with the simple mean of the first p values
 * (as technicalindicators does); NaN before index p - 1.
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  if (values.length < period) return out;
  let mean = 0;
  for (let i = 0; i < period; i++) mean += values[i]! / period;
  out[period - 1] = mean;
  const k = 2 / (period + 1);
  for (let i = period; i < values.length; i++) out[i] = (values[i]! - out[i - 1]!) * k + out[i - 1]!;
  return out;
}

/**
 * Momentum class of each row: `rows` are candle indices (the window's last day), `close` the closes oldest first.
 * Bullish (2) when EMA(fast) > EMA(slow) at that row, else bearish (0). Uses closes up to the row only.
 * Throws for a row before the slow EMA exists.
 */
export function momentumClasses(close: ArrayLike<number>, rows: ArrayLike<number>, fast = 20, slow = 50): Int32Array {
  const ef = ema(close, fast);
  const es = ema(close, slow);
  return Int32Array.from({ length: rows.length }, (_, i) => {
    const r = rows[i]!;
    if (!(r >= slow - 1 && r < close.length)) throw new Error(`Momentum row ${r} has no EMA ${slow}: rows must be in ${slow - 1}..${close.length - 1}.`);
    return ef[r]! > es[r]! ? BULLISH : BEARISH;
  });
}

/** One-hot probabilities [n, 3] of hard classes (a rule has no confidence: wrong rows cost -ln 1e-7 in log loss). */
export function oneHot(classes: ArrayLike<number>, k = 3): Float32Array {
  const out = new Float32Array(classes.length * k); // [n, k]
  for (let i = 0; i < classes.length; i++) out[i * k + classes[i]!] = 1;
  return out;
}
