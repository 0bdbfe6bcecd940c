// Everything the walk-forward needs from one asset, computed once up front with running sums: HAR regressors,
// forward targets and drawdown events, the naive forecasts, liquidity and the gap counts behind each day.
// Pure; must not import tfjs or node:*.
import type { Candle } from '../candle.ts';
import { type AssetDays, toAssetDays } from './asset-days.ts';
import { drawdownEvents } from './forward-outcomes.ts';
import { harInputs, type HarInputs } from './har.ts';
import { liquiditySeries, type LiquiditySeries } from './liquidity.ts';
import { DRAWDOWN_FALLS, type DrawdownFall, RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';
import { ewmaMean, forwardMean, trailingCount, trailingMean } from './rolling.ts';

/** Key of a (fall, horizon) pair, e.g. '0.1@30'. */
export type DrawdownKey = `${DrawdownFall}@${RiskHorizon}`;
/** Every (fall, horizon) pair with its key, horizons outer. */
export const DRAWDOWN_SPECS: readonly { key: DrawdownKey; fall: DrawdownFall; horizonDays: RiskHorizon }[] = RISK_HORIZONS_DAYS.flatMap((horizonDays) =>
  DRAWDOWN_FALLS.map((fall) => ({ key: `${fall}@${horizonDays}` as const, fall, horizonDays })));
export const DRAWDOWN_KEYS: readonly DrawdownKey[] = DRAWDOWN_SPECS.map((s) => s.key);
/** The fall and horizon of a key. */
export const parseDrawdownKey = (key: DrawdownKey) => DRAWDOWN_SPECS.find((s) => s.key === key)!;

/** The naive variance forecasts of the next days' mean daily variance, per calendar day (the same range-based
 *  variance as the HAR's, so that no forecast is judged in another estimator's units). */
export interface NaiveForecasts {
  /** Today's variance (the random walk of variance). */
  yesterday: Float64Array;
  /** Mean of the last 30 days. */
  trailing30: Float64Array;
  /** RiskMetrics EWMA (λ = 0.94) of the daily variance rather than of squared returns, after a 30-day burn-in. */
  ewma: Float64Array;
}
export const NAIVE_NAMES = ['yesterday', 'trailing30', 'ewma'] as const satisfies readonly (keyof NaiveForecasts)[];

/** One asset's precomputed inputs ([nDays] arrays on its own calendar grid). */
export interface AssetInputs {
  symbol: string;
  days: AssetDays;
  har: HarInputs;
  /** Missing calendar days among the last `lookbackDays`. */
  gapDays: Int32Array;
  /** Mean daily variance over days i+1..i+h, per horizon (NaN when unknown). */
  target: Record<RiskHorizon, Float64Array>;
  naive: NaiveForecasts;
  /** 1/0/NaN per drawdown key. */
  events: Record<DrawdownKey, Float64Array>;
  liquidity: LiquiditySeries;
}

/** Precomputes one asset's inputs. Throws on invalid candles (see toAssetDays). */
export function assetInputs(symbol: string, candles: readonly Candle[], opts: RiskOptions): AssetInputs {
  const days = toAssetDays(candles, opts.estimator);
  const missing = days.present.map((p) => 1 - p);
  const events = Object.fromEntries(DRAWDOWN_SPECS.map((s) => [s.key, drawdownEvents(days, s.horizonDays, s.fall)])) as Record<DrawdownKey, Float64Array>;
  return {
    symbol,
    days,
    har: harInputs(days.variance, opts.maxGapShare),
    gapDays: trailingCount(missing, opts.lookbackDays),
    target: { 7: forwardMean(days.variance, 7), 30: forwardMean(days.variance, 30) },
    naive: {
      yesterday: days.variance,
      trailing30: trailingMean(days.variance, 30, Math.floor(30 * opts.maxGapShare)),
      ewma: ewmaMean(days.variance, opts.ewmaLambda, 30),
    },
    events,
    liquidity: liquiditySeries(days, opts.maxGapShare),
  };
}
