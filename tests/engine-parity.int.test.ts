// The fused WebAssembly engine against tfjs (cpu backend) as the reference: forward probabilities, gradients
// of every weight, and a 5-epoch Adam run from the same weights and batches. Crosses @coinsphere/model (tfjs
// model, initial weights) and @coinsphere/engine.
import { readFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildModel, DEFAULT_MODEL_CONFIG, initWeights, makeRng, prepareDataset, type Candle, type ModelConfig, type NamedWeight,
} from '@coinsphere/model';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { describeWithSharedData, sharedData } from './support/shared-data.ts';

const SMALL: ModelConfig = { windowBars: 12, nFeatures: 5, lstmUnits: [12, 8, 4], denseUnits: 6, nClasses: 3, dropout: 0.2 };

/** Weights with every tensor (biases included) uniform in [-scale, scale]. */
function randomWeights(config: ModelConfig, seed: number, scale = 0.3): NamedWeight[] {
  const rng = makeRng(seed);
  return initWeights(config, seed).map((w) => ({ ...w, values: w.values.map(() => (rng() * 2 - 1) * scale) }));
}

function randomBatch(config: ModelConfig, n: number, seed: number) {
  const rng = makeRng(seed);
  const x = new Float32Array(n * config.windowBars * config.nFeatures).map(() => rng() * 4 - 2); // [n, T, F]
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng() * config.nClasses));
  return { x, labels };
}

function tfjsModel(config: ModelConfig, weights: NamedWeight[]): tf.LayersModel {
  const model = buildModel(config, 1);
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

function tfjsLoss(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const p = model.apply(x, { training: false }) as tf.Tensor; // [n, C]
  return tf.neg(tf.mean(tf.log(tf.sum(tf.mul(p, labels), 1)))) as tf.Scalar;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused engine vs tfjs', () => {
  const engines: Array<{ dispose(): void }> = [];
  afterAll(() => engines.forEach((e) => e.dispose()));

  it('gives the full-size model the same probabilities within 1e-5 on random weights and windows', async () => {
    const config = DEFAULT_MODEL_CONFIG;
    const weights = randomWeights(config, 11, 0.15);
    const { x } = randomBatch(config, 6, 12);
    const model = tfjsModel(config, weights);
    const expected = tf.tidy(() => (model.predict(tf.tensor3d(x, [6, 90, 20])) as tf.Tensor).dataSync());
    model.dispose();
    for (const threads of [1, 2]) {
      const engine = await loadFusedLstm(config, threads);
      engines.push(engine);
      engine.setWeights(weights);
      const got = engine.predict(x, 6);
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
      expect(got.length).toBe(18);
    }
  });

  it('gives every weight the same gradient as tfjs autograd within 1e-4 relative', async () => {
    const weights = randomWeights(SMALL, 21, 0.5);
    const n = 7;
    const { x, labels } = randomBatch(SMALL, n, 22);
    const model = tfjsModel(SMALL, weights);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const xt = tf.tensor3d(x, [n, SMALL.windowBars, SMALL.nFeatures]);
    const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), SMALL.nClasses);
    const { value, grads } = tf.variableGrads(() => tfjsLoss(model, xt, yt), vars);
    const engine = await loadFusedLstm(SMALL, 1);
    engines.push(engine);
    engine.setWeights(weights);
    const got = engine.gradients(x, labels, n);
    expect(got.map((g) => g.shape)).toEqual(weights.map((w) => w.shape));
    got.forEach((g, i) => {
      const ref = grads[vars[i]!.name]!.dataSync();
      const scale = Math.max(...Array.from(ref, Math.abs));
      expect(scale, `${g.name} has a non-zero gradient`).toBeGreaterThan(0);
      for (let k = 0; k < ref.length; k++) {
        const err = Math.abs(g.values[k]! - ref[k]!) / (Math.abs(ref[k]!) + 1e-3 * scale);
        if (err > 1e-4) expect.fail(`${g.name}[${k}]: engine ${g.values[k]} vs tfjs ${ref[k]}`);
      }
    });
    expect(engine.evaluate(x, labels, n).loss).toBeCloseTo(value.dataSync()[0]!, 5);
    tf.dispose([value, xt, yt, ...Object.values(grads)]);
    model.dispose();
  });

  it('tracks a 5-epoch tfjs Adam run (dropout off, weight decay on) within 1% per epoch', async () => {
    const weights = initWeights(SMALL, 31);
    const n = 64, batch = 16, lr = 1e-2, wd = 1e-5;
    const { x, labels } = randomBatch(SMALL, n, 32);
    const step = SMALL.windowBars * SMALL.nFeatures;
    const batches = Array.from({ length: n / batch }, (_, b) => ({
      x: x.slice(b * batch * step, (b + 1) * batch * step),
      labels: labels.slice(b * batch, (b + 1) * batch),
    }));

    const model = tfjsModel(SMALL, weights);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-7);
    const engine = await loadFusedLstm(SMALL, 2);
    engines.push(engine);
    engine.setWeights(weights);
    for (let epoch = 0; epoch < 5; epoch++) {
      let tfjsSum = 0, fusedSum = 0;
      for (const b of batches) {
        tfjsSum += tf.tidy(() => {
          const xt = tf.tensor3d(b.x, [batch, SMALL.windowBars, SMALL.nFeatures]);
          const yt = tf.oneHot(tf.tensor1d(b.labels, 'int32'), SMALL.nClasses);
          const { value, grads } = tf.variableGrads(() => tfjsLoss(model, xt, yt), vars);
          // PyTorch-style weight decay: g += wd · w
          optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.add(grads[v.name]!, tf.mul(v, wd)) })));
          return value.dataSync()[0]!;
        });
        fusedSum += engine.trainBatch(b.x, b.labels, batch, { learningRate: lr, weightDecay: wd, dropout: 0 });
      }
      const tfjsLossEpoch = tfjsSum / batches.length, fusedLossEpoch = fusedSum / batches.length;
      expect(Math.abs(fusedLossEpoch - tfjsLossEpoch) / tfjsLossEpoch, `epoch ${epoch + 1}`).toBeLessThan(0.01);
      if (epoch === 4) expect(fusedLossEpoch).toBeLessThan(Math.log(3)); // it learned something
    }
    optimizer.dispose();
    model.dispose();
  });
});

/** coin_<Name>.csv: SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap. */
function readKaggle(file: string): Candle[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => {
    const [, , , date, high, low, open, close, volume, cap] = line.split(',').map((v, i) => (i === 3 ? v : Number(v))) as [
      number, string, string, string, number, number, number, number, number, number,
    ];
    return {
      openTimeMs: Date.parse(`${date.slice(0, 10)}T00:00:00Z`), open, high, low, close,
      baseVolume: null, quoteVolumeUsd: volume, marketCapUsd: cap > 0 ? cap : null,
    };
  });
}

describeWithSharedData('fused engine vs tfjs on real BTC windows', () => {
  it('gives the same probabilities within 1e-5 on the last test windows, before and after training', async () => {
    const daily = readKaggle(sharedData('kaggle-cryptocurrency-historical-prices', 'coin_Bitcoin.csv'));
    const { train, test } = prepareDataset(daily, { horizonDays: 7, windowBars: 90 });
    const config = DEFAULT_MODEL_CONFIG, step = config.windowBars * config.nFeatures, n = 8;
    const x = test.x.slice((test.n - n) * step); // [8, 90, 20]
    const engine = await loadFusedLstm(config, 2);
    engine.setWeights(initWeights(config, 5));
    for (let b = 0; b < 3; b++)
      engine.trainBatch(train.x.subarray(b * 32 * step, (b + 1) * 32 * step), train.y.subarray(b * 32, (b + 1) * 32), 32);
    for (const weights of [initWeights(config, 5), engine.getWeights()]) {
      const model = tfjsModel(config, weights);
      const expected = tf.tidy(() => (model.predict(tf.tensor3d(x, [n, 90, 20])) as tf.Tensor).dataSync());
      model.dispose();
      engine.setWeights(weights);
      const got = engine.predict(x, n);
      expect(got.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0)).toBeLessThan(1e-5);
    }
    engine.dispose();
  });
});
