// The two training engines behind one face: the fused WebAssembly LSTM (default, fast on a CPU) and the tfjs
// LayersModel (the reference; runs on any tfjs backend, GPU included). Both start from initWeights(config, seed)
// and both hand their weights to the same artifact writer (@coinsphere/model's writeArtifact, no tfjs in it).
import { loadFusedLstm } from '@coinsphere/engine/node';
import {
  buildModel,
  fitTfjs,
  initWeights,
  weightNames,
  predictWindows,
  type FitCallbacks,
  type FitResult,
  type ModelConfig,
  type NamedWeight,
  type ResumeState,
  type TrainingConfig,
  type TrainingPart,
} from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../backends.ts';
import { fitFused } from './fit-fused.ts';

export const ENGINES = ['fused', 'tfjs'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Parses --engine or throws listing the allowed names. */
export function parseEngine(value: string): EngineName {
  if ((ENGINES as readonly string[]).includes(value)) return value as EngineName;
  throw new Error(`Unsupported engine "${value}". Should be one of: ${ENGINES.join(', ')}.`);
}

/** A model being trained, whichever engine holds it. */
export interface TrainingEngine {
  name: EngineName;
  /** Where it runs, e.g. "fused WebAssembly SIMD, 2 threads" or "tfjs wasm". */
  detail: string;
  /** Short backend label stored with the run. */
  backend: string;
  /** Asynchronous: a GPU backend reads its buffers back only asynchronously in Node. */
  getWeights(): Promise<NamedWeight[]>;
  setWeights(weights: readonly NamedWeight[]): void;
  fit(
    data: { train: TrainingPart; val: TrainingPart },
    config: TrainingConfig,
    callbacks: FitCallbacks,
    resume?: ResumeState & { bestWeights?: NamedWeight[] },
  ): Promise<FitResult>;
  /** Probabilities [n, 3] for windows [n, windowBars, nFeatures], no dropout. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  dispose(): void;
}

async function toNamed(model: tf.LayersModel, config: ModelConfig): Promise<NamedWeight[]> {
  const names = weightNames(config);
  const tensors = model.getWeights();
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>)); // never dataSync: see getWeights
  return tensors.map((t, i) => ({ name: names[i] ?? `weight_${i}`, shape: [...t.shape], values: values[i]! }));
}

/** Creates the engine, initialised from initWeights(config, seed). */
export async function createTrainingEngine(
  name: EngineName,
  config: ModelConfig,
  seed: number,
  opts: { backend?: BackendName; threads?: number } = {},
): Promise<TrainingEngine> {
  if (name === 'fused') {
    const engine = await loadFusedLstm(config, opts.threads);
    engine.setWeights(initWeights(config, seed));
    return {
      name,
      detail: `fused WebAssembly SIMD engine, ${engine.threads} thread${engine.threads > 1 ? 's' : ''}`,
      backend: `fused-wasm-${engine.threads}t`,
      getWeights: async () => engine.getWeights(),
      setWeights: (w) => engine.setWeights(w),
      fit: (data, cfg, callbacks, resume) => fitFused(engine, data, cfg, callbacks, resume),
      predict: async (x, n) => engine.predict(x, n),
      dispose: () => engine.dispose(),
    };
  }
  const choice = await selectBackend(opts.backend ?? 'auto');
  const model = buildModel(config, seed);
  return {
    name,
    detail: `tfjs ${choice.tfBackend} backend (${choice.detail})`,
    backend: choice.name,
    getWeights: () => toNamed(model, config),
    setWeights: (w) => {
      const tensors = w.map((x) => tf.tensor(x.values, x.shape));
      model.setWeights(tensors);
      tf.dispose(tensors);
    },
    fit: async (data, cfg, callbacks, resume) => {
      const result = await fitTfjs(model, data, cfg, callbacks, resume);
      // fitTfjs restores only bests it saw; a best from before a resume comes from the checkpoint.
      if (resume?.bestWeights && result.bestEpoch < resume.startEpoch) {
        const tensors = resume.bestWeights.map((x) => tf.tensor(x.values, x.shape));
        model.setWeights(tensors);
        tf.dispose(tensors);
      }
      return result;
    },
    predict: (x, n) => predictWindows(model, x, n),
    dispose: () => model.dispose(),
  };
}
