// Size and age of an asset: a market-cap tier when the candle has a market cap, else a tier of its 30-day mean USD
// volume (the Binance files carry no market cap), and the days of history. Nominal USD thresholds, fixed so that
// a tier means the same on every day and in every runtime. Pure; must not import tfjs or node:*.

/** Tiers, largest first; the index /3 is the size risk in [0, 1]. */
export const SIZE_TIERS = ['large', 'mid', 'small', 'micro'] as const;
export type SizeTier = (typeof SIZE_TIERS)[number];

/** Lower bounds (USD) of large, mid and small by market cap. */
export const MARKET_CAP_TIER_USD = [10e9, 1e9, 100e6] as const;
/** Lower bounds (USD a day) of large, mid and small by 30-day mean volume. */
export const VOLUME_TIER_USD = [1e9, 100e6, 10e6] as const;

/** The tier a value falls in against descending lower bounds. */
export function sizeTier(valueUsd: number, bounds: readonly number[]): SizeTier {
  const k = bounds.findIndex((b) => valueUsd >= b);
  return SIZE_TIERS[k === -1 ? 3 : k]!;
}

/** Size risk in [0, 1]: 0 large … 1 micro. */
export function sizeRisk(tier: SizeTier): number {
  return SIZE_TIERS.indexOf(tier) / 3;
}

/** Age at which an asset stops counting as young, days. */
export const MATURE_AGE_DAYS = 730;

/** Age risk in [0, 1]: 1 on the first day, falling linearly to 0 at MATURE_AGE_DAYS of history. */
export function ageRisk(ageDays: number): number {
  return Math.max(0, 1 - ageDays / MATURE_AGE_DAYS);
}
