// From daily candles to the training tensors of a one-asset model (the specification's). The one place
// that wires features, labels, split, normaliser and windows together, in the order that rules out leakage:
// split first, then fit thresholds and normaliser on the training part only. Must not import tfjs.
import type { Candle } from './candle.ts';
import { toIsoDay } from './dates.ts';
import {
  computeFeatures,
  FEATURE_NAMES,
  type FeatureName,
  type FeatureStatus,
  N_FEATURES,
} from './features.ts';
import {
  type ClassBalance,
  classBalance,
  fitLabelThresholds,
  forwardReturns,
  labelReturns,
  type LabelThresholds,
  pastReturns,
} from './labels.ts';
import { applyNormalizer, fitNormalizer, type Normalizer } from './normalizer.ts';
import type { SentimentProvider } from './sentiment-provider.ts';
import { chronologicalSplit, type IndexRange, splitAtDays, type SplitRanges } from './split.ts';
import { makeWindows } from './windows.ts';

/** How to split: fractions of the samples (default 70/15/15) or fixed last days of the train and val parts. */
export type SplitSpec =
  | { fractions: readonly [number, number, number] }
  | { trainEndDayMs: number; valEndDayMs: number };

/** Options of prepareDataset. */
export interface DatasetOptions {
  /** Label horizon in days (7, 14 or 30 in the product). */
  horizonDays: number;
  /** Days per input window (90 in the specification). */
  windowBars: number;
  hourly?: readonly Candle[];
  sentiment?: SentimentProvider;
  splits?: SplitSpec;
  /** Purge gap in samples between parts; default and minimum horizonDays. */
  gapDays?: number;
  /** Neutral share for fitLabelThresholds; default a third. */
  neutralShare?: number;
}

/** Samples of several parts end to end: x [n, size] (size = floats per sample) and y [n], in the parts' order. */
export function concatSamples(parts: ReadonlyArray<{ x: Float32Array; y: Int32Array; n: number }>, size: number): { x: Float32Array; y: Int32Array; n: number } {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * size); // [n, size]
  const y = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    x.set(p.x.subarray(0, p.n * size), at * size);
    y.set(p.y.subarray(0, p.n), at);
    at += p.n;
  }
  return { x, y, n };
}

/** One part of the dataset. Sample k is the window ending on day endDayMs[k]. */
export interface DatasetPart {
  /** Normalised windows, [n, windowBars, nFeatures]. */
  x: Float32Array;
  /** Class of each sample, [n]: 0 bearish, 1 neutral, 2 bullish. */
  y: Int32Array;
  n: number;
  /** UTC day start of each window's last day, [n]. */
  endDayMs: Float64Array;
  /** close[t + horizon] / close[t] - 1, [n]. */
  forwardReturns: Float64Array;
  /** Persistence baseline: class of close[t] / close[t - horizon] - 1 under the same thresholds, [n]. */
  persistence: Int32Array;
}

/** First and last window end day of a part, 'YYYY-MM-DD'. */
export interface DateRange {
  start: string;
  end: string;
}

/** Everything the trainer needs, and everything the artifact must record. */
export interface PreparedDataset {
  train: DatasetPart;
  val: DatasetPart;
  test: DatasetPart;
  windowBars: number;
  horizonDays: number;
  nFeatures: number;
  featureNames: readonly FeatureName[];
  featureStatus: Record<FeatureName, FeatureStatus>;
  featureCoverage: Record<FeatureName, number>;
  normalizer: Normalizer;
  thresholds: LabelThresholds;
  splitDates: { train: DateRange; val: DateRange; test: DateRange };
  gapDays: number;
  classBalance: { train: ClassBalance; val: ClassBalance; test: ClassBalance };
  /** The candles used: first and last day and count. */
  dataRange: { first: string; last: string; nDays: number };
}

function validateSizes(horizonDays: number, windowBars: number): void {
  if (!Number.isInteger(horizonDays) || horizonDays < 1) {
    throw new Error(`horizonDays ${horizonDays} is invalid. Should be a positive integer such as 7, 14 or 30.`);
  }
  if (!Number.isInteger(windowBars) || windowBars < 1) {
    throw new Error(`windowBars ${windowBars} is invalid. Should be a positive integer such as 90.`);
  }
}

/**
 * Builds train / val / test windows from daily candles (oldest first). Samples are the days t with a full
 * window of valid feature rows and a label (t + horizonDays within the data); they are split chronologically
 * with a purge gap, label thresholds are fitted on training returns and the normaliser on the feature rows
 * that training windows cover. Throws when the history is too short to give every part a sample.
 */
export function prepareDataset(daily: readonly Candle[], opts: DatasetOptions): PreparedDataset {
  const { horizonDays, windowBars } = opts;
  validateSizes(horizonDays, windowBars);
  const gapDays = Math.max(opts.gapDays ?? horizonDays, horizonDays);
  const features = computeFeatures(daily, { hourly: opts.hourly, sentiment: opts.sentiment });
  const close = daily.map((c) => c.close);
  const fwd = forwardReturns(close, horizonDays);
  const past = pastReturns(close, horizonDays);
  const firstEnd = Math.max(features.firstValidIndex + windowBars - 1, horizonDays);
  const lastEnd = daily.length - 1 - horizonDays;
  const endRows = Int32Array.from({ length: Math.max(0, lastEnd - firstEnd + 1) }, (_, k) => firstEnd + k);
  const endDays = Float64Array.from(endRows, (r) => features.dayMs[r]!);
  const spec = opts.splits ?? { fractions: [0.7, 0.15, 0.15] as const };
  const ranges: SplitRanges =
    'fractions' in spec
      ? chronologicalSplit(endRows.length, gapDays, spec.fractions)
      : splitAtDays(endDays, gapDays, spec.trainEndDayMs, spec.valEndDayMs);
  const trainRows = endRows.subarray(ranges.train.start, ranges.train.end);
  const thresholds = fitLabelThresholds(Array.from(trainRows, (r) => fwd[r]!), opts.neutralShare);
  // The normaliser sees exactly the feature rows inside training windows, nothing later.
  const normalizer = fitNormalizer(features.rows, N_FEATURES, trainRows[0]! - windowBars + 1, trainRows.at(-1)! + 1);
  const normRows = applyNormalizer(features.rows, normalizer); // [nDays, nFeatures]
  const part = (range: IndexRange): DatasetPart => {
    const rows = endRows.subarray(range.start, range.end);
    const forward = Float64Array.from(rows, (r) => fwd[r]!);
    return {
      x: makeWindows(normRows, N_FEATURES, rows, windowBars, features.firstValidIndex),
      y: labelReturns(forward, thresholds),
      n: rows.length,
      endDayMs: Float64Array.from(rows, (r) => features.dayMs[r]!),
      forwardReturns: forward,
      persistence: labelReturns(Array.from(rows, (r) => past[r]!), thresholds),
    };
  };
  const train = part(ranges.train);
  const val = part(ranges.val);
  const test = part(ranges.test);
  const dates = (p: DatasetPart): DateRange => ({ start: toIsoDay(p.endDayMs[0]!), end: toIsoDay(p.endDayMs[p.n - 1]!) });
  return {
    train,
    val,
    test,
    windowBars,
    horizonDays,
    nFeatures: N_FEATURES,
    featureNames: FEATURE_NAMES,
    featureStatus: features.featureStatus,
    featureCoverage: features.featureCoverage,
    normalizer,
    thresholds,
    splitDates: { train: dates(train), val: dates(val), test: dates(test) },
    gapDays,
    classBalance: { train: classBalance(train.y), val: classBalance(val.y), test: classBalance(test.y) },
    dataRange: { first: toIsoDay(daily[0]!.openTimeMs), last: toIsoDay(daily.at(-1)!.openTimeMs), nDays: daily.length },
  };
}
