// The Degen Risk Score: 0-100, a weighted sum of component risks each mapped to [0, 1]. A forecast of how violent
// the next weeks are likely to be, not a recommendation. The weights and maps are documented in ./README.md; change
// both together. Pure; must not import tfjs or node:*.

/**
 * Weights of the component risks; they sum to 1. Chosen on the selection period only (forecast days before
 * 2019-01-01, Spearman with the forward 30-day volatility, a 0.05 grid with at least 0.05 on each of liquidity,
 * size and age): on those rows drawdown, liquidity and size each rank worse than the volatility forecast alone.
 */
export const RISK_SCORE_WEIGHTS = {
  /** Forecast 30-day volatility. */
  volatility: 0.75,
  /** Calibrated P(fall > 10% within 30 d) and P(fall > 25% within 30 d), averaged. */
  drawdown: 0.1,
  /** Amihud and spread percentiles across the assets that day, averaged. */
  liquidity: 0.05,
  /** Size tier (market cap, else volume). */
  size: 0.05,
  /** Youth: under two years of history. */
  age: 0.05,
} as const;

/** Daily volatility (log-return units) that maps to volatility risk 0 and to 1; log-linear between. */
export const VOLATILITY_RISK_RANGE = { calm: 0.01, wild: 0.15 } as const;

/** Volatility risk in [0, 1] of a forecast daily volatility: ln(σ / 1%) / ln(15), clipped. */
export function volatilityRisk(dailyVolatility: number): number {
  const { calm, wild } = VOLATILITY_RISK_RANGE;
  return Math.min(1, Math.max(0, Math.log(dailyVolatility / calm) / Math.log(wild / calm)));
}

/** The component risks the score combines, each in [0, 1]. */
export interface ScoreInputs {
  volatility: number;
  drawdown: number;
  liquidity: number;
  size: number;
  age: number;
}

/** 100 × the weighted sum of the component risks. */
export function combineRiskScore(c: ScoreInputs): number {
  const w = RISK_SCORE_WEIGHTS;
  return 100 * (w.volatility * c.volatility + w.drawdown * c.drawdown + w.liquidity * c.liquidity + w.size * c.size + w.age * c.age);
}

/** The name of this method (components, weights and maps above), stored beside every score; change it when any of
 *  them changes, so stored scores say which method made them. */
export const RISK_METHOD_VERSION = 'degen-risk-v1';

/** What the score is, in the words every reader of it shows beside it. */
export const RISK_SCORE_MEANING =
  'A forecast of how violent the next weeks are likely to be (0 calm, 100 wild), from daily candles: large moves in either direction. Not a recommendation: a high score does not say the coin is bad, nor a low one that it is safe.';
