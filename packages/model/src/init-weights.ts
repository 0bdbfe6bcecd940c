// Seeded initial weights as flat Float32Arrays in tfjs's weight order, so the tfjs model and the fused engine
// start from the same numbers. Keras's schemes: Glorot-uniform kernels, orthogonal recurrent kernels, zero
// biases except the LSTM forget gate (unitForgetBias, 1). Must not import tfjs.
import type { ModelConfig } from './lstm-model-config.ts';
import { makeRng, randomNormal, type Rng } from './random.ts';

/** One weight tensor: its name as tfjs saves it, its shape and its values (row-major). */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

function glorotUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rng() * 2 - 1) * limit;
  return out;
}

/** Rows orthonormal (rows <= cols): Gram-Schmidt over normal draws, as Keras's orthogonal initialiser. */
function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = randomNormal(rng);
  for (let r = 0; r < rows; r++) {
    const row = m.subarray(r * cols, (r + 1) * cols);
    for (let p = 0; p < r; p++) {
      const prev = m.subarray(p * cols, (p + 1) * cols);
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += row[c]! * prev[c]!;
      for (let c = 0; c < cols; c++) row[c] = row[c]! - dot * prev[c]!;
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += row[c]! * row[c]!;
    norm = Math.sqrt(norm);
    for (let c = 0; c < cols; c++) row[c] = row[c]! / norm;
  }
  return Float32Array.from(m);
}

/**
 * Initial weights for `config`, in the order `model.getWeights()` lists them:
 * per LSTM layer kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u] (gates i, f, c, o); then dense kernels
 * [in, out] and biases [out].
 */
export function initWeights(config: ModelConfig, seed: number): NamedWeight[] {
  const rng = makeRng(seed);
  const weights: NamedWeight[] = [];
  let inputs = config.nFeatures;
  config.lstmUnits.forEach((units, i) => {
    const name = `lstm_${i + 1}`;
    const bias = new Float32Array(4 * units);
    bias.fill(1, units, 2 * units); // forget gate starts open
    weights.push(
      { name: `${name}/kernel`, shape: [inputs, 4 * units], values: glorotUniform(inputs, 4 * units, rng) },
      { name: `${name}/recurrent_kernel`, shape: [units, 4 * units], values: orthogonal(units, 4 * units, rng) },
      { name: `${name}/bias`, shape: [4 * units], values: bias },
    );
    inputs = units;
  });
  const dense = [
    ['dense_1', config.denseUnits],
    ['direction', config.nClasses],
  ] as const;
  for (const [name, units] of dense) {
    weights.push(
      { name: `${name}/kernel`, shape: [inputs, units], values: glorotUniform(inputs, units, rng) },
      { name: `${name}/bias`, shape: [units], values: new Float32Array(units) },
    );
    inputs = units;
  }
  return weights;
}

/** Names of the weight tensors in `model.getWeights()` order (lstm_1/kernel, …, direction/bias). */
export function weightNames(config: Pick<ModelConfig, 'lstmUnits'>): string[] {
  const names: string[] = [];
  config.lstmUnits.forEach((_, i) => names.push(`lstm_${i + 1}/kernel`, `lstm_${i + 1}/recurrent_kernel`, `lstm_${i + 1}/bias`));
  names.push('dense_1/kernel', 'dense_1/bias', 'direction/kernel', 'direction/bias');
  return names;
}
