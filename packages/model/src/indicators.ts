// The price indicators of both feature sets (SMA, EMA, MACD, RSI, Bollinger), written as plain loops that repeat
// technicalindicators 3.1's arithmetic operation for operation, so every value is bit-identical to the library's
// (indicators.test.ts holds them against it over random, real-shaped and degenerate series). Why not the library:
// its generators, linked lists and one object per row made the indicators most of a prediction's cost (a CPU
// profile of the prediction thread, BENCHMARKS.md), and it cannot skip rows nobody reads. Here the recursive state
// (running sums, EMAs, Wilder averages) still walks the whole history, which is what makes the values exact, but the
// per-row work that only a window reads (RSI's rounding, Bollinger's deviation) starts at `fromRow`.
// Every series is [n] aligned with its input: NaN where the library gives no value (warm-up); with a `fromRow`,
// only the rows from it on are meant to be read (those before are NaN or whatever was needed to reach it).
// Pure; must not import anything.

/** One step of an EMA of `period` as technicalindicators' EMA generator takes it: undefined during the warm-up. */
export type EmaStep = (value: number) => number | undefined;

/**
 * A stateful EMA of `period`: seeded with the running-sum SMA of its first `period` values, then
 * ema = (value - ema) * 2 / (period + 1) + ema. The library's quirk is kept: a seed that is 0 or NaN (falsy) is
 * not given out as such but updated once more with the same value.
 */
export function emaStepper(period: number): EmaStep {
  const k = 2 / (period + 1);
  let prev: number | undefined;
  let sum = 0;
  let count = 0;
  return (value) => {
    if (prev !== undefined) return (prev = (value - prev) * k + prev);
    if (++count < period) {
      sum = sum + value;
      return undefined;
    }
    const seed = (sum - 0 + value) / period; // the library's SMA subtracts its initial 0 here
    prev = seed ? seed : (value - seed) * k + seed;
    return prev;
  };
}

/** SMA of `period`, as a running sum (sum - oldest + newest, in that order); NaN before row period - 1. */
export function smaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (i < period - 1) sum = sum + values[i]!;
    else {
      sum = sum - (i >= period ? values[i - period]! : 0) + values[i]!;
      out[i] = sum / period;
    }
  }
  return out;
}

/** EMA of `period` (emaStepper); NaN before row period - 1. */
export function emaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const step = emaStepper(period);
  for (let i = 0; i < values.length; i++) out[i] = step(values[i]!) ?? Number.NaN;
  return out;
}

/** MACD line and signal, both [n]. */
export interface MacdSeries {
  macd: Float64Array;
  signal: Float64Array;
}

/**
 * MACD with EMA oscillators and an EMA signal: line = EMA_fast - EMA_slow from row slow - 1, signal = EMA_signal of
 * the line (NaN while it warms up, and where the library leaves it undefined: a signal of exactly 0).
 */
export function macdSeries(values: ArrayLike<number>, fastPeriod: number, slowPeriod: number, signalPeriod: number): MacdSeries {
  const n = values.length;
  const out = { macd: new Float64Array(n).fill(Number.NaN), signal: new Float64Array(n).fill(Number.NaN) };
  const fast = emaStepper(fastPeriod);
  const slow = emaStepper(slowPeriod);
  const signalOf = emaStepper(signalPeriod);
  let line: number | undefined;
  let signal: number | undefined;
  for (let i = 0; i < n; i++) {
    const f = fast(values[i]!);
    const s = slow(values[i]!);
    if (i < slowPeriod - 1) continue;
    if (f && s) { // the library's guard: a falsy EMA keeps the previous line and signal
      line = f - s;
      signal = signalOf(line);
    }
    out.macd[i] = line ?? Number.NaN;
    out.signal[i] = signal ? signal : Number.NaN;
  }
  return out;
}

/**
 * RSI of `period` with Wilder's averages of gains and losses, 0-100 rounded to 2 decimals as the library rounds it
 * (parseFloat of toFixed(2)); 100 when the average loss is 0, 0 when the average gain is. From row `period`; the
 * averages walk every row, the rounding only rows >= `fromRow`.
 */
export function rsiSeries(values: ArrayLike<number>, period: number, fromRow = 0): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let gainSum = 0;
  let lossSum = 0;
  let avgGain: number | undefined;
  let avgLoss: number | undefined;
  for (let i = 1; i < n; i++) {
    const last = values[i - 1]!;
    const current = values[i]!;
    let gain = current - last;
    gain = gain > 0 ? gain : 0;
    let loss = last - current;
    loss = loss > 0 ? loss : 0;
    if (gain > 0) gainSum = gainSum + gain;
    if (loss > 0) lossSum = lossSum + loss;
    if (i < period) continue;
    if (avgGain === undefined || avgLoss === undefined) {
      avgGain = gainSum / period;
      avgLoss = lossSum / period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    if (i >= fromRow) out[i] = rsiOf(avgGain, avgLoss);
  }
  return out;
}

function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return 100;
  if (avgGain === 0) return 0;
  let rs = avgGain / avgLoss;
  rs = Number.isNaN(rs) ? 0 : rs;
  return parseFloat((100 - 100 / (1 + rs)).toFixed(2));
}

/** Bollinger bands, both [n]. */
export interface BollingerSeries {
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger bands of `period`: SMA ± `stdDev` population standard deviations of the last `period` values (the sum
 * of squared deviations taken oldest first). From row period - 1; the SMA walks every row, the deviation is
 * computed from `fromRow` (or the last row before it whose SMA is truthy: the library keeps the previous band
 * where its SMA is 0 or NaN).
 */
export function bollingerSeries(values: ArrayLike<number>, period: number, stdDev: number, fromRow = 0): BollingerSeries {
  const n = values.length;
  const out = { upper: new Float64Array(n).fill(Number.NaN), lower: new Float64Array(n).fill(Number.NaN) };
  const mean = smaSeries(values, period);
  let start = Math.max(fromRow, period - 1);
  while (start > period - 1 && !mean[start]) start--;
  let upper = Number.NaN;
  let lower = Number.NaN;
  for (let i = start; i < n; i++) {
    const m = mean[i]!;
    if (m) {
      let sum = 0;
      for (let j = i - period + 1; j <= i; j++) sum = sum + Math.pow(values[j]! - m, 2);
      const sd = Math.sqrt(sum / period);
      upper = m + sd * stdDev;
      lower = m - sd * stdDev;
    }
    out.upper[i] = upper;
    out.lower[i] = lower;
  }
  return out;
}
