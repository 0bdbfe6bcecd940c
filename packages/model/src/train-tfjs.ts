// The tfjs training loop: seeded shuffles and dropout masks, Adam with PyTorch's weight decay (wd * w added to
// each gradient before the Adam update, unlike AdamW), early stopping on validation loss with the best weights
// restored (the loop itself is fit-loop.ts, shared with the fused engine). Imports only @tensorflow/tfjs; no
// logging: progress goes to the callbacks.
import * as tf from '@tensorflow/tfjs';

import { CLASS_NAMES } from './labels.ts';
import { predictWindows, modelInputShape } from './predict.ts';
import {
  runEpochs,
  type EpochStepper,
  type FitCallbacks,
  type FitResult,
  type ResumeState,
  type TrainingPart,
} from './fit-loop.ts';
import { resolveTrainingConfig, type TrainingConfig } from './training-config.ts';

/** Mean cross-entropy of probabilities p [b, k] against one-hot ys [b, k]; p clipped to [1e-7, 1 - 1e-7]. */
function crossEntropy(p: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))) as tf.Scalar;
}

/** Dropout layers: tfjs reuses a fixed seed on every call, so we set a fresh seeded one before each step. */
function dropoutLayers(model: tf.LayersModel): { seed?: number }[] {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
}

/** Mean loss and accuracy of probabilities [n, k] against labels. */
function lossAndAccuracy(probs: Float32Array, y: Int32Array): { loss: number; acc: number } {
  const k = CLASS_NAMES.length;
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    const row = probs.subarray(i * k, i * k + k);
    loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, row[y[i]!]!)));
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
    hits += best === y[i] ? 1 : 0;
  }
  return { loss: loss / y.length, acc: hits / y.length };
}

/**
 * Trains `model` on `data.train`, early-stopping on `data.val` loss, and leaves the best epoch's weights in it.
 * `config` overrides DEFAULT_TRAINING_CONFIG. Deterministic for a given seed, backend and data. Throws when the
 * data shapes do not match the model's input.
 */
export async function fitTfjs(
  model: tf.LayersModel,
  data: { train: TrainingPart; val: TrainingPart },
  config: Partial<TrainingConfig> = {},
  callbacks: FitCallbacks = {},
  resume?: ResumeState,
): Promise<FitResult> {
  const cfg = resolveTrainingConfig(config);
  const [windowBars, nFeatures] = modelInputShape(model);
  const size = windowBars * nFeatures;
  for (const [name, part] of [['train', data.train], ['val', data.val]] as const) {
    if (part.x.length !== part.n * size || part.y.length !== part.n || part.n < 1) {
      throw new Error(`${name} data has ${part.x.length} values and ${part.y.length} labels for n = ${part.n}; ` +
        `the model needs [n, ${windowBars}, ${nFeatures}] windows and n labels, n >= 1.`);
    }
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(cfg.learningRate, cfg.beta1, cfg.beta2, cfg.epsilon);
  const dropouts = dropoutLayers(model);
  const stepper: EpochStepper<tf.Tensor[]> = {
    trainBatch: async (xb, yb, n, rng) => {
      for (const d of dropouts) d.seed = Math.floor(rng() * 2 ** 31);
      const [loss, hits] = trainStep(model, optimizer, variables, cfg.weightDecay, xb, yb, n, windowBars, nFeatures);
      // Asynchronous reads: tfjs-webgpu cannot read a GPU buffer synchronously in Node (no OffscreenCanvas).
      const [l, h] = await Promise.all([loss.data(), hits?.data()]);
      tf.dispose([loss, hits ?? []]);
      return { loss: l[0]!, hits: h?.[0] ?? 0 };
    },
    validate: async () => lossAndAccuracy(await predictWindows(model, data.val.x, data.val.n), data.val.y),
    snapshot: () => model.getWeights().map((w) => w.clone()),
    restore: (weights) => model.setWeights(weights),
    release: (weights) => tf.dispose(weights),
  };
  try {
    return await runEpochs(stepper, data.train, size, cfg, callbacks, resume);
  } finally {
    optimizer.dispose();
  }
}

/** One Adam step on a batch; returns tensors [mean loss, correct count], which the caller reads and disposes.
 * Grad of each variable gets + wd * w. */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  weightDecay: number,
  xb: Float32Array,
  yb: Int32Array,
  count: number,
  windowBars: number,
  nFeatures: number,
): [tf.Tensor, tf.Tensor | null] {
  let hits: tf.Tensor | null = null;
  const loss = tf.tidy(() => {
    const xs = tf.tensor3d(xb.subarray(0, count * windowBars * nFeatures), [count, windowBars, nFeatures]);
    const labels = tf.tensor1d(yb.subarray(0, count), 'int32');
    const ys = tf.oneHot(labels, CLASS_NAMES.length); // [count, 3]
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(xs, { training: true }) as tf.Tensor; // [count, 3]
      hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), labels), 'float32')));
      return crossEntropy(p, ys);
    }, variables);
    if (weightDecay > 0) {
      for (const v of variables) grads[v.name] = tf.add(grads[v.name]!, tf.mul(v, weightDecay));
    }
    optimizer.applyGradients(grads);
    return value;
  });
  return [loss, hits];
}
