// One pooled walk-forward fold: train the recipe's LSTM (one per seed) on every asset's training windows, average
// the seeds' probabilities, fit the temperature and the abstention threshold on the fold's validation part, and
// predict the test block beside the baselines on exactly the same rows. Plain data in and out.
import { loadFusedLstm } from '@coinsphere/engine/node';
import {
  applyTemperature,
  computeMetrics,
  fitAbstention,
  fitLogistic,
  fitTemperature,
  initWeights,
  lastRows,
  majorityBaseline,
  oneHot,
  persistenceBaseline,
  predictLogistic,
  preparePooledFold,
  type AssetFrame,
  type PooledFoldDays,
  type PooledPart,
  type PooledRecipe,
} from '@coinsphere/model';
import { fitFused } from '../training/fit-fused.ts';

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
  /** Calibrated top probability below which the model abstains ("no clear signal"), fitted on validation. */
  abstainBelow: number;
  valEce: { before: number; after: number };
  epochs: number[];
  nTrain: number;
  nVal: number;
  skipped: Array<{ symbol: string; reason: string }>;
  wallMs: number;
}

function baselines(train: PooledPart, test: PooledPart, windowBars: number, nf: number): Record<string, Float32Array> {
  const logistic = fitLogistic(lastRows(train.x, train.n, windowBars, nf), train.y, nf);
  return {
    logistic: predictLogistic(logistic, lastRows(test.x, test.n, windowBars, nf), test.n),
    momentum: oneHot(test.momentum),
    persistence: persistenceBaseline(test.persistence),
    majority: majorityBaseline(train.y, test.n),
  };
}

/** Mean of equally shaped probability arrays. */
function average(all: Float32Array[]): Float32Array {
  const out = new Float32Array(all[0]!.length);
  for (const p of all) for (let i = 0; i < out.length; i++) out[i] = out[i]! + p[i]! / all.length;
  return out;
}

/** Trains and tests one fold over `frames`. The engines' worker threads are always stopped. */
export async function runPooledFold(frames: AssetFrame[], days: PooledFoldDays, recipe: PooledRecipe, threads: number): Promise<PooledFoldOutcome> {
  const started = Date.now();
  const fold = preparePooledFold(frames, days, recipe);
  const { train, val, test } = fold;
  if (train.n === 0 || val.n === 0 || test.n === 0) throw new Error(`Fold ending ${new Date(days.testEndDayMs).toISOString().slice(0, 10)} has an empty part (train ${train.n}, val ${val.n}, test ${test.n}).`);
  const nf = frames[0]!.nFeatures;
  const config = { ...recipe.modelConfig, windowBars: recipe.windowBars, nFeatures: nf }; // the data decide these two
  const valRaw: Float32Array[] = [];
  const testRaw: Float32Array[] = [];
  const epochs: number[] = [];
  const engine = await loadFusedLstm(config, threads);
  try {
    for (const seed of recipe.seeds) {
      engine.setWeights(initWeights(config, seed));
      const fit = await fitFused(engine, { train, val }, { ...recipe.training, seed });
      epochs.push(fit.epochsRun);
      valRaw.push(engine.predict(val.x, val.n));
      testRaw.push(engine.predict(test.x, test.n));
    }
  } finally {
    engine.dispose();
  }
  const valProbs = average(valRaw);
  const rawTest = average(testRaw);
  // The LSTM ensemble averaged with the linear model fitted on the same training rows (one more member).
  const logistic = fitLogistic(lastRows(train.x, train.n, recipe.windowBars, nf), train.y, nf);
  const valLinear = average([valProbs, predictLogistic(logistic, lastRows(val.x, val.n, recipe.windowBars, nf), val.n)]);
  const testLinear = average([rawTest, predictLogistic(logistic, lastRows(test.x, test.n, recipe.windowBars, nf), test.n)]);
  const tLinear = fitTemperature(valLinear, val.y).temperature;
  const { temperature } = fitTemperature(valProbs, val.y);
  const valCalibrated = applyTemperature(valProbs, 3, temperature);
  const model = applyTemperature(rawTest, 3, temperature);
  return {
    symbols: fold.symbols,
    asset: Array.from(test.asset),
    dayMs: Array.from(test.endDayMs),
    y: Array.from(test.y),
    nextDayReturn: Array.from(test.nextDayReturn),
    lower: Array.from(test.lower),
    upper: Array.from(test.upper),
    probs: { model, uncalibrated: rawTest, withLinear: applyTemperature(testLinear, 3, tLinear), single: applyTemperature(testRaw[0]!, 3, fitTemperature(valRaw[0]!, val.y).temperature), ...baselines(train, test, recipe.windowBars, nf) },
    temperature,
    abstainBelow: fitAbstention(valCalibrated, val.y).threshold,
    valEce: { before: computeMetrics(valProbs, val.y).ece, after: computeMetrics(valCalibrated, val.y).ece },
    epochs,
    nTrain: train.n,
    nVal: val.n,
    skipped: fold.skipped,
    wallMs: Date.now() - started,
  };
}
