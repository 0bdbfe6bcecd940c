import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { prepareDataset } from './dataset.ts';
import { FEATURE_NAMES } from './features.ts';
import { buildModel, type ModelConfig } from './lstm-model.ts';
import { applyTemperature } from './calibration.ts';
import { predictDirection, predictWindows } from './predict.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const candles = makeSyntheticCandles(300, 8);
const ds = prepareDataset(candles, { horizonDays: 7, windowBars: 10 });
const spec = {
  symbol: 'ETH', windowBars: 10, featureNames: FEATURE_NAMES, normalizer: ds.normalizer,
  horizonDays: 7, modelVersion: 'v1', temperature: 1,
};

describe('predictDirection', () => {
  it('returns probabilities summing to 1, the top class, as-of day and model version, and leaves no tensors', async () => {
    const model = buildModel(TINY, 4);
    await predictDirection(model, spec, candles); // warm up: backends may cache on first use
    const before = tf.memory().numTensors;
    const p = await predictDirection(model, spec, candles);
    expect(tf.memory().numTensors).toBe(before);
    const { bearish, neutral, bullish } = p.probabilities;
    expect(bearish + neutral + bullish).toBeCloseTo(1, 5);
    expect(p.confidence).toBe(Math.max(bearish, neutral, bullish));
    expect(p.probabilities[p.class]).toBe(p.confidence);
    expect(p.asOf).toBe(new Date(candles.at(-1)!.openTimeMs).toISOString().slice(0, 10));
    expect(p).toMatchObject({ horizonDays: 7, modelVersion: 'v1' });
    model.dispose();
  });

  it('applies the artifact temperature: T > 1 flattens the probabilities', async () => {
    const model = buildModel(TINY, 4);
    const p1 = await predictDirection(model, spec, candles);
    const p3 = await predictDirection(model, { ...spec, temperature: 3 }, candles);
    expect(p3.class).toBe(p1.class);
    expect(p3.confidence).toBeLessThan(p1.confidence);
    const sharp = applyTemperature(Float32Array.from([0.2, 0.3, 0.5]), 3, 0.5);
    expect(sharp[2]).toBeCloseTo(0.25 / (0.04 + 0.09 + 0.25), 6);
    model.dispose();
  });

  it('refuses too little history, naming the symbol and the days', async () => {
    const model = buildModel(TINY, 4);
    await expect(predictDirection(model, spec, candles.slice(0, 40))).rejects.toThrow(
      'Not enough history for ETH: 40 days available, 59 required',
    );
    model.dispose();
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
