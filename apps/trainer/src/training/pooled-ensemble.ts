// The one way a pooled model is fitted, for the walk-forward's folds and for the served model alike (what is
// served is what was evaluated): one fused-engine network per seed of the recipe on the fold's training windows,
// early-stopped on its validation windows; their mean probabilities; the temperature and the abstention threshold
// fitted on validation.
import { loadFusedLstm } from '@coinsphere/engine/node';
import {
  applyTemperature,
  classShares,
  fitAbstention,
  fitTemperature,
  initWeights,
  recencyWeights,
  shiftPriors,
  trailingClassShares,
  type FitCallbacks,
  type ModelConfig,
  type NamedWeight,
  type PooledFold,
  type PooledRecipe,
  TooLittleHistoryError,
} from '@coinsphere/model/core';
import { fitFused } from './fit-fused.ts';

/** A fitted ensemble and its probabilities on the fold's validation and test parts. */
export interface PooledEnsemble {
  config: ModelConfig;
  members: NamedWeight[][];
  seeds: number[];
  epochs: number[];
  /** Mean softmax rows of the members, before temperature: [nVal, 3] and [nTest, 3]. */
  valRaw: Float32Array;
  testRaw: Float32Array;
  /** Seed 0's rows alone, before temperature (the "single network" line of the experiments). */
  singleValRaw: Float32Array;
  singleTestRaw: Float32Array;
  temperature: number;
  abstainBelow: number;
  /** The recipe's prior shift (class shares from -> to), applied before the temperature; null when none. */
  priors: Priors | null;
}

/** A prior shift: the class shares the networks were trained on and those they are moved to. */
export interface Priors { from: number[]; to: number[] }

/** What follows the ensemble's mean: an optional prior shift, then the temperature, then the abstention threshold. */
export interface EnsembleCalibration { priors: Priors | null; temperature: number; abstainBelow: number }

/** The prior shift `recipe.priorShift` asks for on `fold` (no row whose label was unknown at the cut-off), or null. */
export function recipePriors(fold: Pick<PooledFold, 'train' | 'val'>, recipe: Pick<PooledRecipe, 'priorShift' | 'bandDays'>): Priors | null {
  if (recipe.priorShift === undefined) return null;
  const { train, val } = fold;
  const from = classShares(train.y);
  if (recipe.priorShift === 'trailing') return { from, to: trailingClassShares(train.y, train.asset, train.endDayMs, recipe.bandDays ?? 365) };
  if (recipe.priorShift === 'validation') return { from, to: classShares(val.y) };
  throw new Error(`Unknown priorShift '${String(recipe.priorShift)}'; use 'trailing', 'validation' or leave it unset.`);
}

/** Mean ensemble rows after the prior shift (if any) and the temperature: the model's calibrated probabilities. */
export function applyCalibration(raw: Float32Array, c: Pick<EnsembleCalibration, 'priors' | 'temperature'>): Float32Array {
  return applyTemperature(c.priors ? shiftPriors(raw, 3, c.priors.from, c.priors.to) : raw, 3, c.temperature);
}

/** Fits the temperature on the (prior-shifted) validation rows, then the abstention threshold on their calibrated rows. */
export function fitCalibration(valRaw: Float32Array, valY: ArrayLike<number>, priors: Priors | null): EnsembleCalibration {
  const shifted = priors ? shiftPriors(valRaw, 3, priors.from, priors.to) : valRaw;
  const { temperature } = fitTemperature(shifted, valY);
  return { priors, temperature, abstainBelow: fitAbstention(applyTemperature(shifted, 3, temperature), valY).threshold };
}

/** Mean of equally shaped probability arrays. */
export function averageRows(all: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(all[0]!.length);
  for (const p of all) for (let i = 0; i < out.length; i++) out[i] = out[i]! + p[i]! / all.length;
  return out;
}

/** Fits the recipe's ensemble on `fold`. Throws when a part is empty. The engine's threads are always stopped. */
export async function fitPooledEnsemble(fold: PooledFold, recipe: PooledRecipe, threads: number, onEpoch?: (seed: number) => FitCallbacks): Promise<PooledEnsemble> {
  const { train, val, test } = fold;
  if (train.n === 0 || val.n === 0) throw new TooLittleHistoryError(`the fold has ${train.n} training and ${val.n} validation windows; it needs both. Use more history.`);
  const nFeatures = train.x.length / Math.max(1, train.n) / recipe.windowBars;
  const config: ModelConfig = { ...recipe.modelConfig, windowBars: recipe.windowBars, nFeatures }; // the data decide these two
  const members: NamedWeight[][] = [];
  const epochs: number[] = [];
  const valRaw: Float32Array[] = [];
  const testRaw: Float32Array[] = [];
  // Recency weighting changes which windows each epoch draws, nothing else (validation is unweighted).
  const fitTrain = recipe.recencyHalfLifeDays === undefined ? train : { ...train, weights: recencyWeights(train.endDayMs, recipe.recencyHalfLifeDays) };
  const engine = await loadFusedLstm(config, threads);
  try {
    for (const seed of recipe.seeds) {
      engine.setWeights(initWeights(config, seed));
      const fit = await fitFused(engine, { train: fitTrain, val }, { ...recipe.training, seed }, onEpoch?.(seed));
      epochs.push(fit.epochsRun);
      members.push(engine.getWeights());
      valRaw.push(engine.predict(val.x, val.n));
      testRaw.push(test.n > 0 ? engine.predict(test.x, test.n) : new Float32Array(0));
    }
  } finally {
    engine.dispose();
  }
  const meanVal = averageRows(valRaw);
  return {
    config, members, seeds: [...recipe.seeds], epochs,
    valRaw: meanVal, testRaw: averageRows(testRaw), singleValRaw: valRaw[0]!, singleTestRaw: testRaw[0]!,
    ...fitCalibration(meanVal, val.y, recipePriors(fold, recipe)),
  };
}
