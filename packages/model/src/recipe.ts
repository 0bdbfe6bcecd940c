// A recipe: everything that defines a trained model apart from its data — features, labels, normalisation, the
// network's shape, the training settings and the seeds of its ensemble. The served recipe is chosen by the
// walk-forward experiments in BENCHMARKS.md and saved inside every artifact. Must not import tfjs or node:*.
import type { ModelConfig } from './lstm-model-config.ts';
import type { PooledDataOptions } from './pooled-dataset.ts';
import type { TrainingConfig } from './training-config.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';

/** A pooled model's recipe. `horizonDays` is set per model. */
export interface PooledRecipe extends PooledDataOptions {
  modelConfig: ModelConfig;
  training: TrainingConfig;
  /** One network per seed; their probabilities are averaged (an ensemble of one is a single network). */
  seeds: number[];
  /** A prior-shift correction of the ensemble's probabilities before the temperature (an experiment, #13;
   *  BENCHMARKS.md): log(π_recent / π_train) added to each class's log-probability, where π_train is the training
   *  rows' class shares and π_recent those of each asset's training rows in its last `bandDays` (365 when unset)
   *  days ('trailing') or of the validation block ('validation'). Unset: none. Not yet carried by artifacts. */
  priorShift?: 'trailing' | 'validation';
  /** Recency-weighted training (an experiment, #13; BENCHMARKS.md): each epoch draws its samplesPerEpoch training
   *  windows with replacement, window i with weight 0.5^(age_i / recencyHalfLifeDays), age counted in days back
   *  from the fold's newest training window, from the seed's epoch stream (deterministic). Unset: every window
   *  equally. Only training changes; validation, temperature and abstention are as without it. */
  recencyHalfLifeDays?: number;
}

/** The starting point of the experiments (each default is explained beside it). */
export const DEFAULT_POOLED_RECIPE: PooledRecipe = {
  featureSet: 'v2',
  labels: 'volatility',
  normalization: 'asset',
  horizonDays: 7,
  windowBars: 60, // two months: the longest v2 lookback is 90 days inside the features already
  modelConfig: {
    windowBars: 60,
    nFeatures: 20,
    lstmUnits: [32, 16, 8], // the spec's shape at a quarter of the width: ~16x fewer weights for ~16x the data
    denseUnits: 8,
    nClasses: 3,
    dropout: 0.2,
  },
  training: {
    ...DEFAULT_TRAINING_CONFIG,
    batchSize: 64,
    epochs: 30,
    patience: 4,
    samplesPerEpoch: 8192, // a fresh quarter or so of the pooled windows each epoch
  },
  seeds: [42],
};

/**
 * The served recipe, chosen on the walk-forward's selection folds (test blocks ending before 2023; BENCHMARKS.md,
 * "Predictions worth having"): features v2, the fixed band per asset (it beat the volatility-scaled band on every
 * measure), one normaliser over all assets (it beat per-asset z-scores: absolute volatility levels carry
 * information), 10-day windows (as good as 30 and 60, for a sixth of the cost), five networks of 32-16-8 units
 * averaged, trained at lr 3e-4 with weight decay 1e-3 for at most 8 epochs of 8,192 windows each.
 */
export const SERVED_RECIPE: PooledRecipe = {
  ...DEFAULT_POOLED_RECIPE,
  labels: 'fixed',
  normalization: 'global',
  windowBars: 10,
  modelConfig: { ...DEFAULT_POOLED_RECIPE.modelConfig, windowBars: 10 },
  training: { ...DEFAULT_POOLED_RECIPE.training, learningRate: 3e-4, weightDecay: 1e-3, epochs: 8, patience: 3 },
  seeds: [1, 2, 3, 4, 5],
};
