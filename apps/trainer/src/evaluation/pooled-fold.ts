// One pooled walk-forward fold: fit the recipe's ensemble on every asset's training windows (fitPooledEnsemble,
// the same code that fits the served model) and predict the test block beside the baselines on exactly the same
// rows, then the permutation importance of every feature on the test rows (fold-importance.ts). Plain data in and out.
import { loadFusedLstm } from '@coinsphere/engine/node';
import {
  applyTemperature,
  classShares,
  computeMetrics,
  FEATURE_SETS,
  fitLogistic,
  fitTemperature,
  lastRows,
  majorityBaseline,
  oneHot,
  persistenceBaseline,
  predictLogistic,
  preparePooledFold,
  toIsoDay,
  trailingClassShares,
  type AssetFrame,
  type PooledFoldDays,
  type PooledPart,
  type PooledRecipe,
  type RowImportance,
} from '@coinsphere/model/core';
import { applyCalibration, averageRows, fitPooledEnsemble, type PooledEnsemble } from '../training/pooled-ensemble.ts';
import { foldImportance } from './fold-importance.ts';

/** Test rows of one fold with every predictor's probabilities ([n, 3] each) on them. */
export interface PooledFoldOutcome {
  symbols: string[];
  /** Per test row. */
  asset: number[];
  dayMs: number[];
  y: number[];
  nextDayReturn: number[];
  lower: number[];
  upper: number[];
  probs: Record<string, Float32Array>;
  temperature: number;
  /** The prior shift applied before the temperature (recipe.priorShift), or null. */
  priors: { from: number[]; to: number[] } | null;
  /** Calibrated top probability below which the model abstains ("no clear signal"), fitted on validation. */
  abstainBelow: number;
  valEce: { before: number; after: number };
  epochs: number[];
  nTrain: number;
  nVal: number;
  skipped: Array<{ symbol: string; reason: string }>;
  wallMs: number;
  /** The validation rows' labels and each member's probabilities there (for blends fitted on validation). */
  val: { y: number[]; probs: Record<string, Float32Array> };
  /** Class shares of the training rows, of each asset's training rows in its last `bandDays` (365 when unset)
   *  days, and of the validation rows: the priors a post-hoc prior-shift correction needs. */
  classShares: { train: number[]; trailing: number[]; val: number[] };
  /** Each feature's permutation importance on the test rows under `probs.model`'s ensemble (absent in outcomes
   *  stored before #18), and the wall time it took, ms (part of wallMs). */
  importance?: RowImportance;
  importanceMs?: number;
}

/** The permutation importance of the fitted ensemble on the fold's test rows, on an engine of its own. */
async function testImportance(e: PooledEnsemble, test: PooledPart, names: readonly string[], threads: number): Promise<RowImportance> {
  const engine = await loadFusedLstm(e.config, threads);
  try {
    return await foldImportance(engine, e.members, (raw) => applyCalibration(raw, e), test, names);
  } finally {
    engine.dispose(); // it holds worker threads
  }
}

/** The baselines on the test rows; `logisticTest`: the logistic regression's (fitted once per fold, by the caller). */
function baselines(train: PooledPart, test: PooledPart, logisticTest: Float32Array): Record<string, Float32Array> {
  return {
    logistic: logisticTest,
    momentum: oneHot(test.momentum),
    persistence: persistenceBaseline(test.persistence),
    majority: majorityBaseline(train.y, test.n),
  };
}

/** Trains and tests one fold over `frames` with the recipe's ensemble (fitPooledEnsemble, as the served model). */
export async function runPooledFold(frames: AssetFrame[], days: PooledFoldDays, recipe: PooledRecipe, threads: number): Promise<PooledFoldOutcome> {
  const started = Date.now();
  const fold = preparePooledFold(frames, days, recipe);
  const { train, val, test } = fold;
  if (test.n === 0) throw new Error(`Fold ending ${toIsoDay(days.testEndDayMs)} has no test window.`);
  const nf = frames[0]!.nFeatures;
  const e = await fitPooledEnsemble(fold, recipe, threads);
  const model = applyCalibration(e.testRaw, e);
  // The LSTM ensemble averaged with the linear model fitted on the same training rows (one more member).
  const logistic = fitLogistic(lastRows(train.x, train.n, recipe.windowBars, nf), train.y, nf);
  const valLogistic = predictLogistic(logistic, lastRows(val.x, val.n, recipe.windowBars, nf), val.n);
  const valLinear = averageRows([e.valRaw, valLogistic]);
  const logisticTest = predictLogistic(logistic, lastRows(test.x, test.n, recipe.windowBars, nf), test.n);
  const testLinear = averageRows([e.testRaw, logisticTest]);
  const valCalibrated = applyCalibration(e.valRaw, e);
  const importanceStarted = Date.now();
  const importance = await testImportance(e, test, FEATURE_SETS[recipe.featureSet].names, threads);
  const importanceMs = Date.now() - importanceStarted;
  return {
    symbols: fold.symbols,
    asset: Array.from(test.asset),
    dayMs: Array.from(test.endDayMs),
    y: Array.from(test.y),
    nextDayReturn: Array.from(test.nextDayReturn),
    lower: Array.from(test.lower),
    upper: Array.from(test.upper),
    probs: {
      model, uncalibrated: e.testRaw,
      withLinear: applyTemperature(testLinear, 3, fitTemperature(valLinear, val.y).temperature),
      single: applyTemperature(e.singleTestRaw, 3, fitTemperature(e.singleValRaw, val.y).temperature),
      ...baselines(train, test, logisticTest),
    },
    temperature: e.temperature,
    abstainBelow: e.abstainBelow,
    priors: e.priors,
    valEce: { before: computeMetrics(e.valRaw, val.y).ece, after: computeMetrics(valCalibrated, val.y).ece },
    epochs: e.epochs,
    nTrain: train.n,
    nVal: val.n,
    skipped: fold.skipped,
    wallMs: Date.now() - started,
    val: { y: Array.from(val.y), probs: { uncalibrated: e.valRaw, logistic: valLogistic, persistence: persistenceBaseline(val.persistence) } },
    classShares: { train: classShares(train.y), trailing: trailingClassShares(train.y, train.asset, train.endDayMs, recipe.bandDays ?? 365), val: classShares(val.y) },
    importance,
    importanceMs,
  };
}
