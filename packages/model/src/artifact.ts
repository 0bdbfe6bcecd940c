// tfjs on top of the artifact format (artifact-io.ts): save LayersModels as an artifact and load an artifact into
// LayersModels, one per member of the ensemble, as runners of the one inference path. Imports only
// @tensorflow/tfjs, never a backend package.
import * as tf from '@tensorflow/tfjs';

import type { ArtifactPin } from './artifact-digest.ts';
import type { ReadArtifactFile, WriteArtifactFile } from './artifact-files.ts';
import { readArtifact, writeArtifact } from './artifact-io.ts';
import type { ArtifactMetadata, ArtifactMetadataInput } from './artifact-metadata.ts';
import { predictWithArtifact, type ModelInputs, type ModelPrediction, type NetworkRunner } from './inference.ts';
import { weightNames, type NamedWeight } from './init-weights.ts';
import { buildModel } from './lstm-model.ts';
import { predictWindows } from './predict.ts';

/** The weights of `model` as NamedWeight[] in getWeights() order. */
export async function layersModelWeights(model: tf.LayersModel, config: ArtifactMetadataInput['config']['model']): Promise<NamedWeight[]> {
  const names = weightNames(config);
  const tensors = model.getWeights();
  if (tensors.length !== names.length) throw new Error(`The model has ${tensors.length} weight tensors; the artifact format expects ${names.length}.`);
  return Promise.all(tensors.map(async (t, i) => ({ name: names[i]!, shape: [...t.shape], values: new Float32Array(await t.data()) })));
}

/**
 * Saves `models` (one per ensemble member, built by buildModel for the metadata's config) as an artifact and
 * returns the metadata as written. `seeds` name each member's seed (default: the training seed).
 */
export async function saveArtifact(models: tf.LayersModel | tf.LayersModel[], metadata: ArtifactMetadataInput, writeFile: WriteArtifactFile, seeds?: number[]): Promise<ArtifactMetadata> {
  const list = Array.isArray(models) ? models : [models];
  const members = await Promise.all(list.map((m) => layersModelWeights(m, metadata.config.model)));
  return writeArtifact(metadata, members, seeds ?? list.map((_, i) => metadata.config.training.seed + i), writeFile);
}

/** A loaded artifact: its verified metadata and one LayersModel per member (dispose them when done). */
export interface LoadedArtifact {
  metadata: ArtifactMetadata;
  models: tf.LayersModel[];
}

/** Reads and verifies an artifact (readArtifact, against the registry's `pin` when given) and builds each member as a LayersModel. */
export async function loadArtifact(readFile: ReadArtifactFile, pin?: ArtifactPin): Promise<LoadedArtifact> {
  const { metadata, members } = await readArtifact(readFile, pin);
  const models = members.map((weights) => {
    const model = buildModel(metadata.config.model, metadata.config.training.seed);
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
    return model;
  });
  return { metadata, models };
}

/** The members of a loaded artifact as runners of predictWithArtifact. */
export function tfjsRunners(models: readonly tf.LayersModel[]): NetworkRunner[] {
  return models.map((model) => ({ predict: (x, n) => predictWindows(model, x, n, Math.min(256, n)) }));
}

/** The tfjs reference prediction of a loaded artifact: the one inference path on its LayersModels. */
export function predictWithTfjs(loaded: LoadedArtifact, symbol: string, inputs: ModelInputs): Promise<ModelPrediction> {
  return predictWithArtifact(loaded.metadata, tfjsRunners(loaded.models), symbol, inputs);
}
