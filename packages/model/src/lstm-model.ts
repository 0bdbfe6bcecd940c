// The specification's LSTM (ML-001), read top to bottom. Runtime-neutral: imports only @tensorflow/tfjs (a
// peer dependency, so one copy serves the whole tree) and never a backend package.
import * as tf from '@tensorflow/tfjs';

import { DEFAULT_MODEL_CONFIG, type ModelConfig } from './lstm-model-config.ts';
import { initWeights } from './init-weights.ts';

export { countParameters, DEFAULT_MODEL_CONFIG, type ModelConfig } from './lstm-model-config.ts';

/**
 * Builds the LayersModel: [batch, windowBars, nFeatures] → [batch, nClasses] probabilities.
 * Gates use the logistic sigmoid (PyTorch/cuDNN semantics; tfjs would default to hard sigmoid) and tfjs's
 * gate order i, f, c, o in each kernel's columns. `seed` fixes the initial weights (initWeights) and dropout masks.
 */
export function buildModel(config: ModelConfig = DEFAULT_MODEL_CONFIG, seed = 42): tf.LayersModel {
  const [u1, u2, u3] = config.lstmUnits;
  // Weights are created as zeros and then set from initWeights (seeded, shared with the fused engine); tfjs's
  // own orthogonal initialiser takes over a minute on the cpu backend.
  const init = () => ({ kernelInitializer: 'zeros', recurrentInitializer: 'zeros' }) as const;
  let s = seed;
  const input = tf.input({ shape: [config.windowBars, config.nFeatures] }); // [batch, 90, 20]
  let x = tf.layers
    .lstm({ units: u1, returnSequences: true, recurrentActivation: 'sigmoid', ...init(), name: 'lstm_1' })
    .apply(input) as tf.SymbolicTensor; // [batch, 90, 128]
  x = tf.layers.dropout({ rate: config.dropout, seed: s++, name: 'dropout_1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .lstm({ units: u2, returnSequences: true, recurrentActivation: 'sigmoid', ...init(), name: 'lstm_2' })
    .apply(x) as tf.SymbolicTensor; // [batch, 90, 64]
  x = tf.layers.dropout({ rate: config.dropout, seed: s++, name: 'dropout_2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .lstm({ units: u3, returnSequences: false, recurrentActivation: 'sigmoid', ...init(), name: 'lstm_3' })
    .apply(x) as tf.SymbolicTensor; // [batch, 32]
  x = tf.layers.dropout({ rate: config.dropout, seed: s, name: 'dropout_3' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({
      units: config.denseUnits,
      activation: 'relu',
      kernelInitializer: 'zeros',
      name: 'dense_1',
    })
    .apply(x) as tf.SymbolicTensor; // [batch, 16]
  const output = tf.layers
    .dense({
      units: config.nClasses,
      activation: 'softmax',
      kernelInitializer: 'zeros',
      name: 'direction',
    })
    .apply(x) as tf.SymbolicTensor; // [batch, 3]
  const model = tf.model({ inputs: input, outputs: output, name: 'coinsphere_lstm' });
  const initial = initWeights(config, seed);
  const tensors = initial.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors); // copies the values
  tf.dispose(tensors);
  return model;
}
