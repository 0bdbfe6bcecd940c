// Daily variance estimators from one OHLC bar (log-return units, per day): Parkinson's high-low range,
// Garman-Klass's range plus open-close, and the squared close-to-close log return when the source has no range.
// Pure; must not import tfjs or node:*.

/** The range-based estimators a caller may choose. */
export const RANGE_ESTIMATORS = ['parkinson', 'garman-klass'] as const;
export type RangeEstimator = (typeof RANGE_ESTIMATORS)[number];

/** Where a day's variance came from. */
export const VARIANCE_SOURCES = ['missing', 'range', 'close-to-close'] as const;
export type VarianceSource = (typeof VARIANCE_SOURCES)[number];

const FOUR_LN2 = 4 * Math.LN2;
const GK_OC = 2 * Math.LN2 - 1;

/** Parkinson (1980): (ln H/L)^2 / (4 ln 2), daily variance of log returns. NaN unless 0 < low <= high. */
export function parkinsonVariance(high: number, low: number): number {
  if (!(low > 0 && high >= low)) return Number.NaN;
  const hl = Math.log(high / low);
  return (hl * hl) / FOUR_LN2;
}

/**
 * Garman-Klass (1980): 0.5 (ln H/L)^2 − (2 ln 2 − 1)(ln C/O)^2, daily variance; never negative for a consistent
 * bar (|ln C/O| <= ln H/L). NaN unless low <= open, close <= high and low > 0.
 */
export function garmanKlassVariance(open: number, high: number, low: number, close: number): number {
  if (!(low > 0 && high >= low && open >= low && open <= high && close >= low && close <= high)) return Number.NaN;
  const hl = Math.log(high / low);
  const co = Math.log(close / open);
  return 0.5 * hl * hl - GK_OC * co * co;
}

/** Squared close-to-close log return, the fallback without a range (noisier: one draw per day). */
export function closeToCloseVariance(prevClose: number, close: number): number {
  if (!(prevClose > 0 && close > 0)) return Number.NaN;
  const r = Math.log(close / prevClose);
  return r * r;
}
