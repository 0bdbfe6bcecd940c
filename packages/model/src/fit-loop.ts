// The one training loop every engine runs: seeded per-epoch shuffles, batches gathered from the training part,
// early stopping on validation loss with the best weights kept and restored, one EpochLog per epoch, resume.
// Engines plug in as an EpochStepper (tfjs in train-tfjs.ts, the fused WebAssembly engine in the trainer).
// Must not import tfjs.
import { makeRng, shuffledIndices, weightedIndices, type Rng } from './random.ts';
import type { TrainingConfig } from './training-config.ts';

/** Windows and labels of one part (a DatasetPart satisfies it). x: [n, windowBars, nFeatures], y: [n]. */
export interface TrainingPart {
  x: Float32Array;
  y: Int32Array;
  n: number;
  /** Relative sampling weights [n] (e.g. recencyWeights): each epoch then draws its samples with replacement in
   *  proportion to them, instead of a shuffled subset. Unset: every sample equally, without replacement. */
  weights?: Float64Array;
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

/** Outcome of a fit. The model holds the best epoch's weights afterwards. */
export interface FitResult {
  history: EpochLog[];
  bestEpoch: number;
  bestValLoss: number;
  epochsRun: number;
  stoppedEarly: boolean;
  config: TrainingConfig;
}

/** What one engine does inside the loop. W is its copy of the weights. */
export interface EpochStepper<W> {
  /**
   * One optimiser step on the batch xb [n, windowBars, nFeatures] / yb [n] (the buffers are batchSize long;
   * use the first n). `rng` is the epoch's stream, for the step's dropout seeds. Returns the batch's mean loss
   * and correct count before the step.
   */
  trainBatch(xb: Float32Array, yb: Int32Array, n: number, rng: Rng): { loss: number; hits: number } | Promise<{ loss: number; hits: number }>;
  /** Mean loss and accuracy on the validation part, without dropout. */
  validate(): { loss: number; acc: number } | Promise<{ loss: number; acc: number }>;
  /** A copy of the current weights. */
  snapshot(): W;
  /** Puts `weights` back. */
  restore(weights: W): void;
  /** Frees a snapshot that is no longer needed (tensors); optional. */
  release?(weights: W): void;
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

/**
 * Runs epochs of `stepper` over `train` (`size` = windowBars * nFeatures floats per sample) until cfg.epochs or
 * cfg.patience epochs without a lower validation loss; leaves the best epoch's weights in place. With `resume`,
 * starts at resume.startEpoch with its early-stopping state, and `resume.best` as the best weights so far.
 */
export async function runEpochs<W>(
  stepper: EpochStepper<W>,
  train: TrainingPart,
  size: number,
  cfg: TrainingConfig,
  callbacks: FitCallbacks = {},
  resume?: ResumeState & { best?: W },
): Promise<FitResult> {
  const history: EpochLog[] = [];
  let bestEpoch = resume?.bestEpoch ?? -1;
  let bestValLoss = resume?.bestValLoss ?? Number.POSITIVE_INFINITY;
  let best: W | null = resume?.best ?? null;
  let stoppedEarly = false;
  const perEpoch = cfg.samplesPerEpoch > 0 ? Math.min(cfg.samplesPerEpoch, train.n) : train.n;
  const nBatches = Math.ceil(perEpoch / cfg.batchSize);
  const xb = new Float32Array(cfg.batchSize * size); // [batch, windowBars, nFeatures]
  const yb = new Int32Array(cfg.batchSize);
  try {
    for (let epoch = resume?.startEpoch ?? 0; epoch < cfg.epochs; epoch++) {
      const started = Date.now();
      const rng = makeRng(epochSeed(cfg.seed, epoch));
      const order = train.weights
        ? weightedIndices(train.weights, perEpoch, rng) // drawn in proportion to the weights, from the same stream
        : shuffledIndices(train.n, rng).subarray(0, perEpoch); // a fresh random subset when capped
      let lossSum = 0;
      let hitSum = 0;
      for (let b = 0; b < nBatches; b++) {
        const idx = order.subarray(b * cfg.batchSize, Math.min(perEpoch, (b + 1) * cfg.batchSize));
        gatherBatch(train, idx, size, xb, yb);
        const { loss, hits } = await stepper.trainBatch(xb, yb, idx.length, rng);
        lossSum += loss * idx.length;
        hitSum += hits;
        await callbacks.onBatchEnd?.(b, nBatches, loss);
      }
      const val = await stepper.validate();
      const improved = val.loss < bestValLoss;
      if (improved) {
        bestValLoss = val.loss;
        bestEpoch = epoch;
        if (best !== null) stepper.release?.(best);
        best = stepper.snapshot();
      }
      const log: EpochLog = {
        epoch, loss: lossSum / perEpoch, acc: hitSum / perEpoch, valLoss: val.loss, valAcc: val.acc,
        improved, bestEpoch, bestValLoss, elapsedMs: Date.now() - started,
      };
      history.push(log);
      if ((await callbacks.onEpochEnd?.(log)) === 'stop') break;
      if (epoch - bestEpoch >= cfg.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (best !== null) stepper.restore(best);
  } finally {
    if (best !== null) stepper.release?.(best);
  }
  return { history, bestEpoch, bestValLoss, epochsRun: history.length, stoppedEarly, config: cfg };
}
