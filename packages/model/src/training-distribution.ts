// What the model's training inputs looked like, recorded in the artifact so that every runtime can tell how far a
// prediction's inputs are from them: per feature, the mean, standard deviation and decile bins of the normalised
// training rows (for drift, drift.ts), the same bins per trained asset of a pooled model (an asset's drift is
// against its own training rows: BTC is always more liquid than the pooled average, which is not drift), and the
// distribution of a window's distance to the training data (for the per-prediction out-of-distribution flag).
// Fitted once at training time over the training windows the network saw.
// Pure functions over Float32Array; must not import tfjs, node:* or anything runtime-specific.
import { z } from 'zod';

import { binShares, populationStabilityIndex } from './psi.ts';

export { binOf } from './psi.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** Quantile of a training window's distance above which a prediction's window is out of distribution. */
export const OOD_QUANTILE = 0.99;
/** Bins per feature for the population stability index: deciles of the training rows. */
export const DRIFT_BINS = 10;
/** Fewest training rows an asset of a pooled model needs for bins of its own (fewer: it is compared with all). */
export const MIN_ASSET_DRIFT_ROWS = 100;
/** Rows of the recent stretch drift compares (an asset's newest days); the training blocks are this long. With 10
 *  bins, n independent rows give a PSI of about 9/n from sampling alone (0.1 at 90 days). */
export const DRIFT_RECENT_DAYS = 90;
/** Fewest training blocks for a recorded blockPsi. */
const MIN_BLOCKS = 5;

/** Decile bins of one feature: interior edges (duplicates removed), ascending; bin 0 is below edges[0], bin k is
 *  [edges[k-1], edges[k]), the last is at or above the last edge; and the share of training rows in each bin
 *  (edges.length + 1 of them, summing to 1 within rounding). Stored to 4 significant digits. */
const binsSchema = z.object({
  edges: z.array(finite),
  proportions: z.array(finite),
  /** PSI of each non-overlapping `days`-row block of the training series against these bins: median and 95th
   *  percentile (what a stretch of training data scores by chance and by the feature's own slowness). */
  blockPsi: z.object({ days: z.number().int().positive(), median: finite, p95: finite }).optional(),
});
export type FeatureBins = z.infer<typeof binsSchema>;

/** One feature of the training distribution. */
const featureStatsSchema = z.object({
  name: z.string(),
  /** Mean and standard deviation of the normalised training rows; std 0 (a constant, e.g. a placeholder) leaves the
   *  feature out of the window distance. */
  mean: finite,
  std: finite,
}).extend(binsSchema.shape);

/** metadata.json's trainingDistribution (absent in artifacts trained before it was recorded). */
export const trainingDistributionSchema = z.object({
  /** Training windows it was fitted on; the feature statistics read the last row of each (one row per asset-day). */
  nWindows: z.number().int().positive(),
  features: z.array(featureStatsSchema).min(1),
  /** A pooled model's bins per trained asset with at least MIN_ASSET_DRIFT_ROWS training rows, in feature order. */
  bySymbol: z.record(z.string(), z.array(binsSchema)).optional(),
  /** Root-mean-square z-score of a window against the feature statistics (windowDistance), over the training
   *  windows: its median, its OOD_QUANTILE quantile (the out-of-distribution threshold) and its largest value. */
  distance: z.object({ kind: z.literal('rms-z'), median: finite, threshold: finite, max: finite, quantile: z.number().min(0).max(1) }),
});
export type TrainingDistribution = z.infer<typeof trainingDistributionSchema>;

/** The `q` quantile (0..1) of ascending `sorted`, interpolated linearly between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('Cannot take a quantile of no values.');
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const round4 = (v: number) => Number(v.toPrecision(4)); // PSI needs no more, and the artifact stays small

/** Decile bins of `values` (edges rounded first, so the shares are those of the stored edges), and the PSI of
 *  DRIFT_RECENT_DAYS-row blocks of each chronological run of `runs` (index lists into values) against them. */
export function fitBins(values: ArrayLike<number>, runs: readonly (readonly number[])[] = []): FeatureBins {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let k = 1; k < DRIFT_BINS; k++) {
    const e = round4(quantileSorted(sorted, k / DRIFT_BINS));
    if (edges.length === 0 || e > edges.at(-1)!) edges.push(e);
  }
  const proportions = binShares(edges, values.length, (i) => values[i]!).map(round4);
  const blocks: number[] = [];
  for (const run of runs) {
    for (let s = run.length % DRIFT_RECENT_DAYS; s + DRIFT_RECENT_DAYS <= run.length; s += DRIFT_RECENT_DAYS) {
      blocks.push(populationStabilityIndex(proportions, binShares(edges, DRIFT_RECENT_DAYS, (t) => values[run[s + t]!]!)));
    }
  }
  if (blocks.length < MIN_BLOCKS) return { edges, proportions };
  const byPsi = Float64Array.from(blocks).sort();
  return { edges, proportions, blockPsi: { days: DRIFT_RECENT_DAYS, median: round4(quantileSorted(byPsi, 0.5)), p95: round4(quantileSorted(byPsi, 0.95)) } };
}

function fitFeature(name: string, values: Float64Array, runs: readonly (readonly number[])[]): TrainingDistribution['features'][number] {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let variance = 0;
  for (const v of values) variance += ((v - mean) * (v - mean)) / n;
  return { name, mean, std: Math.sqrt(variance), ...fitBins(values, runs) };
}

/** Bins per asset of `groups` (the asset index of each window) with enough rows; `lastRow(k, j)` reads the rows. */
function fitBySymbol(groups: { symbols: readonly string[]; asset: Int32Array }, nf: number, lastRow: (k: number, j: number) => number): Record<string, FeatureBins[]> {
  const out: Record<string, FeatureBins[]> = {};
  groups.symbols.forEach((symbol, a) => {
    const ks: number[] = [];
    groups.asset.forEach((g, k) => void (g === a && ks.push(k)));
    const own = ks.map((_, i) => i);
    if (ks.length >= MIN_ASSET_DRIFT_ROWS) out[symbol] = Array.from({ length: nf }, (_, j) => fitBins(ks.map((k) => lastRow(k, j)), [own]));
  });
  return out;
}

/**
 * Root-mean-square z-score of one window `x` ([windowBars, nFeatures], normalised as the network reads it) against
 * the training feature statistics, over every bar and every feature with a non-zero training std. 0 for a window
 * of training means; about 1 for a typical training window.
 */
export function windowDistance(dist: Pick<TrainingDistribution, 'features'>, x: Float32Array, offset = 0, windowBars = -1): number {
  const nf = dist.features.length;
  const bars = windowBars > 0 ? windowBars : (x.length - offset) / nf;
  let sum = 0;
  let cells = 0;
  for (let t = 0; t < bars; t++) {
    for (let j = 0; j < nf; j++) {
      const f = dist.features[j]!;
      if (!(f.std > 0)) continue;
      const z = (x[offset + t * nf + j]! - f.mean) / f.std;
      sum += z * z;
      cells++;
    }
  }
  return cells === 0 ? 0 : Math.sqrt(sum / cells);
}

/**
 * Fits the training distribution from the training windows `x` ([n, windowBars, nFeatures], normalised): feature
 * statistics over the last row of each window, then every window's distance; with `groups` (a pooled model's
 * assets and the asset of each window), bins per asset too. Throws when there are no windows or the names do not
 * match the windows' features.
 */
export function fitTrainingDistribution(x: Float32Array, n: number, windowBars: number, featureNames: readonly string[], groups?: { symbols: readonly string[]; asset: Int32Array }): TrainingDistribution {
  const nf = featureNames.length;
  if (n < 1 || x.length !== n * windowBars * nf) {
    throw new Error(`fitTrainingDistribution got ${x.length} values for ${n} windows of [${windowBars}, ${nf}]; expected ${n * windowBars * nf} and at least one window.`);
  }
  const size = windowBars * nf;
  const lastRow = (k: number, j: number) => x[k * size + (windowBars - 1) * nf + j]!;
  // the chronological runs of windows: one per asset of a pooled model (asset-major, oldest first), else all
  const runs = groups ? groups.symbols.map((_, a) => Array.from(groups.asset.keys()).filter((k) => groups.asset[k] === a)) : [Array.from({ length: n }, (_, k) => k)];
  const features = featureNames.map((name, j) => fitFeature(name, Float64Array.from({ length: n }, (_, k) => lastRow(k, j)), runs));
  const distances = Float64Array.from({ length: n }, (_, k) => windowDistance({ features }, x, k * size, windowBars)).sort();
  return {
    nWindows: n,
    features,
    ...(groups ? { bySymbol: fitBySymbol(groups, nf, lastRow) } : {}),
    distance: { kind: 'rms-z', median: quantileSorted(distances, 0.5), threshold: quantileSorted(distances, OOD_QUANTILE), max: distances[n - 1]!, quantile: OOD_QUANTILE },
  };
}

/** Whether a prediction's window is unlike the training windows: its distance beside the threshold. */
export interface OutOfDistribution {
  /** True when distance is above threshold. */
  flag: boolean;
  /** windowDistance of the prediction's window (root-mean-square z-score). */
  distance: number;
  /** The OOD_QUANTILE quantile of the training windows' distances. */
  threshold: number;
}

/** The out-of-distribution check of one window ([windowBars, nFeatures]); null when the artifact records no
 *  training distribution (trained before it was recorded). */
export function outOfDistribution(dist: TrainingDistribution | undefined, x: Float32Array): OutOfDistribution | null {
  if (!dist) return null;
  const distance = windowDistance(dist, x);
  return { flag: distance > dist.distance.threshold, distance, threshold: dist.distance.threshold };
}
