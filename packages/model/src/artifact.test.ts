import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { artifactDigest } from './artifact-digest.ts';
import { ARTIFACT_FILES } from './artifact-files.ts';
import { readArtifactMetadata } from './artifact-io.ts';
import { loadArtifact, saveArtifact } from './artifact.ts';
import { layersModelTopology } from './lstm-topology.ts';
import { metadataFromDataset } from './artifact-metadata.ts';
import { evaluateOnRows } from './baselines.ts';
import { prepareDataset } from './dataset.ts';
import { buildModel, DEFAULT_MODEL_CONFIG, type ModelConfig } from './lstm-model.ts';
import { predictWindows } from './predict.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const ds = prepareDataset(makeSyntheticCandles(400, 4), { horizonDays: 7, windowBars: 10 });

async function saveToMap(model: tf.LayersModel, config: ModelConfig) {
  const files = new Map<string, Uint8Array | string>();
  const probs = await predictWindows(model, ds.test.x, ds.test.n);
  const metadata = metadataFromDataset(ds, {
    symbol: 'TEST',
    modelVersion: 'v-test',
    dataSource: 'synthetic',
    modelConfig: config,
    trainingConfig: DEFAULT_TRAINING_CONFIG,
    metrics: { test: evaluateOnRows(probs, ds.test, ds.train.y) },
  });
  const saved = await saveArtifact(model, metadata, async (name, data) => void files.set(name, data));
  const read = async (name: string) => {
    const f = files.get(name);
    if (f === undefined) throw new Error(`no file ${name}`);
    return f;
  };
  return { files, saved, probs, read };
}

/** A load handler written without any of our code: what any tfjs user would do with the two files. */
function plainHandler(files: Map<string, Uint8Array | string>): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(files.get('model.json') as string) as tf.io.ModelJSON;
      const manifest = json.weightsManifest[0]!;
      const bytes = files.get(manifest.paths[0]!) as Uint8Array;
      return { modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: bytes.slice().buffer };
    },
  };
}

describe('artifact', () => {
  it('round-trips to identical probabilities through loadArtifact and through plain tf.loadLayersModel', async () => {
    const model = buildModel(TINY, 9);
    const { files, saved, probs, read } = await saveToMap(model, TINY);
    expect([...files.keys()]).toEqual([ARTIFACT_FILES.weights, ARTIFACT_FILES.model, ARTIFACT_FILES.metadata]); // metadata last
    expect(saved.files[ARTIFACT_FILES.weights]).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.temperature).toBe(1);
    const loaded = await loadArtifact(read);
    expect(loaded.metadata).toEqual(saved);
    expect(Array.from(await predictWindows(loaded.models[0]!, ds.test.x, ds.test.n))).toEqual(Array.from(probs));
    const plain = await tf.loadLayersModel(plainHandler(files));
    expect(Array.from(await predictWindows(plain, ds.test.x, ds.test.n))).toEqual(Array.from(probs));
    for (const m of [model, ...loaded.models, plain]) m.dispose();
  });

  it('writes the topology tfjs itself writes for the model, without tfjs', async () => {
    const model = buildModel(TINY, 42);
    let topology: unknown;
    await model.save(tf.io.withSaveHandler(async (a) => ((topology = a.modelTopology), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    // tfjs numbers its input layer per process ("input1", "input2", …); ours is always input1.
    const rename = (json: string) => json.replace(/"input\d+"/g, '"input1"');
    expect(rename(JSON.stringify(layersModelTopology(TINY, 42)))).toBe(rename(JSON.stringify(topology)));
    model.dispose();
  });

  it('saves the specification model so that plain tfjs loads all 138,691 parameters', async () => {
    const big = prepareDataset(makeSyntheticCandles(400, 4), { horizonDays: 7, windowBars: 90 });
    const model = buildModel(DEFAULT_MODEL_CONFIG, 1);
    const files = new Map<string, Uint8Array | string>();
    const metadata = metadataFromDataset(big, {
      symbol: 'TEST', modelVersion: 'v', dataSource: 'synthetic', modelConfig: DEFAULT_MODEL_CONFIG,
      trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null,
    });
    await saveArtifact(model, metadata, async (name, data) => void files.set(name, data));
    const plain = await tf.loadLayersModel(plainHandler(files));
    expect(plain.countParams()).toBe(138_691);
    expect(plain.getLayer('lstm_1').getConfig().recurrentActivation).toBe('sigmoid');
    for (const m of [model, plain]) m.dispose();
  });

  it('refuses a changed weight file, naming the file and both hashes', async () => {
    const model = buildModel(TINY, 9);
    const { files, read } = await saveToMap(model, TINY);
    const bytes = (files.get(ARTIFACT_FILES.weights) as Uint8Array).slice();
    bytes[10] = bytes[10]! ^ 1;
    files.set(ARTIFACT_FILES.weights, bytes);
    await expect(loadArtifact(read)).rejects.toThrow(/group1-shard1of1.bin has sha256 [0-9a-f]{64} but metadata.json records/);
    model.dispose();
  });

  it('refuses a metadata.json edited after registration (temperature, normaliser, a weight hash) once pinned by its digest', async () => {
    const model = buildModel(TINY, 9);
    const { files, saved, read } = await saveToMap(model, TINY);
    const pin = { digest: await artifactDigest(files.get(ARTIFACT_FILES.metadata)!), model: 'TEST 7d v-test', registered: saved as unknown as Record<string, unknown> };
    expect((await loadArtifact(read, pin)).metadata).toEqual(saved); // the registered bytes load
    const meta = JSON.parse(files.get(ARTIFACT_FILES.metadata) as string);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, temperature: 0.05 }, null, 2));
    await expect(loadArtifact(read)).resolves.toBeDefined(); // without the registry's pin the edit would be used: the gap a pin closes
    await expect(loadArtifact(read, pin)).rejects.toThrow(/metadata\.json of model TEST 7d v-test has sha256 [0-9a-f]{64} but the registry records [0-9a-f]{64}: it changed after the model was registered \(changed: temperature \(registered 1, now 0\.05\)\)/);
    const own = meta.normalization.bySymbol.TEST;
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, normalization: { ...meta.normalization, bySymbol: { TEST: { ...own, mean: own.mean.map(() => 0) } } } }));
    await expect(readArtifactMetadata(read, pin)).rejects.toThrow(/changed: normalization\)/);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, files: { ...meta.files, [ARTIFACT_FILES.weights]: '0'.repeat(64) } })); // to slip in other weights
    await expect(readArtifactMetadata(read, pin)).rejects.toThrow(/changed: files\)/);
    await expect(readArtifactMetadata(read, { ...pin, digest: null })).rejects.toThrow(/TEST 7d v-test is registered without an artifact digest.*Retrain the model/);
    model.dispose();
  });

  it('refuses a different feature schema or invalid metadata, naming what differs', async () => {
    const model = buildModel(TINY, 9);
    const { files, read } = await saveToMap(model, TINY);
    const meta = JSON.parse(files.get(ARTIFACT_FILES.metadata) as string);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, featureNames: [...meta.featureNames.slice(0, 19), 'fear_greed'] }));
    await expect(loadArtifact(read)).rejects.toThrow(/column 19: the model expects "fear_greed".*"sentiment_neg"/);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, windowBars: -1 }));
    await expect(loadArtifact(read)).rejects.toThrow(/metadata.json is invalid: windowBars/);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, schemaVersion: 1 }));
    await expect(loadArtifact(read)).rejects.toThrow(/schemaVersion 1; this code reads version 2/);
    files.set(ARTIFACT_FILES.metadata, JSON.stringify({ ...meta, windowBars: 11 }));
    await expect(loadArtifact(read)).rejects.toThrow(/The network takes \[10, 20\] windows but the metadata says windowBars 11/);
    model.dispose();
  });

  it('writes nothing when the metadata does not fit the model', async () => {
    const model = buildModel(TINY, 9);
    const written: string[] = [];
    const metadata = metadataFromDataset(prepareDataset(makeSyntheticCandles(400, 4), { horizonDays: 7, windowBars: 12 }), {
      symbol: 'TEST', modelVersion: 'v', dataSource: 'synthetic', modelConfig: TINY,
      trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null,
    });
    await expect(saveArtifact(model, metadata, async (name) => void written.push(name))).rejects.toThrow(/windowBars 12/);
    const nan = buildModel(TINY, 9);
    nan.setWeights(nan.getWeights().map((w, i) => (i === 0 ? tf.fill(w.shape, Number.NaN) : w)));
    const ok = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: 'v', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
    await expect(saveArtifact(nan, ok, async (name) => void written.push(name))).rejects.toThrow(/lstm_1\/kernel of member 0 holds a non-finite value/);
    nan.dispose();
    expect(written).toEqual([]);
    model.dispose();
  });
});
