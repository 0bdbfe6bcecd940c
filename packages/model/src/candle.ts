// The candle every package speaks: plain numbers, UTC epoch milliseconds, no database or runtime types.
// Must not import anything.

/** Bar length of a candle series. */
export const INTERVALS = ['1d', '1h'] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * One OHLCV bar. Prices are in the quote currency (USD or USDT, treated as USD).
 * `open`, `high` and `low` are null for price-only sources (CoinGecko snapshots give one price a day).
 * `baseVolume` is in coin units (null where the source gives only USD volume); `quoteVolumeUsd` is in USD.
 * `marketCapUsd` is null where the source has none or reported 0 (early CoinMarketCap rows).
 */
export interface Candle {
  openTimeMs: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  baseVolume: number | null;
  quoteVolumeUsd: number | null;
  marketCapUsd: number | null;
}

/** Milliseconds in one day and one hour. */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
