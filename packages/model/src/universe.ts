// Which series a pooled model learns from: one daily series per coin, without the assets whose price says
// nothing about direction. Stablecoins (pegged near $1, almost no movement) are "neutral" on nearly every day,
// and wrapped tokens (WBTC) repeat another coin's price path, which would put the same path twice in a fold.
// Both are found by rule from the candles, never from a hand-kept list, and every exclusion is reported. The same
// rules (and a rule on names) choose the top assets from CoinGecko's market list (packages/data top-assets.ts).
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

/** The thresholds with their defaults filled in. */
function thresholds(opts: UniverseOptions): Required<UniverseOptions> {
  return { pegBand: opts.pegBand ?? 1.1, stableVolatility: opts.stableVolatility ?? 0.01, wrappedCorrelation: opts.wrappedCorrelation ?? 0.8, wrappedRatioBand: opts.wrappedRatioBand ?? 0.05, minDays: opts.minDays ?? 120 };
}

/**
 * The stablecoin rule: the median close lies within `pegBand` of $1 and the robust daily volatility is below
 * `stableVolatility`. `barsPerDay` (default 1) scales the volatility of shorter bars to a day (× √barsPerDay), so
 * CoinGecko's hourly 7-day prices are judged by the same thresholds as daily candles. Returns why, or null.
 */
export function stablecoinDetail(candles: readonly Candle[], opts: UniverseOptions = {}, barsPerDay = 1): string | null {
  const { pegBand, stableVolatility } = thresholds(opts);
  const closeMedian = median(candles.map((c) => c.close));
  const vol = robustVolatility([...logReturns(candles).values()]) * Math.sqrt(barsPerDay);
  if (!(closeMedian > 1 / pegBand && closeMedian < pegBand && vol < stableVolatility)) return null;
  return `median close $${closeMedian.toFixed(3)}, daily volatility ${(vol * 100).toFixed(2)}%`;
}

/**
 * The wrapper rule: `a`'s returns correlate above `wrappedCorrelation` with `b`'s over their common bars (at least
 * 30) and the ratio of their closes stays within `wrappedRatioBand` on 95% of them. `b` is the original (the longer
 * history, or the larger market cap); `barUnit` names the bars in the detail. Returns why, or null.
 */
export function wrapperDetail(a: SeriesCandidate, b: SeriesCandidate, opts: UniverseOptions = {}, barUnit = 'days'): string | null {
  const { wrappedCorrelation, wrappedRatioBand } = thresholds(opts);
  const sim = similarity(a, b);
  if (!(sim.correlation > wrappedCorrelation && sim.ratioSpread < wrappedRatioBand)) return null;
  return `tracks ${b.symbol}: return correlation ${sim.correlation.toFixed(3)} over ${sim.days} ${barUnit}, price ratio within ${(sim.ratioSpread * 100).toFixed(1)}%`;
}

/** Words in an asset's name that say it stands for another coin (a wrapped, staked, restaked, bridged or pegged copy:
 *  "Wrapped Bitcoin", "Lido Staked Ether", "Bridged USDC", "Binance-Peg Dogecoin"), for sources that give names. */
const WRAPPER_NAME = /\b(wrapped|staked|restaked|restaking|bridged|peg|pegged|liquid staking)\b/i;

/** The name rule: why `name` says the asset is a wrapped or staked copy of another coin, or null. It complements
 *  wrapperDetail where the copy's price drifts from the original's (a staking token accrues its yield). */
export function wrapperNameDetail(name: string): string | null {
  const word = WRAPPER_NAME.exec(name)?.[1];
  return word === undefined ? null : `its name "${name}" says ${word.toLowerCase()}`;
}

/**
 * The pooled universe: one series per symbol (pickOneSeriesPerSymbol), minus stablecoins (stablecoinDetail),
 * wrapped tokens (wrapperDetail against a series of a longer history) and series shorter than `minDays`.
 */
export function selectUniverse(candidates: readonly SeriesCandidate[], opts: UniverseOptions = {}): Universe {
  const { minDays } = thresholds(opts);
  const excluded: UniverseExclusion[] = [];
  const kept: SeriesCandidate[] = [];
  for (const s of pickOneSeriesPerSymbol(candidates)) {
    if (s.candles.length < minDays) {
      excluded.push({ symbol: s.symbol, source: s.source, reason: 'short', detail: `${s.candles.length} daily candles, fewer than ${minDays}` });
      continue;
    }
    const stable = stablecoinDetail(s.candles, opts);
    if (stable !== null) {
      excluded.push({ symbol: s.symbol, source: s.source, reason: 'stablecoin', detail: stable });
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
      const detail = wrapperDetail(a, b, opts);
      if (detail !== null) {
        wrapped.add(a.symbol);
        excluded.push({ symbol: a.symbol, source: a.source, reason: 'wrapped', detail });
        break;
      }
    }
  }
  return { series: kept.filter((s) => !wrapped.has(s.symbol)), excluded: excluded.sort((a, b) => a.symbol.localeCompare(b.symbol)) };
}
