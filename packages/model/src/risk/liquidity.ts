// Liquidity from daily bars: Amihud's (2002) illiquidity, the 30-day mean of |log return| / USD volume, and the
// Abdi-Ranaldo (2017) bid-ask spread from close and high-low midpoints, in its backward form so that day t uses
// days up to t only. Running sums, O(1) per day. Pure; must not import tfjs or node:*.
import type { AssetDays } from './asset-days.ts';
import { trailingCount, trailingMean } from './rolling.ts';

/** Lookback of both measures, days. */
export const LIQUIDITY_WINDOW_DAYS = 30;

/** Per calendar day ([nDays] each). */
export interface LiquiditySeries {
  /** Mean of |r| / dollar volume over the window's days, per $1M (the log-return move of $1M traded). NaN when
   *  more than `maxGapShare` of the window is missing; zero-volume days are left out (see zeroVolumeDays). */
  amihud: Float64Array;
  /** Days of the window with zero or missing volume (a reason when > 0). */
  zeroVolumeDays: Int32Array;
  /** Mean USD volume over the window (NaN as amihud). */
  meanDollarVolume: Float64Array;
  /** Abdi-Ranaldo effective spread, a fraction of price: sqrt(max(0, mean of 4(c_(t-1) − η_(t-1))(c_(t-1) − η_t))),
   *  c the log close and η the log high-low midpoint. NaN when too many days lack a range (or a candle). */
  spread: Float64Array;
}

/** Amihud illiquidity and the Abdi-Ranaldo spread over trailing LIQUIDITY_WINDOW_DAYS-day windows. */
export function liquiditySeries(days: AssetDays, maxGapShare = 0, windowDays = LIQUIDITY_WINDOW_DAYS): LiquiditySeries {
  const maxMissing = Math.floor(windowDays * maxGapShare);
  const n = days.nDays;
  const impact = new Float64Array(n).fill(Number.NaN);
  const badVolume = new Uint8Array(n);
  const product = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const vol = days.dollarVolume[i]!;
    if (days.present[i] && !(vol > 0)) badVolume[i] = 1;
    if (vol > 0) impact[i] = (Math.abs(days.logReturn[i]!) / vol) * 1e6;
    if (i > 0) {
      const c = days.logClose[i - 1]!;
      product[i] = 4 * (c - days.logMid[i - 1]!) * (c - days.logMid[i]!);
    }
  }
  const spreadMean = trailingMean(product, windowDays, maxMissing);
  return {
    amihud: trailingMean(impact, windowDays, maxMissing),
    zeroVolumeDays: trailingCount(badVolume, windowDays),
    meanDollarVolume: trailingMean(days.dollarVolume.map((v) => (v > 0 ? v : Number.NaN)), windowDays, maxMissing),
    spread: spreadMean.map((m) => (Number.isFinite(m) ? Math.sqrt(Math.max(0, m)) : Number.NaN)),
  };
}
