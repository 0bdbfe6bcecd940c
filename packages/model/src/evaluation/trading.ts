// Trading simulation of a direction forecast. The forecasts overlap (a 7-day call is made every day), so positions
// are held like this: each day's close we rebalance to the newest forecast (long when it says bullish, short when
// bearish, flat when neutral or when its top probability is under the threshold) and earn the next day's return.
// Changing position costs fee + slippage on the traded notional. Compared with buy-and-hold on the same days.
// Pure; no tfjs, no node:*.
import { argmax } from '../metrics.ts';
import { BEARISH, BULLISH } from '../labels.ts';

/** Options of simulateTrading. */
export interface TradingOptions {
  /** Smallest top-class probability that opens a position (default 0.4; 1/3 is uniform). */
  minConfidence?: number;
  /** Exchange fee per side, basis points of notional (default 10). */
  feeBps?: number;
  /** Slippage per side, basis points (default 5). */
  slippageBps?: number;
  /** Allow short positions (default true); otherwise bearish means flat. */
  allowShort?: boolean;
}

/** Performance of one strategy over the simulated days. */
export interface StrategyResult {
  /** Equity after each day, starting from 1: [n]. */
  equity: number[];
  totalReturn: number;
  /** Compound annual growth over 365-day years (crypto trades every day). */
  cagr: number;
  /** Mean / std of daily returns × sqrt(365); 0 when the returns are constant. */
  sharpe: number;
  /** Largest fall from a peak of the equity curve, as a positive fraction. */
  maxDrawdown: number;
  /** Sum of |position change| per year (1 = one full entry or exit). */
  turnoverPerYear: number;
  /** Share of days with a position. */
  exposure: number;
}

/** The strategy and buy-and-hold on the same days. */
export interface TradingResult {
  days: number;
  strategy: StrategyResult;
  buyAndHold: StrategyResult;
  /** Position per day: 1 long, 0 flat, -1 short. */
  positions: number[];
}

/** Positions from probabilities [n, 3] under the options' threshold and shorting rule. */
export function positionsFrom(probs: ArrayLike<number>, n: number, opts: TradingOptions = {}): Int8Array {
  const min = opts.minConfidence ?? 0.4;
  return Int8Array.from({ length: n }, (_, i) => {
    const c = argmax(probs, i * 3, 3);
    if (probs[i * 3 + c]! < min) return 0;
    return c === BULLISH ? 1 : c === BEARISH && opts.allowShort !== false ? -1 : 0;
  });
}

/** Equity and statistics of daily positions against next-day returns (both [n]), with per-side costs. */
export function runStrategy(positions: ArrayLike<number>, nextDayReturns: ArrayLike<number>, costPerSide: number): StrategyResult {
  const n = positions.length;
  const equity: number[] = [];
  const daily: number[] = [];
  let value = 1;
  let prev = 0;
  let turnover = 0;
  let exposed = 0;
  for (let i = 0; i < n; i++) {
    const pos = positions[i]!;
    const traded = Math.abs(pos - prev);
    turnover += traded;
    exposed += pos !== 0 ? 1 : 0;
    const r = pos * nextDayReturns[i]! - traded * costPerSide;
    value *= 1 + r;
    daily.push(r);
    equity.push(value);
    prev = pos;
  }
  const years = n / 365;
  const mean = daily.reduce((s, r) => s + r, 0) / Math.max(1, n);
  const sd = Math.sqrt(daily.reduce((s, r) => s + (r - mean) ** 2, 0) / Math.max(1, n - 1));
  let peak = 1;
  let maxDrawdown = 0;
  for (const v of equity) {
    peak = Math.max(peak, v);
    maxDrawdown = Math.max(maxDrawdown, 1 - v / peak);
  }
  return {
    equity,
    totalReturn: value - 1,
    cagr: value > 0 && years > 0 ? value ** (1 / years) - 1 : -1,
    sharpe: sd > 1e-12 ? (mean / sd) * Math.sqrt(365) : 0,
    maxDrawdown,
    turnoverPerYear: years > 0 ? turnover / years : 0,
    exposure: n > 0 ? exposed / n : 0,
  };
}

/**
 * Simulates the forecast `probs` ([n, 3], one row per consecutive day) against `nextDayReturns` ([n]:
 * close[t + 1] / close[t] - 1) and buy-and-hold on the same days. Throws when the lengths differ.
 */
export function simulateTrading(probs: ArrayLike<number>, nextDayReturns: ArrayLike<number>, opts: TradingOptions = {}): TradingResult {
  const n = nextDayReturns.length;
  if (probs.length !== n * 3) throw new Error(`simulateTrading needs [n, 3] probabilities for n = ${n} days; got ${probs.length} values.`);
  const cost = ((opts.feeBps ?? 10) + (opts.slippageBps ?? 5)) / 10_000;
  const positions = positionsFrom(probs, n, opts);
  return {
    days: n,
    strategy: runStrategy(positions, nextDayReturns, cost),
    buyAndHold: runStrategy(new Int8Array(n).fill(1), nextDayReturns, cost),
    positions: Array.from(positions),
  };
}
