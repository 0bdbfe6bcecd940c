// The pooled dataset: one model's training, validation and test windows drawn from many assets at once, split by
// calendar day so that every asset's part of a fold covers the same days. Features are computed once per asset
// (they are causal, so a row never sees later candles); label rules and normalisers are fitted per fold on
// training samples only; a purge gap of at least the horizon sits before validation and before the test block.
// Pure over plain arrays; must not import tfjs or node:*.
import type { Candle } from './candle.ts';
import { DAY_MS } from './candle.ts';
import { computeFeatureSet, FEATURE_SETS, type FeatureInputs, type FeatureSetName } from './feature-sets.ts';
import type { FeatureMatrix } from './features.ts';
import {
  classifyReturn,
  DEFAULT_VOL_SPAN_DAYS,
  ewmaVolatility,
  fitLabelThresholds,
  fitVolatilityRule,
  forwardReturns,
  pastReturns,
  thresholdsAt,
  type LabelKind,
  type LabelRule,
} from './labels.ts';
import { momentumClasses } from './evaluation/momentum.ts';
import { applyNormalizer, fitNormalizer, type Normalizer } from './normalizer.ts';
import { makeWindows } from './windows.ts';

/** How the windows are made: the recipe's data half. */
export interface PooledDataOptions {
  featureSet: FeatureSetName;
  labels: LabelKind;
  /** 'asset': each asset z-scored with its own training statistics; 'global': one normaliser for all. */
  normalization: 'asset' | 'global';
  horizonDays: number;
  windowBars: number;
  neutralShare?: number;
  volSpanDays?: number;
  /** The fixed band fitted on each asset's training rows of the last `bandDays` days only (default: all of them),
   *  so that a third of recent rows are neutral as volatility changes (BENCHMARKS.md, #13; an experiment). */
  bandDays?: number;
}

/** One asset prepared once per horizon: features, volatility and returns of every row, and its sample rows. */
export interface AssetFrame {
  symbol: string;
  candles: readonly Candle[];
  features: FeatureMatrix;
  nFeatures: number;
  /** EWMA volatility of daily log returns per row. */
  sigma: Float64Array;
  /** close[t + h] / close[t] - 1 and close[t] / close[t - h] - 1 per row (NaN where out of range). */
  forward: Float64Array;
  past: Float64Array;
  /** Rows t with a full window of valid features and a known label (t + h within the candles). */
  sampleRows: Int32Array;
  /** Momentum class (EMA 20 > EMA 50) per sample row. */
  momentum: Int32Array;
}

/** Prepares `candles` of `symbol` (oldest first, daily) for every fold of one horizon. */
export function prepareAssetFrame(symbol: string, candles: readonly Candle[], opts: PooledDataOptions, inputs: FeatureInputs = {}): AssetFrame {
  const features = computeFeatureSet(opts.featureSet, candles, inputs);
  const close = candles.map((c) => c.close);
  const h = opts.horizonDays;
  const first = Math.max(features.firstValidIndex + opts.windowBars - 1, h);
  const last = candles.length - 1 - h;
  const sampleRows = Int32Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k);
  return {
    symbol,
    candles,
    features,
    nFeatures: FEATURE_SETS[opts.featureSet].names.length,
    sigma: ewmaVolatility(close, opts.volSpanDays ?? DEFAULT_VOL_SPAN_DAYS),
    forward: forwardReturns(close, h),
    past: pastReturns(close, h),
    sampleRows,
    momentum: sampleRows.length > 0 ? momentumClasses(close, sampleRows) : new Int32Array(0),
  };
}

/** A fold's calendar: inclusive UTC day ranges of each part's window end days. */
export interface PooledFoldDays {
  /** Oldest training day (a rolling window); absent = all history. */
  trainStartDayMs?: number;
  trainEndDayMs: number;
  valStartDayMs: number;
  valEndDayMs: number;
  testStartDayMs: number;
  testEndDayMs: number;
}

/** One part's samples over every asset; arrays are per sample, asset-major, oldest first within an asset. */
export interface PooledPart {
  /** Normalised windows [n, windowBars, nFeatures]. */
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** Index into PooledFold.symbols. */
  asset: Int32Array;
  endDayMs: Float64Array;
  forwardReturns: Float64Array;
  /** Class of the past horizon's return under the same thresholds (the persistence baseline). */
  persistence: Int32Array;
  momentum: Int32Array;
  /** close[t + 1] / close[t] - 1, for the trading simulation. */
  nextDayReturn: Float64Array;
  /** The neutral band of each sample's day, simple returns. */
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Sampling weights that halve every `halfLifeDays` of a sample's age: 0.5^(age / halfLifeDays), age in days from the
 * newest sample (the training cut-off) back to the sample's last day. Any other reference day scales every weight
 * by the same factor, so the draws do not depend on it. For recipe.recencyHalfLifeDays (BENCHMARKS.md, #13).
 */
export function recencyWeights(endDayMs: ArrayLike<number>, halfLifeDays: number): Float64Array {
  if (!(Number.isFinite(halfLifeDays) && halfLifeDays > 0)) throw new Error(`recencyHalfLifeDays = ${halfLifeDays} must be a number of days > 0 (e.g. 365), or left unset to weigh all history equally.`);
  let newest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < endDayMs.length; i++) newest = Math.max(newest, endDayMs[i]!);
  const out = new Float64Array(endDayMs.length);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 ** ((newest - endDayMs[i]!) / DAY_MS / halfLifeDays);
  return out;
}

/** A fold's data and everything fitted on its training samples. */
export interface PooledFold {
  symbols: string[];
  train: PooledPart;
  val: PooledPart;
  test: PooledPart;
  /** Per asset (by symbols' order): its label rule and normaliser. */
  rules: LabelRule[];
  normalizers: Normalizer[];
  /** The rule an asset without enough training samples takes (the fixed band pooled over all, or the one k). */
  pooledRule: LabelRule;
  /** Per asset: true when its normaliser is its own training statistics (or the global one), false when it was
   *  fitted on its history before the test block, as for an asset the model never saw. */
  trainedNormalizer: boolean[];
  /** Assets left out of the fold, with the reason. */
  skipped: Array<{ symbol: string; reason: string }>;
}

/** Thrown when the data are too short for the fold asked (a caller may skip that fold or horizon). */
export class TooLittleHistoryError extends Error {
  override name = 'TooLittleHistoryError';
}

/** Fewest training samples an asset needs for rules and normalisers of its own; fewer borrow the pooled ones. */
export const MIN_OWN_SAMPLES = 180;

const inRange = (d: number, from: number | undefined, to: number) => (from === undefined || d >= from) && d <= to;

function rowsIn(frame: AssetFrame, from: number | undefined, to: number): Int32Array {
  return frame.sampleRows.filter((r) => inRange(frame.features.dayMs[r]!, from, to));
}

/** The feature rows covered by windows ending at `rows` (the ones a normaliser may see). */
function coveredRows(frame: AssetFrame, rows: Int32Array, windowBars: number): { start: number; end: number } {
  return { start: rows[0]! - windowBars + 1, end: rows.at(-1)! + 1 };
}

function fitPooledNormalizer(frames: AssetFrame[], trainRows: Int32Array[], windowBars: number, nf: number): Normalizer {
  const blocks: Float32Array[] = [];
  frames.forEach((f, a) => {
    if (trainRows[a]!.length === 0) return;
    const { start, end } = coveredRows(f, trainRows[a]!, windowBars);
    blocks.push(f.features.rows.subarray(start * nf, end * nf));
  });
  const all = new Float32Array(blocks.reduce((s, b) => s + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    all.set(b, at);
    at += b.length;
  }
  return fitNormalizer(all, nf, 0, all.length / nf);
}

function fitRules(frames: AssetFrame[], trainRows: Int32Array[], opts: PooledDataOptions): { rules: LabelRule[]; pooled: LabelRule } {
  const h = opts.horizonDays;
  const allForward: number[] = [];
  const allSigma: number[] = [];
  trainRows.forEach((rows, a) => rows.forEach((r) => {
    allForward.push(frames[a]!.forward[r]!);
    allSigma.push(frames[a]!.sigma[r]!);
  }));
  if (allForward.length === 0) throw new TooLittleHistoryError(`no asset has a ${h}-day training sample before the validation block; the pool needs more history (a fold takes a window, two gaps of ${h} days, validation and the test block).`);
  if (opts.labels === 'volatility') {
    const rule = fitVolatilityRule(allForward, allSigma, h, opts.neutralShare, opts.volSpanDays ?? DEFAULT_VOL_SPAN_DAYS);
    return { rules: frames.map(() => rule), pooled: rule }; // one k for every asset: the band scales with each one's volatility
  }
  const band = fitLabelThresholds(allForward, opts.neutralShare);
  const pooled: LabelRule = { kind: 'fixed', lower: band.lower, upper: band.upper };
  const rules = frames.map((f, a): LabelRule => {
    const own = recentRows(f, trainRows[a]!, opts.bandDays);
    if (own.length < MIN_OWN_SAMPLES) return pooled;
    const t = fitLabelThresholds(Array.from(own, (r) => f.forward[r]!), opts.neutralShare);
    return { kind: 'fixed', lower: t.lower, upper: t.upper };
  });
  return { rules, pooled };
}

/** The rows of `rows` within `days` days of its last one (all of them when `days` is undefined). */
function recentRows(f: AssetFrame, rows: Int32Array, days: number | undefined): Int32Array {
  if (days === undefined || rows.length === 0) return rows;
  const from = f.features.dayMs[rows[rows.length - 1]!]! - days * 86_400_000;
  return rows.filter((r) => f.features.dayMs[r]! >= from);
}

function makePart(frames: AssetFrame[], parts: Int32Array[], normRows: Float32Array[], rules: LabelRule[], opts: PooledDataOptions): PooledPart {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const nf = frames[0]?.nFeatures ?? 0;
  const size = opts.windowBars * nf;
  const out: PooledPart = {
    x: new Float32Array(n * size), y: new Int32Array(n), n, asset: new Int32Array(n), endDayMs: new Float64Array(n),
    forwardReturns: new Float64Array(n), persistence: new Int32Array(n), momentum: new Int32Array(n),
    nextDayReturn: new Float64Array(n), lower: new Float64Array(n), upper: new Float64Array(n),
  };
  let at = 0;
  parts.forEach((rows, a) => {
    if (rows.length === 0) return;
    const f = frames[a]!;
    out.x.set(makeWindows(normRows[a]!, nf, rows, opts.windowBars, f.features.firstValidIndex), at * size);
    const firstSample = f.sampleRows[0]!;
    rows.forEach((r, k) => {
      const i = at + k;
      const t = thresholdsAt(rules[a]!, f.sigma, r, opts.horizonDays);
      out.y[i] = classifyReturn(f.forward[r]!, t);
      out.asset[i] = a;
      out.endDayMs[i] = f.features.dayMs[r]!;
      out.forwardReturns[i] = f.forward[r]!;
      out.persistence[i] = classifyReturn(f.past[r]!, t);
      out.momentum[i] = f.momentum[r - firstSample]!;
      out.nextDayReturn[i] = f.candles[r + 1]!.close / f.candles[r]!.close - 1;
      out.lower[i] = t.lower;
      out.upper[i] = t.upper;
    });
    at += rows.length;
  });
  return out;
}

/**
 * The fold's train / val / test parts over every frame. Label rules: one volatility k for all assets, or a fixed
 * band per asset (assets with fewer than MIN_OWN_SAMPLES training samples take the pooled band). Normalisers:
 * pooled over the training windows, or per asset on its own training windows (an asset without enough of them,
 * one the model never trained on, is normalised on its own history before the test block, as a prediction for a
 * new asset is). Throws when no asset has a training sample.
 */
export function preparePooledFold(frames: AssetFrame[], days: PooledFoldDays, opts: PooledDataOptions): PooledFold {
  const skipped: PooledFold['skipped'] = [];
  const nf = frames[0]?.nFeatures ?? 0;
  const trainRows = frames.map((f) => rowsIn(f, days.trainStartDayMs, days.trainEndDayMs));
  const valRows = frames.map((f) => f.sampleRows.filter((r) => inRange(f.features.dayMs[r]!, days.valStartDayMs, days.valEndDayMs)));
  const testRows = frames.map((f) => f.sampleRows.filter((r) => inRange(f.features.dayMs[r]!, days.testStartDayMs, days.testEndDayMs)));
  const { rules, pooled: pooledRule } = fitRules(frames, trainRows, opts);
  const pooledNorm = opts.normalization === 'global' ? fitPooledNormalizer(frames, trainRows, opts.windowBars, nf) : null;
  const normalizers = frames.map((f, a) => {
    if (pooledNorm) return pooledNorm;
    const own = trainRows[a]!;
    if (own.length >= MIN_OWN_SAMPLES) {
      const { start, end } = coveredRows(f, own, opts.windowBars);
      return fitNormalizer(f.features.rows, nf, start, end);
    }
    // Unseen (or nearly): its own valid rows up to the day before the test block.
    const before = f.features.dayMs.findIndex((d) => d >= days.testStartDayMs);
    const end = before < 0 ? f.features.nDays : before;
    const start = f.features.firstValidIndex;
    return end - start >= 60 ? fitNormalizer(f.features.rows, nf, start, end) : null;
  });
  normalizers.forEach((norm, a) => {
    if (norm === null && (testRows[a]!.length > 0 || valRows[a]!.length > 0)) {
      skipped.push({ symbol: frames[a]!.symbol, reason: 'fewer than 60 days of history before the test block to normalise with' });
    }
  });
  const usable = normalizers.map((nz) => nz !== null);
  const keep = (rows: Int32Array[]) => rows.map((r, a) => (usable[a] ? r : new Int32Array(0)));
  const normRows = frames.map((f, a) => (normalizers[a] ? applyNormalizer(f.features.rows, normalizers[a]!) : new Float32Array(0)));
  const fallback: Normalizer = { mean: new Array(nf).fill(0), std: new Array(nf).fill(1) };
  return {
    symbols: frames.map((f) => f.symbol),
    train: makePart(frames, keep(trainRows), normRows, rules, opts),
    val: makePart(frames, keep(valRows), normRows, rules, opts),
    test: makePart(frames, keep(testRows), normRows, rules, opts),
    rules,
    normalizers: normalizers.map((nz) => nz ?? fallback),
    pooledRule,
    trainedNormalizer: frames.map((_, a) => pooledNorm !== null || trainRows[a]!.length >= MIN_OWN_SAMPLES),
    skipped,
  };
}

/** Options of planCalendarFolds. Day counts are calendar days. */
export interface CalendarFoldOptions {
  horizonDays: number;
  /** Days per test block (default 182). */
  foldDays?: number;
  /** Purge gap before validation and before the test block; default and minimum horizonDays. */
  gapDays?: number;
  /** Days of validation before each test block (default 182). */
  valDays?: number;
  /** Fewest days of training history a fold needs (default 730). */
  minTrainDays?: number;
  /** Rolling window: at most this many days of training history (default all). */
  windowDays?: number;
  /** At most this many folds, the newest (default all). */
  maxFolds?: number;
}

/**
 * Test blocks laid back from `lastSampleDayMs` (the newest sample day over all assets), each preceded by a gap,
 * a validation block and another gap; the oldest fold still has `minTrainDays` of history after
 * `firstSampleDayMs`. Oldest first. Throws when no fold fits, naming the days.
 */
export function planCalendarFolds(firstSampleDayMs: number, lastSampleDayMs: number, opts: CalendarFoldOptions): PooledFoldDays[] {
  const foldDays = opts.foldDays ?? 182;
  const gap = Math.max(opts.gapDays ?? opts.horizonDays, opts.horizonDays);
  const valDays = opts.valDays ?? 182;
  const minTrain = opts.minTrainDays ?? 730;
  const folds: PooledFoldDays[] = [];
  for (let testEnd = lastSampleDayMs; ; testEnd -= foldDays * DAY_MS) {
    if (opts.maxFolds !== undefined && folds.length >= opts.maxFolds) break;
    const testStart = testEnd - (foldDays - 1) * DAY_MS;
    const valEnd = testStart - (gap + 1) * DAY_MS;
    const valStart = valEnd - (valDays - 1) * DAY_MS;
    const trainEnd = valStart - (gap + 1) * DAY_MS;
    if ((trainEnd - firstSampleDayMs) / DAY_MS + 1 < minTrain) break;
    const fold: PooledFoldDays = { trainEndDayMs: trainEnd, valStartDayMs: valStart, valEndDayMs: valEnd, testStartDayMs: testStart, testEndDayMs: testEnd };
    if (opts.windowDays) fold.trainStartDayMs = trainEnd - (opts.windowDays - 1) * DAY_MS;
    folds.push(fold);
  }
  if (folds.length === 0) {
    const span = Math.round((lastSampleDayMs - firstSampleDayMs) / DAY_MS) + 1;
    throw new Error(`No pooled fold fits ${span} days of samples: each needs ${minTrain} training days, two gaps of ${gap}, ${valDays} validation and ${foldDays} test days.`);
  }
  return folds.reverse();
}
