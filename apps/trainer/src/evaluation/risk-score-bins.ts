// What the score's rank correlation looks like: the reported (asset, day) rows sorted by the score, cut into equal
// tenths, and the mean realised forward 30-day volatility of each tenth; the same for trailing 30-day volatility
// beside it. The rows are evaluateRisk's score rows (a score, and trailing volatility, the HAR 30-day forecast and
// both forward outcomes known), so their count equals its score.n. Pure: no node:*.
import { DAY_MS, forwardCloseVolatility, forwardMaxDrawdown, riskScores, type RiskPanel } from '@coinsphere/model/core';

/** One tenth of the rows ranked by one predictor. */
export interface VolatilityBin {
  n: number;
  /** Mean of the predictor over the bin (a score 0-100, or a daily volatility). */
  meanPredictor: number;
  /** Mean realised forward 30-day close-to-close daily volatility. */
  meanForwardVolatility: number;
}

/** The bins of each predictor over the same rows. */
export interface ScoreVolatilityBins {
  n: number;
  score: VolatilityBin[];
  trailingVolatility: VolatilityBin[];
}

/** Rows sorted by `by`, cut into `nBins` groups as equal as the count allows, each group's means. */
function binBy(by: Float64Array, forward: Float64Array, nBins: number): VolatilityBin[] {
  const order = Array.from(by.keys()).sort((a, b) => by[a]! - by[b]!);
  return Array.from({ length: nBins }, (_, b) => {
    const rows = order.slice(Math.floor((b * order.length) / nBins), Math.floor(((b + 1) * order.length) / nBins));
    const mean = (x: Float64Array) => rows.reduce((s, i) => s + x[i]!, 0) / rows.length;
    return { n: rows.length, meanPredictor: mean(by), meanForwardVolatility: mean(forward) };
  }).filter((b) => b.n > 0);
}

/**
 * The score's and trailing volatility's bins over the panel's rows from `evaluateFromMs` (evaluateRisk's
 * `evaluateFromMs`) on, `nBins` (default 10) per predictor.
 */
export function scoreVolatilityBins(panel: RiskPanel, evaluateFromMs: number, nBins = 10): ScoreVolatilityBins {
  const scores = riskScores(panel);
  const score: number[] = [], trailing: number[] = [], forward: number[] = [];
  panel.assets.forEach((a, k) => {
    const vol = forwardCloseVolatility(a.days, 30);
    const mdd = forwardMaxDrawdown(a.days, 30);
    for (let i = Math.max(0, Math.ceil((evaluateFromMs - a.days.firstDayMs) / DAY_MS)); i < a.days.nDays; i++) {
      const row = [scores[k]![i]!, Math.sqrt(a.naive.trailing30[i]!), Math.sqrt(panel.forecast[k]![30][i]!), vol[i]!, mdd[i]!];
      if (!row.every(Number.isFinite)) continue;
      score.push(row[0]!);
      trailing.push(row[1]!);
      forward.push(row[3]!);
    }
  });
  const y = Float64Array.from(forward);
  return { n: y.length, score: binBy(Float64Array.from(score), y, nBins), trailingVolatility: binBy(Float64Array.from(trailing), y, nBins) };
}
