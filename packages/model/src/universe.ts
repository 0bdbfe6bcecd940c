// Which series a pooled model learns from: one daily series per coin, without the assets whose price says
// nothing about direction. Stablecoins (pegged near $1, almost no movement) are "neutral" on nearly every day,
// and wrapped tokens (WBTC) repeat another coin's price path, which would put the same path twice in a fold.
// Both are found by rule from the candles, never from a hand-kept list, and every exclusion is reported.
// Pure over plain arrays; must not import tfjs, node:* or anything runtime-specific.
import type { Candle } from './candle.ts';

/** One stored daily series: a coin at one source. */
export interface SeriesCandidate {
  symbol: string;
  source: string;
  candles: readonly Candle[];
}

/** Why an asset is left out of the pooled universe. */
export interface UniverseExclusion {
  symbol: string;
  source: string;
  reason: 'stablecoin' | 'wrapped' | 'short';
  detail: string;
}

/** The chosen series (one per symbol) and what was left out, with reasons. */
export interface Universe {
  series: SeriesCandidate[];
  excluded: UniverseExclusion[];
}

/** Thresholds of the rules; the defaults separate USDT/USDC and WBTC from every other coin in the shared data. */
export interface UniverseOptions {
  /** A stablecoin's median close lies within this factor of $1 (default 1.1: 0.91..1.1). */
  pegBand?: number;
  /** ... and its robust daily volatility (1.4826 × median |log return|) is below this (default 0.01; BTC's is about 0.03). */
  stableVolatility?: number;
  /** A wrapper's daily log returns correlate above this with a longer series' over their common days (0.8; WBTC
   *  and BTC: 0.93, bad prints included). The price-ratio band below is what separates a wrapper from a coin. */
  wrappedCorrelation?: number;
  /** ... and the ratio of their closes stays within this relative band on 95% of common days (default 0.05). */
  wrappedRatioBand?: number;
  /** Fewest daily candles a series needs (default 120). */
  minDays?: number;
}

function logReturns(candles: readonly Candle[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 1; i < candles.length; i++) out.set(candles[i]!.openTimeMs, Math.log(candles[i]!.close / candles[i - 1]!.close));
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

/** A robust daily volatility: 1.4826 × the median absolute log return (the normal's σ; a few bad prints in a
 *  stablecoin's early history do not move it, as they would move a standard deviation). */
function robustVolatility(returns: number[]): number {
  return 1.4826 * median(returns.map(Math.abs));
}

/** The `q` quantile (0-1) of `values` (nearest rank). */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Pearson correlation of the returns on their common days, and the spread of log(closeA / closeB) there. */
function similarity(a: SeriesCandidate, b: SeriesCandidate): { days: number; correlation: number; ratioSpread: number } {
  const ra = logReturns(a.candles);
  const rb = logReturns(b.candles);
  const closeB = new Map(b.candles.map((c) => [c.openTimeMs, c.close]));
  const xs: number[] = [];
  const ys: number[] = [];
  const ratios: number[] = [];
  for (const [day, x] of ra) {
    const y = rb.get(day);
    if (y === undefined) continue;
    xs.push(x);
    ys.push(y);
  }
  for (const c of a.candles) {
    const cb = closeB.get(c.openTimeMs);
    if (cb !== undefined) ratios.push(Math.log(c.close / cb));
  }
  if (xs.length < 30) return { days: xs.length, correlation: 0, ratioSpread: Number.POSITIVE_INFINITY };
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const m = median(ratios);
  const ratioSpread = quantile(ratios.map((r) => Math.abs(r - m)), 0.95); // a few bad prints allowed
  return { days: xs.length, correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0, ratioSpread };
}

/**
 * One series per symbol: the one whose last candle is newest (the most recent data), then the one with the most
 * candles, then the source name. Pass every stored daily series.
 */
export function pickOneSeriesPerSymbol(candidates: readonly SeriesCandidate[]): SeriesCandidate[] {
  const best = new Map<string, SeriesCandidate>();
  for (const c of candidates) {
    if (c.candles.length === 0) continue;
    const cur = best.get(c.symbol);
    const last = (s: SeriesCandidate) => s.candles.at(-1)!.openTimeMs;
    const better = !cur || last(c) > last(cur) || (last(c) === last(cur) && (c.candles.length > cur.candles.length ||
      (c.candles.length === cur.candles.length && c.source < cur.source)));
    if (better) best.set(c.symbol, c);
  }
  return [...best.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/**
 * The pooled universe: one series per symbol (pickOneSeriesPerSymbol), minus stablecoins (median close near $1
 * and daily volatility below `stableVolatility`), wrapped tokens (returns correlated above `wrappedCorrelation`
 * with a series of a longer history, at a near-constant price ratio) and series shorter than `minDays`.
 */
export function selectUniverse(candidates: readonly SeriesCandidate[], opts: UniverseOptions = {}): Universe {
  const pegBand = opts.pegBand ?? 1.1;
  const stableVol = opts.stableVolatility ?? 0.01;
  const minCorr = opts.wrappedCorrelation ?? 0.8;
  const ratioBand = opts.wrappedRatioBand ?? 0.05;
  const minDays = opts.minDays ?? 120;
  const excluded: UniverseExclusion[] = [];
  const kept: SeriesCandidate[] = [];
  for (const s of pickOneSeriesPerSymbol(candidates)) {
    if (s.candles.length < minDays) {
      excluded.push({ symbol: s.symbol, source: s.source, reason: 'short', detail: `${s.candles.length} daily candles, fewer than ${minDays}` });
      continue;
    }
    const closeMedian = median(s.candles.map((c) => c.close));
    const vol = robustVolatility([...logReturns(s.candles).values()]);
    if (closeMedian > 1 / pegBand && closeMedian < pegBand && vol < stableVol) {
      excluded.push({ symbol: s.symbol, source: s.source, reason: 'stablecoin', detail: `median close $${closeMedian.toFixed(3)}, daily volatility ${(vol * 100).toFixed(2)}%` });
      continue;
    }
    kept.push(s);
  }
  // Wrapped: compare each series with every longer one (the original has the longer history).
  const byLength = [...kept].sort((a, b) => b.candles.length - a.candles.length);
  const wrapped = new Set<string>();
  for (let i = 0; i < byLength.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = byLength[i]!;
      const b = byLength[j]!;
      if (wrapped.has(b.symbol)) continue;
      const sim = similarity(a, b);
      if (sim.correlation > minCorr && sim.ratioSpread < ratioBand) {
        wrapped.add(a.symbol);
        excluded.push({ symbol: a.symbol, source: a.source, reason: 'wrapped', detail: `tracks ${b.symbol}: return correlation ${sim.correlation.toFixed(3)} over ${sim.days} days, price ratio within ${(sim.ratioSpread * 100).toFixed(1)}%` });
        break;
      }
    }
  }
  return { series: kept.filter((s) => !wrapped.has(s.symbol)), excluded: excluded.sort((a, b) => a.symbol.localeCompare(b.symbol)) };
}
