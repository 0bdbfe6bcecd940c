// The tfjs training loop: seeded shuffles and dropout masks, Adam with PyTorch's weight decay (wd * w added to
// each gradient before the Adam update, unlike AdamW), early stopping on validation loss with the best weights
// restored. Imports only @tensorflow/tfjs; no logging: progress goes to the callbacks.
import * as tf from '@tensorflow/tfjs';

import { CLASS_NAMES } from './labels.ts';
import { predictWindows, modelInputShape } from './predict.ts';
import { makeRng, shuffledIndices } from './random.ts';
import { resolveTrainingConfig, type TrainingConfig } from './training-config.ts';

/** Windows and labels of one part (a DatasetPart satisfies it). x: [n, windowBars, nFeatures], y: [n]. */
export interface TrainingPart {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** Metrics of one finished epoch. */
export interface EpochLog {
  /** 0-based epoch index. */
  epoch: number;
  /** Mean training cross-entropy and accuracy, measured with dropout on (as Keras and PyTorch report them). */
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  /** True when valLoss is the best so far (the weights a checkpoint should keep). */
  improved: boolean;
  bestEpoch: number;
  bestValLoss: number;
  elapsedMs: number;
}

/** Progress hooks; all optional, all awaited. */
export interface FitCallbacks {
  /** After each epoch; return 'stop' to end training (best weights are still restored). */
  onEpochEnd?: (log: EpochLog) => void | 'stop' | Promise<void | 'stop'>;
  /** After each batch, for progress bars. */
  onBatchEnd?: (batch: number, nBatches: number, loss: number) => void | Promise<void>;
}

/**
 * Resuming: run epochs from `startEpoch` on, on whatever weights the model holds now (load the checkpoint into
 * it first), keeping the early-stopping state. The Adam moments are not restored: they restart at zero, which
 * costs a few noisy steps. Shuffles and dropout masks depend on (seed, epoch) only, so they match an
 * uninterrupted run.
 */
export interface ResumeState {
  startEpoch: number;
  bestEpoch: number;
  bestValLoss: number;
}

/** Outcome of fitTfjs. The model holds the best epoch's weights afterwards. */
export interface FitResult {
  history: EpochLog[];
  bestEpoch: number;
  bestValLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  config: TrainingConfig;
}

/** Mean cross-entropy of probabilities p [b, k] against one-hot ys [b, k]; p clipped to [1e-7, 1 - 1e-7]. */
function crossEntropy(p: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))) as tf.Scalar;
}

/** Seed of epoch `epoch`'s stream: distinct per epoch, the same on resume (shared by every engine's loop). */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}

/** Copies samples `idx` of `part` into the batch buffers xb [batch, windowBars, nFeatures] and yb [batch]. */
export function gatherBatch(part: TrainingPart, idx: Int32Array, size: number, xb: Float32Array, yb: Int32Array): void {
  idx.forEach((s, r) => {
    xb.set(part.x.subarray(s * size, (s + 1) * size), r * size);
    yb[r] = part.y[s]!;
  });
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
  const history: EpochLog[] = [];
  let bestEpoch = resume?.bestEpoch ?? -1;
  let bestValLoss = resume?.bestValLoss ?? Number.POSITIVE_INFINITY;
  let bestWeights: tf.Tensor[] | null = null;
  let stoppedEarly = false;
  const { train } = data;
  const nBatches = Math.ceil(train.n / cfg.batchSize);
  const xb = new Float32Array(cfg.batchSize * size); // [batch, windowBars, nFeatures]
  const yb = new Int32Array(cfg.batchSize);
  try {
    for (let epoch = resume?.startEpoch ?? 0; epoch < cfg.epochs; epoch++) {
      const started = Date.now();
      const rng = makeRng(epochSeed(cfg.seed, epoch));
      const order = shuffledIndices(train.n, rng);
      let lossSum = 0;
      let hitSum = 0;
      for (let b = 0; b < nBatches; b++) {
        const idx = order.subarray(b * cfg.batchSize, Math.min(train.n, (b + 1) * cfg.batchSize));
        gatherBatch(train, idx, size, xb, yb);
        for (const d of dropouts) d.seed = Math.floor(rng() * 2 ** 31);
        const [loss, hits] = trainStep(model, optimizer, variables, cfg.weightDecay, xb, yb, idx.length, windowBars, nFeatures);
        lossSum += loss * idx.length;
        hitSum += hits;
        await callbacks.onBatchEnd?.(b, nBatches, loss);
      }
      const val = lossAndAccuracy(await predictWindows(model, data.val.x, data.val.n), data.val.y);
      const improved = val.loss < bestValLoss;
      if (improved) {
        bestValLoss = val.loss;
        bestEpoch = epoch;
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      const log: EpochLog = {
        epoch, loss: lossSum / train.n, acc: hitSum / train.n, valLoss: val.loss, valAcc: val.acc,
        improved, bestEpoch, bestValLoss, elapsedMs: Date.now() - started,
      };
      history.push(log);
      if ((await callbacks.onEpochEnd?.(log)) === 'stop') break;
      if (epoch - bestEpoch >= cfg.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
  return { history, bestEpoch, bestValLoss, epochsRun: history.length, stoppedEarly, config: cfg };
}

/** One Adam step on a batch; returns [mean loss, correct count]. Grad of each variable gets + wd * w. */
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
): [number, number] {
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
  const out: [number, number] = [loss.dataSync()[0]!, (hits as tf.Tensor | null)?.dataSync()[0] ?? 0];
  tf.dispose([loss, hits ?? []]);
  return out;
}
