// Walk-forward fold plan and the per-fold dataset. Each fold trains on samples before its test block (all of
// them, or a rolling window), validates on the newest part of that history, and tests on the next block, with a
// purge gap of at least the horizon before validation and before the test block: a sample's label reads the
// close `horizonDays` rows later, so a training label never reaches into a later part. Pure; no tfjs, no node:*.
import type { Candle } from '../candle.ts';
import { prepareDataset, type PreparedDataset } from '../dataset.ts';
import { computeFeatures } from '../features.ts';

/** Options of planWalkForward. Counts are samples (one per candle row, i.e. per day). */
export interface WalkForwardOptions {
  horizonDays: number;
  /** Samples per test block (default 90). */
  foldDays?: number;
  /** Purged samples before the validation part and before the test block; default and minimum horizonDays. */
  gapDays?: number;
  /** Fewest training samples a fold may have (default 365); older folds are not planned. */
  minTrainDays?: number;
  /** Share of each fold's history used for validation (early stopping, temperature), default 0.15. */
  valFraction?: number;
  /** Rolling window: at most this many samples of history (train + gap + val) per fold; default all (expanding). */
  windowDays?: number;
  /** At most this many folds, the newest (default all). */
  maxFolds?: number;
}

/** One fold as half-open sample index ranges and as the UTC days of their first and last samples. */
export interface WalkForwardFold {
  index: number;
  train: { start: number; end: number };
  val: { start: number; end: number };
  test: { start: number; end: number };
  trainStartDayMs: number;
  trainEndDayMs: number;
  valEndDayMs: number;
  testStartDayMs: number;
  testEndDayMs: number;
}

/**
 * Plans folds over samples whose window end days are `sampleDayMs` (ascending). Blocks are laid from the newest
 * sample backwards, so assets whose data end on the same day share their test blocks; folds come back oldest
 * first and their test blocks are contiguous. Throws when no fold fits, naming the counts.
 */
export function planWalkForward(sampleDayMs: ArrayLike<number>, opts: WalkForwardOptions): WalkForwardFold[] {
  const h = opts.horizonDays;
  const foldDays = opts.foldDays ?? 90;
  const gap = Math.max(opts.gapDays ?? h, h);
  const minTrain = opts.minTrainDays ?? 365;
  const valFraction = opts.valFraction ?? 0.15;
  if (!(Number.isInteger(foldDays) && foldDays >= 1)) throw new Error(`foldDays ${foldDays} is invalid. Should be a positive integer such as 90.`);
  if (!(valFraction > 0 && valFraction < 1)) throw new Error(`valFraction ${valFraction} is invalid. Should be between 0 and 1, e.g. 0.15.`);
  const n = sampleDayMs.length;
  const folds: Omit<WalkForwardFold, 'index'>[] = [];
  for (let testEnd = n; testEnd - foldDays >= 0; testEnd -= foldDays) {
    if (opts.maxFolds !== undefined && folds.length >= opts.maxFolds) break;
    const testStart = testEnd - foldDays;
    const valEnd = testStart - gap;
    const start = opts.windowDays ? Math.max(0, valEnd - opts.windowDays) : 0;
    const nVal = Math.max(1, Math.round((valEnd - start) * valFraction));
    const trainEnd = valEnd - nVal - gap;
    if (trainEnd - start < minTrain) break;
    const day = (i: number) => sampleDayMs[i]!;
    folds.push({
      train: { start, end: trainEnd },
      val: { start: trainEnd + gap, end: valEnd },
      test: { start: testStart, end: testEnd },
      trainStartDayMs: day(start),
      trainEndDayMs: day(trainEnd - 1),
      valEndDayMs: day(valEnd - 1),
      testStartDayMs: day(testStart),
      testEndDayMs: day(testEnd - 1),
    });
  }
  if (folds.length === 0) {
    throw new Error(
      `No walk-forward fold fits ${n} samples: each needs ${minTrain} training samples, validation, two purge gaps of ` +
        `${gap} and a ${foldDays}-sample test block. Use more history, a smaller --fold-days or a smaller minimum training size.`,
    );
  }
  return folds.reverse().map((f, index) => ({ index, ...f }));
}

/** The window end days of the samples prepareDataset would make from `daily` (those with a full window and a label). */
export function sampleDays(daily: readonly Candle[], horizonDays: number, windowBars: number): Float64Array {
  const features = computeFeatures(daily);
  const firstEnd = Math.max(features.firstValidIndex + windowBars - 1, horizonDays);
  const lastEnd = daily.length - 1 - horizonDays;
  return Float64Array.from({ length: Math.max(0, lastEnd - firstEnd + 1) }, (_, k) => features.dayMs[firstEnd + k]!);
}

/** Options of prepareFold. */
export interface FoldDataOptions {
  horizonDays: number;
  windowBars: number;
  gapDays?: number;
  hourly?: readonly Candle[];
}

/**
 * The fold's dataset: prepareDataset over the candles the fold may see (up to its last test label), split at
 * the fold's days, so thresholds and the normaliser come from its training samples only. For a rolling window the
 * candles start where the first training window's warm-up starts (indicators restart there). The test part is
 * exactly the fold's block. Throws when the candles do not match the plan.
 */
export function prepareFold(daily: readonly Candle[], fold: WalkForwardFold, opts: FoldDataOptions): PreparedDataset {
  const rowOf = (dayMs: number) => {
    const i = daily.findIndex((c) => c.openTimeMs >= dayMs);
    if (i < 0 || daily[i]!.openTimeMs !== dayMs) throw new Error(`Fold ${fold.index}: no candle on ${new Date(dayMs).toISOString().slice(0, 10)}. Plan the folds from these candles.`);
    return i;
  };
  const end = rowOf(fold.testEndDayMs) + opts.horizonDays + 1;
  let start = 0;
  if (fold.train.start > 0) {
    const warmup = computeFeatures(daily.slice(0, end)).firstValidIndex;
    start = Math.max(0, rowOf(fold.trainStartDayMs) - warmup - opts.windowBars + 1);
  }
  return prepareDataset(daily.slice(start, end), {
    horizonDays: opts.horizonDays,
    windowBars: opts.windowBars,
    hourly: opts.hourly,
    gapDays: opts.gapDays,
    splits: { trainEndDayMs: fold.trainEndDayMs, valEndDayMs: fold.valEndDayMs },
  });
}
