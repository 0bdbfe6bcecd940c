// One asset's daily candles laid on a calendar grid (index = days since its first candle, NaN where a day has no
// candle), with the per-day inputs every risk component reads: log close, daily variance and where it came from,
// dollar volume, market cap and the range midpoint. Everything later works on these arrays with running sums.
// Pure; must not import tfjs or node:*.
import { type Candle, DAY_MS } from '../candle.ts';
import { utcDayStart } from '../dates.ts';
import { validateDaily } from '../features.ts';
import { closeToCloseVariance, garmanKlassVariance, parkinsonVariance, type RangeEstimator } from './range-variance.ts';

/** Calendar-indexed inputs of one asset ([nDays] each, NaN on days without a candle). */
export interface AssetDays {
  /** UTC midnight of the first candle, epoch ms. */
  firstDayMs: number;
  /** Calendar days from the first candle to the last, inclusive. */
  nDays: number;
  /** 1 where the day has a candle. */
  present: Uint8Array;
  close: Float64Array;
  /** ln(close). */
  logClose: Float64Array;
  /** The day's low, or its close where the source has no low. */
  low: Float64Array;
  /** ln(close_t / close_(t-1)); NaN when either day is missing. */
  logReturn: Float64Array;
  /** Daily variance of log returns (range estimator, else squared close-to-close return). */
  variance: Float64Array;
  /** 1 range, 2 close-to-close, 0 missing (index into VARIANCE_SOURCES). */
  varianceSource: Uint8Array;
  /** (ln high + ln low) / 2; NaN without a range. */
  logMid: Float64Array;
  /** USD volume (quote volume, else base volume × close); 0 allowed, NaN when the source has none. */
  dollarVolume: Float64Array;
  /** USD market cap; NaN where the candle has none. */
  marketCapUsd: Float64Array;
}

const nanArray = (n: number) => new Float64Array(n).fill(Number.NaN);

function dayVariance(c: Candle, prevClose: number, estimator: RangeEstimator): { v: number; source: number } {
  if (c.high !== null && c.low !== null) {
    const gk = c.open !== null && estimator === 'garman-klass' ? garmanKlassVariance(c.open, c.high, c.low, c.close) : Number.NaN;
    const v = Number.isFinite(gk) ? gk : parkinsonVariance(c.high, c.low);
    if (Number.isFinite(v)) return { v, source: 1 };
  }
  const v = closeToCloseVariance(prevClose, c.close);
  return Number.isFinite(v) ? { v, source: 2 } : { v: Number.NaN, source: 0 };
}

/**
 * Lays `candles` (daily, oldest first, one per UTC day) on a calendar grid. Throws on unsorted, duplicated or
 * non-positive input (validateDaily) and on a candle that is not at UTC midnight. A bar whose high/low are
 * inconsistent (low <= 0 or high < low) counts as having no range and falls back to close-to-close.
 */
export function toAssetDays(candles: readonly Candle[], estimator: RangeEstimator = 'parkinson'): AssetDays {
  validateDaily(candles);
  const first = candles[0];
  if (!first) throw new Error('toAssetDays needs at least one candle.');
  const firstDayMs = first.openTimeMs;
  const nDays = Math.round((candles.at(-1)!.openTimeMs - firstDayMs) / DAY_MS) + 1;
  const d: AssetDays = {
    firstDayMs, nDays, present: new Uint8Array(nDays), close: nanArray(nDays), logClose: nanArray(nDays), low: nanArray(nDays),
    logReturn: nanArray(nDays), variance: nanArray(nDays), varianceSource: new Uint8Array(nDays), logMid: nanArray(nDays),
    dollarVolume: nanArray(nDays), marketCapUsd: nanArray(nDays),
  };
  for (const c of candles) {
    if (utcDayStart(c.openTimeMs) !== c.openTimeMs) throw new Error(`Daily candle at ${new Date(c.openTimeMs).toISOString()} is not at UTC midnight.`);
    const i = Math.round((c.openTimeMs - firstDayMs) / DAY_MS);
    const prevClose = i > 0 ? d.close[i - 1]! : Number.NaN;
    const hasRange = c.high !== null && c.low !== null && c.low > 0 && c.high >= c.low;
    d.present[i] = 1;
    d.close[i] = c.close;
    d.logClose[i] = Math.log(c.close);
    d.low[i] = hasRange ? Math.min(c.low!, c.close) : c.close;
    d.logReturn[i] = Math.log(c.close / prevClose);
    const { v, source } = dayVariance(c, prevClose, estimator);
    d.variance[i] = v;
    d.varianceSource[i] = source;
    if (hasRange) d.logMid[i] = 0.5 * (Math.log(c.high!) + Math.log(c.low!));
    const usd = c.quoteVolumeUsd ?? (c.baseVolume !== null ? c.baseVolume * c.close : null);
    if (usd !== null && Number.isFinite(usd)) d.dollarVolume[i] = Math.max(0, usd);
    if (c.marketCapUsd !== null && c.marketCapUsd > 0) d.marketCapUsd[i] = c.marketCapUsd;
  }
  return d;
}
