// The training settings, with the specification's TRAINING_CONFIG as defaults. Must not import anything.

/** How fitTfjs trains. Every default is the specification's unless its comment says otherwise. */
export interface TrainingConfig {
  /** Adam step size ('learning_rate': 0.001). */
  learningRate: number;
  /** Samples per gradient step ('batch_size': 32). */
  batchSize: number;
  /** Upper bound on epochs ('epochs': 100). */
  epochs: number;
  /** Epochs without a lower validation loss before stopping ('early_stopping_patience': 10). */
  patience: number;
  /** L2 term added to the gradient, wd * w, as PyTorch's Adam(weight_decay) does ('weight_decay': 1e-5). */
  weightDecay: number;
  /** Seeds the shuffles and dropout masks (not in the specification; 42). */
  seed: number;
  /** Adam moment decay rates and epsilon: PyTorch's defaults (0.9, 0.999, 1e-8). */
  beta1: number;
  beta2: number;
  epsilon: number;
  /**
   * Training samples drawn (without replacement, a fresh random subset each epoch) per epoch; 0 takes them all
   * (the specification's behaviour). Overlapping daily windows repeat each other, so a pooled model over many
   * assets learns as much from a fraction of them per epoch, at a fraction of the cost.
   */
  samplesPerEpoch: number;
}

export const DEFAULT_TRAINING_CONFIG: TrainingConfig = {
  learningRate: 1e-3,
  batchSize: 32,
  epochs: 100,
  patience: 10,
  weightDecay: 1e-5,
  seed: 42,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  samplesPerEpoch: 0,
};

/** The defaults overridden by `overrides`; throws naming the first value out of range. */
export function resolveTrainingConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  const c = { ...DEFAULT_TRAINING_CONFIG, ...overrides };
  const positive = ['learningRate', 'batchSize', 'epochs', 'patience', 'epsilon'] as const;
  for (const key of positive) {
    if (!(Number.isFinite(c[key]) && c[key] > 0)) throw new Error(`Training config ${key} = ${c[key]} must be a positive number.`);
  }
  for (const key of ['batchSize', 'epochs', 'patience', 'seed'] as const) {
    if (!Number.isInteger(c[key])) throw new Error(`Training config ${key} = ${c[key]} must be an integer.`);
  }
  if (!(Number.isInteger(c.samplesPerEpoch) && c.samplesPerEpoch >= 0)) {
    throw new Error(`Training config samplesPerEpoch = ${c.samplesPerEpoch} must be a whole number >= 0 (0 = every sample).`);
  }
  if (!(c.weightDecay >= 0)) throw new Error(`Training config weightDecay = ${c.weightDecay} must be >= 0.`);
  return c;
}
