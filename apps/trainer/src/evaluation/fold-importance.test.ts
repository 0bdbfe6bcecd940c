// Permutation importance is faithful on the real fused engine: two networks trained on windows whose class is carried
// by one feature only (its mean over the window), averaged and temperature-scaled as a fold's ensemble is. Shuffling
// that feature must cost clearly (log loss and accuracy); shuffling any other must cost about nothing, and a feature
// that is constant costs exactly nothing.
import { loadFusedLstm } from '@coinsphere/engine/node';
import { applyTemperature, initWeights, makeRng, type ModelConfig, type NamedWeight, type TrainingPart } from '@coinsphere/model/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FusedLstm } from '@coinsphere/engine';
import { fitFused } from '../training/fit-fused.ts';
import { FOLD_IMPORTANCE, foldImportance } from './fold-importance.ts';

const CONFIG: ModelConfig = { windowBars: 6, nFeatures: 4, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0 };
const NAMES = ['noise_a', 'signal', 'noise_b', 'constant'];
const SIGNAL = 1, CONSTANT = 3;

/** Windows whose class is the band of feature SIGNAL's mean over the window; the others are noise or constant. */
function windows(n: number, seed: number): TrainingPart {
  const rng = makeRng(seed);
  const { windowBars: T, nFeatures: F } = CONFIG;
  const x = new Float32Array(n * T * F); // [n, T, F]
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) x[(i * T + t) * F + f] = f === CONSTANT ? 0.5 : 2 * rng() - 1;
      mean += x[(i * T + t) * F + SIGNAL]! / T;
    }
    y[i] = mean > 0.12 ? 2 : mean < -0.12 ? 0 : 1;
  }
  return { x, y, n };
}

describe('permutation importance of a fold ensemble on the fused engine', () => {
  const s = {} as { engine: FusedLstm; members: NamedWeight[][] };
  const test = windows(600, 3);
  const calibrate = (raw: Float32Array) => applyTemperature(raw, 3, 1.2);

  beforeAll(async () => {
    s.engine = await loadFusedLstm(CONFIG, 1);
    s.members = [];
    for (const seed of [1, 2]) {
      s.engine.setWeights(initWeights(CONFIG, seed));
      await fitFused(s.engine, { train: windows(1500, 10 + seed), val: windows(300, 20 + seed) }, { epochs: 6, patience: 6, seed, learningRate: 0.01, batchSize: 32 });
      s.members.push(s.engine.getWeights());
    }
  }, 60_000);
  afterAll(() => s.engine?.dispose());

  it('finds the one feature that carries the label, and about nothing in the others', async () => {
    const imp = await foldImportance(s.engine, s.members, calibrate, test, NAMES);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const loss = imp.logLoss.map(mean), acc = imp.accuracy.map(mean);
    console.log(`[fold-importance] log-loss rise ${NAMES.map((n, f) => `${n} ${loss[f]!.toFixed(4)}`).join(', ')}; accuracy fall ${NAMES.map((n, f) => `${n} ${acc[f]!.toFixed(3)}`).join(', ')}`);
    expect(imp.rows).toHaveLength(600);
    expect(loss[SIGNAL]!).toBeGreaterThan(0.2);
    expect(acc[SIGNAL]!).toBeGreaterThan(0.15);
    for (const f of [0, 2]) {
      expect(Math.abs(loss[f]!)).toBeLessThan(loss[SIGNAL]! / 10);
      expect(Math.abs(acc[f]!)).toBeLessThan(0.05);
    }
    expect(imp.logLoss[CONSTANT]!.every((d) => d === 0)).toBe(true); // a constant column shuffles into itself
  });

  it('is deterministic for its seed and moves with it', async () => {
    const a = await foldImportance(s.engine, s.members, calibrate, test, NAMES);
    const b = await foldImportance(s.engine, s.members, calibrate, test, NAMES);
    const c = await foldImportance(s.engine, s.members, calibrate, test, NAMES, { ...FOLD_IMPORTANCE, seed: 99 });
    expect(b).toEqual(a);
    expect(c.logLoss[SIGNAL]).not.toEqual(a.logLoss[SIGNAL]);
  });
});
