// The model's tfjs LayersModel topology as plain JSON: exactly what `model.save()` writes for buildModel(config)
// (lstm-model.ts), produced without tfjs so that the trainer can write a standard artifact straight from the fused
// engine's weights and the Worker never carries tfjs. A test holds it equal to tfjs's own. Must not import tfjs.
import type { ModelConfig } from './lstm-model-config.ts';

const nulls = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, null]));
const zeros = { class_name: 'Zeros', config: {} };

function lstmLayer(name: string, units: number, returnSequences: boolean, inbound: string) {
  return {
    name,
    class_name: 'LSTM',
    config: {
      name, trainable: true, units, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
      kernel_initializer: zeros, recurrent_initializer: zeros, bias_initializer: zeros, unit_forget_bias: null,
      ...nulls(['kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint']),
      dropout: 0, recurrent_dropout: 0, implementation: null, return_sequences: returnSequences, return_state: false,
      go_backwards: false, stateful: false, unroll: false,
    },
    inbound_nodes: [[[inbound, 0, 0, {}]]],
  };
}

function dropoutLayer(name: string, rate: number, seed: number, inbound: string) {
  return { name, class_name: 'Dropout', config: { rate, noise_shape: null, seed, name, trainable: true }, inbound_nodes: [[[inbound, 0, 0, {}]]] };
}

function denseLayer(name: string, units: number, activation: string, inbound: string) {
  return {
    name,
    class_name: 'Dense',
    config: {
      units, activation, use_bias: true, kernel_initializer: zeros, bias_initializer: zeros,
      ...nulls(['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']),
      name, trainable: true,
    },
    inbound_nodes: [[[inbound, 0, 0, {}]]],
  };
}

/** The `modelTopology` of model.json for `config` (dropout seeds as buildModel gives them for `seed`). */
export function layersModelTopology(config: ModelConfig, seed = 42): Record<string, unknown> {
  const [u1, u2, u3] = config.lstmUnits;
  return {
    class_name: 'Model',
    config: {
      name: 'coinsphere_lstm',
      layers: [
        { name: 'input1', class_name: 'InputLayer', config: { batch_input_shape: [null, config.windowBars, config.nFeatures], dtype: 'float32', sparse: false, name: 'input1' }, inbound_nodes: [] },
        lstmLayer('lstm_1', u1, true, 'input1'),
        dropoutLayer('dropout_1', config.dropout, seed, 'lstm_1'),
        lstmLayer('lstm_2', u2, true, 'dropout_1'),
        dropoutLayer('dropout_2', config.dropout, seed + 1, 'lstm_2'),
        lstmLayer('lstm_3', u3, false, 'dropout_2'),
        dropoutLayer('dropout_3', config.dropout, seed + 2, 'lstm_3'),
        denseLayer('dense_1', config.denseUnits, 'relu', 'dropout_3'),
        denseLayer('direction', config.nClasses, 'softmax', 'dense_1'),
      ],
      input_layers: [['input1', 0, 0]],
      output_layers: [['direction', 0, 0]],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}
