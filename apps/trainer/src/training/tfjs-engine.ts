// The tfjs training engine (the reference: any tfjs backend, GPU included) behind engines.ts's TrainingEngine.
// Imported by createTrainingEngine only when --engine tfjs is asked for, so no other run loads tfjs.
import {
  buildModel,
  fitTfjs,
  predictWindows,
  weightNames,
  type ModelConfig,
  type NamedWeight,
} from '@coinsphere/model';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backends.ts';
import type { BackendName } from '../backend-names.ts';
import type { TrainingEngine } from './training-engine.ts';

async function toNamed(model: tf.LayersModel, config: ModelConfig): Promise<NamedWeight[]> {
  const names = weightNames(config);
  const tensors = model.getWeights();
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>)); // never dataSync: see getWeights
  return tensors.map((t, i) => ({ name: names[i] ?? `weight_${i}`, shape: [...t.shape], values: values[i]! }));
}

/** A tfjs LayersModel on `backend`, initialised from initWeights(config, seed) as buildModel does. */
export async function createTfjsEngine(config: ModelConfig, seed: number, backend: BackendName): Promise<TrainingEngine> {
  const choice = await selectBackend(backend);
  const model = buildModel(config, seed);
  return {
    name: 'tfjs',
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
