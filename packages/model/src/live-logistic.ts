// The logistic baseline of the live track record (issue #16): the walk-forward's strongest 7-day baseline, a softmax
// regression on the last day's normalised features (fitLogistic, as evaluation's folds fit it), here fitted on the
// served model's own training rows (its trained assets' days inside splitDates.train, normalised as the network reads
// them and labelled by the artifact's label rule) and asked about a prediction's as-of day. What it says on a day
// reads only candles up to that day. Runtime-neutral: must not import tfjs or node:*.
import type { ArtifactMetadata } from './artifact-metadata.ts';
import { concatSamples } from './dataset.ts';
import { toIsoDay } from './dates.ts';
import { fitLogistic, predictLogistic, type LogisticModel } from './evaluation/logistic.ts';
import { FEATURE_SETS } from './feature-sets.ts';
import { bandsOf, recentFeatureRows, type ModelInputs } from './inference.ts';
import { CLASS_NAMES, classifyReturn, type ClassName } from './labels.ts';

/** One asset's inputs, as a prediction reads them. */
export interface LogisticAsset {
  symbol: string;
  inputs: ModelInputs;
}

/** Every normalised feature row of `inputs` from the first valid candle ([n, nFeatures]) and that candle's index. */
function featureRowsOf(m: ArtifactMetadata, symbol: string, inputs: ModelInputs): { rows: Float32Array; first: number; nf: number } {
  const nCandles = inputs.candles.length;
  const { rows, n } = recentFeatureRows(m, symbol, inputs, nCandles);
  return { rows, first: nCandles - n, nf: FEATURE_SETS[m.featureSet].names.length };
}

/**
 * The model's training rows of one asset: x [n, nFeatures] (normalised) and labels [n], for the days inside the
 * artifact's splitDates.train whose label day (t + horizon) is in the series, each labelled by the artifact's rule
 * for the asset. Throws when there is too little history for one window.
 */
export function logisticTrainingRows(m: ArtifactMetadata, symbol: string, inputs: ModelInputs): { x: Float32Array; y: Int32Array; n: number } {
  const { rows, first, nf } = featureRowsOf(m, symbol, inputs);
  const close = inputs.candles.map((c) => c.close);
  const band = bandsOf(m, symbol, close);
  const { start, end } = m.splitDates.train;
  const picked: number[] = [];
  const labels: number[] = [];
  for (let t = first; t + m.horizonDays < close.length; t++) {
    const day = toIsoDay(inputs.candles[t]!.openTimeMs);
    if (day < start || day > end) continue;
    const y = classifyReturn(close[t + m.horizonDays]! / close[t]! - 1, band(t));
    if (y < 0) continue;
    picked.push(t - first);
    labels.push(y);
  }
  const x = new Float32Array(picked.length * nf); // [n, nFeatures]
  picked.forEach((r, i) => x.set(rows.subarray(r * nf, (r + 1) * nf), i * nf));
  return { x, y: Int32Array.from(labels), n: picked.length };
}

/** Fits the logistic baseline on the training rows of `assets` (the model's trained assets; others add nothing).
 *  Throws naming the model when none of them has a training row. */
export function fitLiveLogistic(m: ArtifactMetadata, assets: readonly LogisticAsset[]): LogisticModel {
  const parts = assets.filter((a) => m.symbols.includes(a.symbol)).map((a) => logisticTrainingRows(m, a.symbol, a.inputs));
  const nf = FEATURE_SETS[m.featureSet].names.length;
  const { x, y, n } = concatSamples(parts, nf); // x [n, nFeatures]
  if (n === 0) throw new Error(`No training rows of model ${m.modelVersion} in the candles given (training days ${m.splitDates.train.start} to ${m.splitDates.train.end}); read its trained assets' series.`);
  return fitLogistic(x, y, nf, CLASS_NAMES.length);
}

/** The logistic baseline's probabilities on each of `days` (YYYY-MM-DD) of `symbol`; a day not in the series, or
 *  before its first full feature row, is absent. */
export function logisticCalls(model: LogisticModel, m: ArtifactMetadata, symbol: string, inputs: ModelInputs, days: readonly string[]): Map<string, Record<ClassName, number>> {
  const { rows, first, nf } = featureRowsOf(m, symbol, inputs);
  const indexOf = new Map(inputs.candles.map((c, i) => [toIsoDay(c.openTimeMs), i]));
  const out = new Map<string, Record<ClassName, number>>();
  for (const day of days) {
    const t = indexOf.get(day);
    if (t === undefined || t < first) continue;
    const p = predictLogistic(model, rows.subarray((t - first) * nf, (t - first + 1) * nf), 1); // [1, 3]
    out.set(day, { bearish: p[0]!, neutral: p[1]!, bullish: p[2]! });
  }
  return out;
}
