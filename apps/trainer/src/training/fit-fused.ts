// The fused WebAssembly engine as a stepper of the shared training loop (fit-loop.ts in the model package), so
// the two engines are interchangeable: seeded per-epoch shuffles, dropout masks from the same stream,
// PyTorch-style weight decay, early stopping on validation loss, best weights restored, the same EpochLog per
// epoch and the same resume state.
import type { FusedLstm } from '@coinsphere/engine';
import {
  argmax,
  resolveTrainingConfig,
  runEpochs,
  type EpochStepper,
  type FitCallbacks,
  type FitResult,
  type NamedWeight,
  type ResumeState,
  type TrainingConfig,
  type TrainingPart,
} from '@coinsphere/model/core';

/** Hits of probabilities [n, k] against labels. */
export function countHits(probs: Float32Array, y: Int32Array, k: number): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += argmax(probs, i * k, k) === y[i] ? 1 : 0;
  return hits;
}

/** One training step's settings from the resolved config: Adam's, the weight decay, and the step's dropout seed drawn
 *  from the epoch's stream (the fused and WebGPU engines take the same). */
export function stepOptions(cfg: ReturnType<typeof resolveTrainingConfig>, rng: () => number) {
  return { learningRate: cfg.learningRate, weightDecay: cfg.weightDecay, beta1: cfg.beta1, beta2: cfg.beta2, epsilon: cfg.epsilon, seed: Math.floor(rng() * 2 ** 31) };
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
  const { val } = data;
  const stepper: EpochStepper<NamedWeight[]> = {
    trainBatch: (xb, yb, n, rng) => {
      const size = windowBars * nFeatures;
      const loss = engine.trainBatch(xb.subarray(0, n * size), yb.subarray(0, n), n, {
        ...stepOptions(cfg, rng),
      });
      return { loss, hits: countHits(engine.lastTrainProbabilities(), yb.subarray(0, n), nClasses) };
    },
    validate: () => {
      const v = engine.evaluate(val.x, val.y, val.n);
      return { loss: v.loss, acc: countHits(v.probabilities, val.y, nClasses) / val.n };
    },
    snapshot: () => engine.getWeights(),
    restore: (weights) => engine.setWeights(weights),
  };
  return runEpochs(stepper, data.train, windowBars * nFeatures, cfg, callbacks, resume && { ...resume, best: resume.bestWeights });
}
