// The answer type of every risk component and of the score: a value, or the named reason there is none. A score is
// never a number made of missing data. Pure types and constants; must not import tfjs, node:* or anything else.

/** Why a component (or the score) has no value for an asset on a day. */
export const RISK_REASONS = [
  'too-little-history', // fewer clean days than the component's lookback since the series began
  'gap-in-lookback', // a calendar day without a candle inside the lookback (or forward) window
  'zero-volume', // a day with zero or missing dollar volume inside the liquidity window
  'no-high-low', // the source gives closes only; the spread estimator needs daily high and low
  'no-market-cap', // the candle has no market cap (size falls back to a volume tier)
  'model-not-fitted', // too few pooled past rows (or events) to fit the HAR, the tail or the calibration yet
  'too-few-assets', // fewer assets than needed for a cross-sectional percentile that day
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

/** A component's value, or why it has none. */
export type RiskValue<T> = { ok: true; value: T } | { ok: false; reason: RiskReason; detail: string };

/** Shorthand constructors. */
export const riskOk = <T>(value: T): RiskValue<T> => ({ ok: true, value });
export const riskMissing = <T = never>(reason: RiskReason, detail: string): RiskValue<T> => ({ ok: false, reason, detail });
