// tfjs inference: batched window prediction with a LayersModel (a runner of the one inference path, inference.ts).
// Imports only @tensorflow/tfjs (peer dependency), never a backend package; disposes every tensor it makes.
import * as tf from '@tensorflow/tfjs';

import { CLASS_NAMES } from './labels.ts';

/** [windowBars, nFeatures] of a model's input, read from its first input's shape. */
export function modelInputShape(model: tf.LayersModel): [number, number] {
  const shape = model.inputs[0]?.shape;
  const windowBars = shape?.[1];
  const nFeatures = shape?.[2];
  if (typeof windowBars !== 'number' || typeof nFeatures !== 'number') {
    throw new Error(`Model input shape ${JSON.stringify(shape)} is not [batch, windowBars, nFeatures].`);
  }
  return [windowBars, nFeatures];
}

/**
 * Class probabilities of `n` windows `x` ([n, windowBars, nFeatures]) → Float32Array [n, nClasses].
 * Runs in chunks of `batchSize` windows (passed to model.predict too) so memory stays bounded.
 */
export async function predictWindows(model: tf.LayersModel, x: Float32Array, n: number, batchSize = 256): Promise<Float32Array> {
  const [windowBars, nFeatures] = modelInputShape(model);
  const size = windowBars * nFeatures;
  if (x.length !== n * size) {
    throw new Error(`predictWindows got ${x.length} values for ${n} windows of [${windowBars}, ${nFeatures}]; expected ${n * size}.`);
  }
  const nClasses = model.outputs[0]?.shape[1] ?? CLASS_NAMES.length;
  const out = new Float32Array(n * nClasses); // [n, nClasses]
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => {
      const xs = tf.tensor3d(x.subarray(start * size, (start + count) * size), [count, windowBars, nFeatures]);
      return model.predict(xs, { batchSize }) as tf.Tensor; // [count, nClasses]
    });
    out.set(await probs.data(), start * nClasses);
    probs.dispose();
  }
  return out;
}
