import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { prepareDataset } from './dataset.ts';
import { buildModel, type ModelConfig } from './lstm-model.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import type { EpochLog } from './fit-loop.ts';
import { fitTfjs } from './train-tfjs.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const ds = prepareDataset(makeSyntheticCandles(420, 21), { horizonDays: 7, windowBars: 10 });

describe('fitTfjs', () => {
  it('lowers the training loss on a tiny model and reports every epoch', async () => {
    const model = buildModel(TINY, 1);
    const logs: EpochLog[] = [];
    let batches = 0;
    const result = await fitTfjs(model, ds, { epochs: 6, learningRate: 0.01, patience: 100 }, {
      onEpochEnd: (log) => void logs.push(log),
      onBatchEnd: () => void batches++,
    });
    expect(result.epochsRun).toBe(6);
    expect(logs.map((l) => l.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches).toBe(6 * Math.ceil(ds.train.n / 32));
    expect(logs.at(-1)!.loss).toBeLessThan(logs[0]!.loss);
    expect(result.bestValLoss).toBe(Math.min(...logs.map((l) => l.valLoss)));
    model.dispose();
  });

  it('gives identical weights and metrics for the same seed and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const model = buildModel(TINY, 1);
      const r = await fitTfjs(model, ds, { epochs: 2, seed });
      const w = Array.from(model.getWeights()[0]!.dataSync());
      model.dispose();
      return { losses: r.history.map((h) => [h.loss, h.valLoss]), w };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = buildModel(TINY, 2);
    let bestWeights: number[] = [];
    const result = await fitTfjs(model, ds, { epochs: 30, patience: 2, learningRate: 0.05 }, {
      onEpochEnd: (log) => {
        if (log.improved) bestWeights = Array.from(model.getWeights()[0]!.dataSync());
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(result.bestEpoch + 3);
    expect(Array.from(model.getWeights()[0]!.dataSync())).toEqual(bestWeights);
    model.dispose();
  });

  it('leaves no tensors behind', async () => {
    const model = buildModel(TINY, 3);
    const before = tf.memory().numTensors;
    await fitTfjs(model, ds, { epochs: 1 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
