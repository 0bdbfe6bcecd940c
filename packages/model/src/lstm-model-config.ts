// The model's shape and its parameter count. Must not import anything.

/** Model shape. Every default is the specification's. */
export interface ModelConfig {
  /** Days in one input window (sequence length). */
  windowBars: number;
  /** Features per day. */
  nFeatures: number;
  /** Units of the three stacked LSTM layers. */
  lstmUnits: readonly [number, number, number];
  /** Units of the hidden dense layer (ReLU). */
  denseUnits: number;
  /** Output classes: bearish, neutral, bullish. */
  nClasses: number;
  /** Dropout after each LSTM layer (training only). */
  dropout: number;
}

export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  windowBars: 90, // the specification's 90-day lookback
  nFeatures: 20, // FEATURE_NAMES
  lstmUnits: [128, 64, 32], // "128-64-32"
  denseUnits: 16,
  nClasses: 3,
  dropout: 0.2,
};

/**
 * Trainable parameters of the model. PyTorch reports 896 more (139,587) because its LSTM keeps two bias
 * vectors (b_ih and b_hh) per layer; tfjs and Keras keep one. The specification's "~250K" is wrong.
 */
export function countParameters(config: ModelConfig = DEFAULT_MODEL_CONFIG): number {
  let inputs = config.nFeatures;
  let total = 0;
  for (const units of config.lstmUnits) {
    total += 4 * units * (inputs + units + 1); // kernel [in, 4u] + recurrent [u, 4u] + bias [4u]
    inputs = units;
  }
  total += inputs * config.denseUnits + config.denseUnits;
  total += config.denseUnits * config.nClasses + config.nClasses;
  return total;
}
