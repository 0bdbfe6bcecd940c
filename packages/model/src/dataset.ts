// From daily candles to training tensors, and from the newest candles to one inference window. The one place
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

/** What an inference window needs from an artifact's metadata (ArtifactMetadata satisfies it). */
export interface InferenceSpec {
  symbol?: string;
  windowBars: number;
  featureNames: readonly string[];
  normalizer: Normalizer;
}

/** Options of prepareInferenceWindow. */
export interface InferenceWindowOptions {
  /** Named in errors; defaults to the spec's symbol. */
  symbol?: string;
  hourly?: readonly Candle[];
  sentiment?: SentimentProvider;
}

/** The newest window, normalised with the training statistics. */
export interface InferenceWindow {
  /** [1, windowBars, nFeatures] */
  x: Float32Array;
  /** UTC day start of the window's last day (the prediction's as-of day). */
  asOfMs: number;
  daysAvailable: number;
  daysRequired: number;
  featureStatus: Record<FeatureName, FeatureStatus>;
}

/**
 * The window ending on the last candle of `daily`, normalised with `spec.normalizer`. Pass the full history
 * you have: EMA and RSI start from the first candle, so a short history gives slightly different values.
 * Throws when the feature names differ from FEATURE_NAMES or when there are too few days, naming the symbol,
 * the days available and the days required.
 */
export function prepareInferenceWindow(
  daily: readonly Candle[],
  spec: InferenceSpec,
  opts: InferenceWindowOptions = {},
): InferenceWindow {
  const symbol = opts.symbol ?? spec.symbol ?? 'the asset';
  assertFeatureNames(spec.featureNames);
  validateSizes(1, spec.windowBars);
  const features = computeFeatures(daily, { hourly: opts.hourly, sentiment: opts.sentiment });
  const firstValid = features.firstValidIndex;
  const daysRequired = firstValid + spec.windowBars;
  if (daily.length < daysRequired) {
    throw new Error(
      `Not enough history for ${symbol}: ${daily.length} days available, ${daysRequired} required ` +
        `(${firstValid} days of indicator warm-up + a ${spec.windowBars}-day window).`,
    );
  }
  const last = daily.length - 1;
  const normRows = applyNormalizer(features.rows.subarray((last - spec.windowBars + 1) * N_FEATURES), spec.normalizer);
  return {
    x: normRows, // [1, windowBars, nFeatures]
    asOfMs: features.dayMs[last]!,
    daysAvailable: daily.length,
    daysRequired,
    featureStatus: features.featureStatus,
  };
}

/** Throws unless `names` equals FEATURE_NAMES, naming the first difference. */
export function assertFeatureNames(names: readonly string[]): void {
  const n = Math.max(names.length, FEATURE_NAMES.length);
  for (let j = 0; j < n; j++) {
    if (names[j] !== FEATURE_NAMES[j]) {
      throw new Error(
        `Feature schema mismatch at column ${j}: the model expects "${names[j] ?? '(none)'}" but this code computes ` +
          `"${FEATURE_NAMES[j] ?? '(none)'}" (${names.length} vs ${FEATURE_NAMES.length} features). ` +
          'Retrain the model with this version or use the version that trained it.',
      );
    }
  }
}
