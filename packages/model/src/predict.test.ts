import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { loadArtifact, saveArtifact, tfjsRunners } from './artifact.ts';
import { metadataFromDataset } from './artifact-metadata.ts';
import { prepareDataset } from './dataset.ts';
import { predictWithArtifact } from './inference.ts';
import { buildModel, type ModelConfig } from './lstm-model.ts';
import { applyTemperature } from './calibration.ts';
import { predictWindows } from './predict.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const candles = makeSyntheticCandles(300, 8);
const ds = prepareDataset(candles, { horizonDays: 7, windowBars: 10 });

describe('tfjs runners on the one inference path', () => {
  it('predict through the artifact with probabilities summing to 1 and leave no tensors behind', async () => {
    const model = buildModel(TINY, 4);
    const files = new Map<string, Uint8Array | string>();
    const meta = metadataFromDataset(ds, { symbol: 'ETH', modelVersion: 'v1', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
    await saveArtifact(model, meta, async (name, data) => void files.set(name, data));
    const { metadata, models } = await loadArtifact(async (name) => files.get(name)!);
    const runners = tfjsRunners(models);
    await predictWithArtifact(metadata, runners, 'ETH', { candles }); // warm up: backends may cache on first use
    const before = tf.memory().numTensors;
    const p = await predictWithArtifact(metadata, runners, 'ETH', { candles });
    expect(tf.memory().numTensors).toBe(before);
    const { bearish, neutral, bullish } = p.probabilities;
    expect(bearish + neutral + bullish).toBeCloseTo(1, 5);
    expect(p.probabilities[p.class]).toBe(p.confidence);
    expect(p).toMatchObject({ horizonDays: 7, modelVersion: 'v1', signal: 'clear' });
    for (const m of [model, ...models]) m.dispose();
  });

  it('applies a temperature: T > 1 flattens the probabilities', () => {
    const sharp = applyTemperature(Float32Array.from([0.2, 0.3, 0.5]), 3, 0.5);
    expect(sharp[2]).toBeCloseTo(0.25 / (0.04 + 0.09 + 0.25), 6);
  });
});

describe('predictWindows', () => {
  it('gives the same probabilities whatever the batch size', async () => {
    const model = buildModel(TINY, 4);
    const a = await predictWindows(model, ds.test.x, ds.test.n, 256);
    const b = await predictWindows(model, ds.test.x, ds.test.n, 7);
    expect(a.length).toBe(ds.test.n * 3);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
    await expect(predictWindows(model, ds.test.x, ds.test.n + 1)).rejects.toThrow(/expected/);
    model.dispose();
  });
});
