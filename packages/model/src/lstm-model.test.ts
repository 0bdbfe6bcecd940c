import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel, countParameters, DEFAULT_MODEL_CONFIG } from './lstm-model.ts';

describe('buildModel', () => {
  it('has the specification shape and 138,691 parameters', () => {
    const model = buildModel();
    expect(model.countParams()).toBe(138_691);
    expect(countParameters(DEFAULT_MODEL_CONFIG)).toBe(138_691);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    const lstm = model.getLayer('lstm_1').getConfig();
    expect(lstm.recurrentActivation).toBe('sigmoid');
    model.dispose();
  });

  it('gives the same initial weights for the same seed', () => {
    const a = buildModel(DEFAULT_MODEL_CONFIG, 7);
    const b = buildModel(DEFAULT_MODEL_CONFIG, 7);
    const c = buildModel(DEFAULT_MODEL_CONFIG, 8);
    const wa = a.getWeights()[0]!.dataSync();
    expect(Array.from(b.getWeights()[0]!.dataSync())).toEqual(Array.from(wa));
    expect(Array.from(c.getWeights()[0]!.dataSync())).not.toEqual(Array.from(wa));
    for (const m of [a, b, c]) m.dispose();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});

describe('weightNames', () => {
  it('names the weights in model.getWeights() order', async () => {
    const { weightNames, initWeights } = await import('./init-weights.ts');
    expect(weightNames(DEFAULT_MODEL_CONFIG)).toEqual(initWeights(DEFAULT_MODEL_CONFIG, 1).map((w) => w.name));
    expect(weightNames(DEFAULT_MODEL_CONFIG)).toHaveLength(buildModel().getWeights().length);
  });
});
