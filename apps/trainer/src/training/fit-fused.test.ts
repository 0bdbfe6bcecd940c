import { loadFusedLstm } from '@coinsphere/engine/node';
import { initWeights, makeRng, type ModelConfig, type TrainingPart } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { fitFused } from './fit-fused.ts';

const CONFIG: ModelConfig = { windowBars: 12, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };

/** Windows whose class is readable from the mean of feature 0, so a model can learn them. */
function learnable(n: number, seed: number): TrainingPart {
  const rng = makeRng(seed);
  const size = CONFIG.windowBars * CONFIG.nFeatures;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < size; j++) x[i * size + j] = (rng() - 0.5) + (j % CONFIG.nFeatures === 0 ? (y[i]! - 1) * 1.5 : 0);
  }
  return { x, y, n };
}

async function run(seed: number, epochs: number) {
  const engine = await loadFusedLstm(CONFIG, 2);
  try {
    engine.setWeights(initWeights(CONFIG, seed));
    const result = await fitFused(engine, { train: learnable(96, 1), val: learnable(48, 2) }, { epochs, seed, patience: 50, learningRate: 0.01 });
    return { result, weights: engine.getWeights() };
  } finally {
    engine.dispose();
  }
}

describe('fitFused', () => {
  it('lowers the loss on learnable data and keeps the best epoch', async () => {
    const { result } = await run(5, 12);
    const first = result.history[0]!;
    const best = result.history[result.bestEpoch]!;
    expect(best.valLoss).toBeLessThan(first.valLoss * 0.8);
    expect(best.valLoss).toBe(Math.min(...result.history.map((h) => h.valLoss)));
    expect(result.history.at(-1)!.acc).toBeGreaterThan(0.5);
  });

  it('gives the same history and weights for the same seed, and different ones for another seed', async () => {
    const a = await run(9, 3);
    const b = await run(9, 3);
    const c = await run(10, 3);
    expect(b.result.history.map((h) => h.loss)).toEqual(a.result.history.map((h) => h.loss));
    expect(Array.from(b.weights[0]!.values)).toEqual(Array.from(a.weights[0]!.values));
    expect(c.result.history.map((h) => h.loss)).not.toEqual(a.result.history.map((h) => h.loss));
  });

  it('stops early after `patience` epochs without a better validation loss', async () => {
    const engine = await loadFusedLstm(CONFIG, 1);
    try {
      engine.setWeights(initWeights(CONFIG, 1));
      // Labels unrelated to the windows: validation loss stops improving quickly at a high learning rate.
      const noise = learnable(64, 3);
      const val = { ...learnable(32, 4), y: Int32Array.from({ length: 32 }, (_, i) => (i * 7) % 3) };
      const result = await fitFused(engine, { train: { ...noise, y: noise.y.map((_, i) => (i * 5) % 3) }, val }, { epochs: 60, patience: 3, learningRate: 0.05 });
      expect(result.stoppedEarly).toBe(true);
      expect(result.epochsRun).toBe(result.bestEpoch + 4);
    } finally {
      engine.dispose();
    }
  });
});
