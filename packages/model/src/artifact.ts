// Saving and loading a model artifact: model.json + one weight file in the standard tfjs LayersModel format
// (plain tf.loadLayersModel reads them) and metadata.json with sha256 of each file. File IO is passed in as
// callbacks, so this runs in Node, the browser and a Worker. Imports only @tensorflow/tfjs, never a backend.
import * as tf from '@tensorflow/tfjs';

import { type ArtifactMetadata, type ArtifactMetadataInput, parseArtifactMetadata } from './artifact-metadata.ts';
import { assertFeatureNames } from './dataset.ts';
import { modelInputShape } from './predict.ts';
import { ARTIFACT_FILES, sha256Hex, toBytes, type ReadArtifactFile, type WriteArtifactFile } from './artifact-files.ts';

/**
 * Writes the weight file, then model.json, then metadata.json (last, so a folder without it is incomplete) and
 * returns the metadata as written, with the files' sha256. Validates everything before writing anything:
 * throws when the metadata is invalid or does not match the model's input shape or FEATURE_NAMES.
 */
export async function saveArtifact(
  model: tf.LayersModel,
  metadata: ArtifactMetadataInput,
  writeFile: WriteArtifactFile,
): Promise<ArtifactMetadata> {
  const placeholder = '0'.repeat(64);
  const checked = parseArtifactMetadata({ ...metadata, files: { [ARTIFACT_FILES.model]: placeholder } });
  assertFeatureNames(checked.featureNames);
  assertMatchesModel(model, checked);
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('model.save gave no weights; nothing was written.');
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelJson = JSON.stringify({
    modelTopology: artifacts.modelTopology,
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [ARTIFACT_FILES.weights], weights: artifacts.weightSpecs }],
  });
  const full: ArtifactMetadata = {
    ...checked,
    files: { [ARTIFACT_FILES.model]: await sha256Hex(modelJson), [ARTIFACT_FILES.weights]: await sha256Hex(weights) },
  };
  await writeFile(ARTIFACT_FILES.weights, weights);
  await writeFile(ARTIFACT_FILES.model, modelJson);
  await writeFile(ARTIFACT_FILES.metadata, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

function assertMatchesModel(model: tf.LayersModel, m: ArtifactMetadata): void {
  const [windowBars, nFeatures] = modelInputShape(model);
  if (windowBars !== m.windowBars || nFeatures !== m.featureNames.length) {
    throw new Error(
      `Model input [${windowBars}, ${nFeatures}] does not match the metadata's windowBars ${m.windowBars} and ` +
        `${m.featureNames.length} features.`,
    );
  }
  if (m.normalizer.mean.length !== nFeatures || m.normalizer.std.length !== nFeatures) {
    throw new Error(`Normaliser has ${m.normalizer.mean.length} means and ${m.normalizer.std.length} stds; expected ${nFeatures}.`);
  }
}

async function readVerified(readFile: ReadArtifactFile, name: string, expected: string | undefined): Promise<Uint8Array> {
  if (expected === undefined) throw new Error(`metadata.json has no sha256 for ${name}; refusing to load an unverified file.`);
  let bytes: Uint8Array;
  try {
    bytes = toBytes(await readFile(name));
  } catch (cause) {
    throw new Error(`Cannot read artifact file ${name}.`, { cause });
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new Error(`Artifact file ${name} has sha256 ${actual} but metadata.json records ${expected}; the file was changed or damaged.`);
  }
  return bytes;
}

/** A loaded artifact: the tfjs model and its verified metadata. */
export interface LoadedArtifact {
  model: tf.LayersModel;
  metadata: ArtifactMetadata;
}

/**
 * Reads metadata.json, validates it, checks the feature schema against FEATURE_NAMES, verifies the sha256 of
 * model.json and every weight file it lists, then loads the model and checks its input shape. Refuses any
 * mismatch with an error naming what differs.
 */
export async function loadArtifact(readFile: ReadArtifactFile): Promise<LoadedArtifact> {
  const metaText = new TextDecoder().decode(toBytes(await readFile(ARTIFACT_FILES.metadata)));
  let json: unknown;
  try {
    json = JSON.parse(metaText);
  } catch (cause) {
    throw new Error('metadata.json is not valid JSON.', { cause });
  }
  const metadata = parseArtifactMetadata(json);
  assertFeatureNames(metadata.featureNames);
  const modelJson = JSON.parse(
    new TextDecoder().decode(await readVerified(readFile, ARTIFACT_FILES.model, metadata.files[ARTIFACT_FILES.model])),
  ) as tf.io.ModelJSON;
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of modelJson.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) buffers.push((await readVerified(readFile, path, metadata.files[path])).slice().buffer);
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: tf.io.concatenateArrayBuffers(buffers) }),
  );
  try {
    assertMatchesModel(model, metadata);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, metadata };
}
