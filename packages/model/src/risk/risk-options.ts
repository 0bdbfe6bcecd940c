// The configuration of the risk model, one object with a comment on each default, and the fixed horizons and falls
// the score is built from. Pure; must not import tfjs or node:*.
import type { RangeEstimator } from './range-variance.ts';

/** Forecast horizons, days. */
export const RISK_HORIZONS_DAYS = [7, 30] as const;
export type RiskHorizon = (typeof RISK_HORIZONS_DAYS)[number];

/** Falls below today's close whose probability is forecast, fractions. */
export const DRAWDOWN_FALLS = [0.1, 0.25] as const;
export type DrawdownFall = (typeof DRAWDOWN_FALLS)[number];

/** Options of computeRiskPanel and evaluateRisk. */
export interface RiskOptions {
  /** Daily variance estimator (default 'parkinson': needs high and low only). */
  estimator: RangeEstimator;
  /** Refit every this many calendar days, counted from the panel's first day (default 30). */
  refitDays: number;
  /** Clean calendar days (no gap, candles present) a component needs behind it (default 30: the 22-day HAR
   *  component and the 30-day liquidity window). */
  lookbackDays: number;
  /** Largest share of a trailing window's days that may be missing (default 0.2: one day of 5, six of 30); the
   *  window then averages the days present. Forward windows (targets, outcomes) must be complete. The Binance files
   *  miss single days and a 3-day run in 2026, which would otherwise leave no score for the latest month. */
  maxGapShare: number;
  /** Pooled past rows before the HAR and the Student-t are fitted (default 365). */
  minTrainRows: number;
  /** HAR in logs, in levels, or 'auto' (default): the one with the lower mean QLIKE on forecast days before
   *  `selectUntilMs`, chosen per horizon; figures are then reported on later days only. */
  harLogs: 'auto' | boolean;
  /** End of the selection period, epoch ms (default 2019-01-01). */
  selectUntilMs: number;
  /** RiskMetrics EWMA decay (default 0.94). */
  ewmaLambda: number;
  /** Simulated paths per Student-t df (default 10 000: ±0.005 on a probability of 0.3). */
  simulationPaths: number;
  /** Seed of the path simulation (default 7). */
  seed: number;
  /** Fewest assets with a value on a day for a cross-sectional percentile (default 3). */
  minAssetsForPercentile: number;
  /** Fewest past events and non-events before a drawdown probability is calibrated (default 20). */
  minCalibrationEach: number;
}

export const DEFAULT_RISK_OPTIONS: RiskOptions = {
  estimator: 'parkinson',
  refitDays: 30,
  lookbackDays: 30,
  maxGapShare: 0.2,
  minTrainRows: 365,
  harLogs: 'auto',
  selectUntilMs: Date.UTC(2019, 0, 1),
  ewmaLambda: 0.94,
  simulationPaths: 10_000,
  seed: 7,
  minAssetsForPercentile: 3,
  minCalibrationEach: 20,
};
