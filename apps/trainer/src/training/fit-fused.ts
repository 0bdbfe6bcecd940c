// The training loop on the fused WebAssembly engine, with fitTfjs's semantics so the two engines are
// interchangeable: seeded per-epoch shuffles, dropout masks from the same stream, PyTorch-style weight decay,
// early stopping on validation loss, best weights restored, the same EpochLog per epoch and the same resume state.
import type { FusedLstm } from '@coinsphere/engine';
import {
  argmax,
  epochSeed,
  gatherBatch,
  makeRng,
  resolveTrainingConfig,
  shuffledIndices,
  type EpochLog,
  type FitCallbacks,
  type FitResult,
  type NamedWeight,
  type ResumeState,
  type TrainingConfig,
  type TrainingPart,
} from '@coinsphere/model';

/** Hits of probabilities [n, k] against labels. */
function countHits(probs: Float32Array, y: Int32Array, k: number): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += argmax(probs, i * k, k) === y[i] ? 1 : 0;
  return hits;
}

/**
 * Trains `engine` on `data.train`, early-stopping on `data.val` loss; the engine holds the best epoch's weights
 * afterwards. Training loss and accuracy come from each batch's own forward pass, with dropout, before its step
 * (as fitTfjs, Keras and PyTorch report them).
 */
export async function fitFused(
  engine: FusedLstm,
  data: { train: TrainingPart; val: TrainingPart },
  config: Partial<TrainingConfig> = {},
  callbacks: FitCallbacks = {},
  resume?: ResumeState & { bestWeights?: NamedWeight[] },
): Promise<FitResult> {
  const cfg = resolveTrainingConfig(config);
  const { windowBars, nFeatures, nClasses } = engine.config;
  const size = windowBars * nFeatures;
  const { train, val } = data;
  const history: EpochLog[] = [];
  let bestEpoch = resume?.bestEpoch ?? -1;
  let bestValLoss = resume?.bestValLoss ?? Number.POSITIVE_INFINITY;
  let bestWeights: NamedWeight[] | null = resume?.bestWeights ?? null;
  let stoppedEarly = false;
  const nBatches = Math.ceil(train.n / cfg.batchSize);
  const xb = new Float32Array(cfg.batchSize * size); // [batch, windowBars, nFeatures]
  const yb = new Int32Array(cfg.batchSize);
  for (let epoch = resume?.startEpoch ?? 0; epoch < cfg.epochs; epoch++) {
    const started = Date.now();
    const rng = makeRng(epochSeed(cfg.seed, epoch));
    const order = shuffledIndices(train.n, rng);
    let lossSum = 0;
    let hitSum = 0;
    for (let b = 0; b < nBatches; b++) {
      const idx = order.subarray(b * cfg.batchSize, Math.min(train.n, (b + 1) * cfg.batchSize));
      gatherBatch(train, idx, size, xb, yb);
      const n = idx.length;
      const loss = engine.trainBatch(xb.subarray(0, n * size), yb.subarray(0, n), n, {
        learningRate: cfg.learningRate,
        weightDecay: cfg.weightDecay,
        beta1: cfg.beta1,
        beta2: cfg.beta2,
        epsilon: cfg.epsilon,
        seed: Math.floor(rng() * 2 ** 31),
      });
      lossSum += loss * n;
      hitSum += countHits(engine.lastTrainProbabilities(), yb.subarray(0, n), nClasses);
      await callbacks.onBatchEnd?.(b, nBatches, loss);
    }
    const v = engine.evaluate(val.x, val.y, val.n);
    const valAcc = countHits(v.probabilities, val.y, nClasses) / val.n;
    const improved = v.loss < bestValLoss;
    if (improved) {
      bestValLoss = v.loss;
      bestEpoch = epoch;
      bestWeights = engine.getWeights();
    }
    const log: EpochLog = {
      epoch, loss: lossSum / train.n, acc: hitSum / train.n, valLoss: v.loss, valAcc,
      improved, bestEpoch, bestValLoss, elapsedMs: Date.now() - started,
    };
    history.push(log);
    if ((await callbacks.onEpochEnd?.(log)) === 'stop') break;
    if (epoch - bestEpoch >= cfg.patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (bestWeights) engine.setWeights(bestWeights);
  return { history, bestEpoch, bestValLoss, epochsRun: history.length, stoppedEarly, config: cfg };
}
