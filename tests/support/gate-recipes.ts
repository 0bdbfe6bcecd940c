// Two pooled recipes small enough for a test, for the promotion gate: LEARNS_REGIMES learns the calm/wild regimes of
// makeRegimeCandles (1,300 days of three assets) well enough to be served, and ONE_EPOCH_CANDIDATE, one epoch at a
// learning rate that moves nothing, is a deliberately worse candidate the gate must keep out.
import { DEFAULT_POOLED_RECIPE, type PooledRecipe } from '@coinsphere/model/core';

export const LEARNS_REGIMES: PooledRecipe = {
  ...DEFAULT_POOLED_RECIPE,
  labels: 'fixed',
  windowBars: 10,
  modelConfig: { ...DEFAULT_POOLED_RECIPE.modelConfig, lstmUnits: [8, 8, 4], denseUnits: 4 },
  training: { ...DEFAULT_POOLED_RECIPE.training, epochs: 6, patience: 6, samplesPerEpoch: 2048, learningRate: 3e-3 },
  seeds: [1, 2],
};

export const ONE_EPOCH_CANDIDATE: PooledRecipe = { ...LEARNS_REGIMES, training: { ...LEARNS_REGIMES.training, epochs: 1, learningRate: 1e-6 }, seeds: [3] };
