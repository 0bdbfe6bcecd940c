import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';

import { initWeights, type ModelConfig } from '@coinsphere/model/core';
import { createFusedLstm } from './fused-lstm.ts';
import { loadFusedLstm, WASM_URL } from './node.ts';

const SMALL: ModelConfig = { windowBars: 10, nFeatures: 4, lstmUnits: [8, 8, 4], denseUnits: 5, nClasses: 3, dropout: 0.2 };
const STEP = SMALL.windowBars * SMALL.nFeatures;

function batch(n: number): { x: Float32Array; labels: Int32Array } {
  const x = new Float32Array(n * STEP).map((_, i) => Math.sin(i * 0.37)); // [n, T, F]
  return { x, labels: Int32Array.from({ length: n }, (_, i) => i % 3) };
}

describe('fused engine', () => {
  const disposers: Array<() => void> = [];
  afterAll(() => disposers.forEach((d) => d()));

  it('refuses bad input with an error naming the value, before entering wasm', async () => {
    const engine = await loadFusedLstm(SMALL, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(SMALL, 1));
    const { x } = batch(2);
    expect(() => engine.predict(x.subarray(0, STEP + 4), 1)).toThrow(/window length and feature count/);
    expect(() => engine.predict(x, 0)).toThrow(/positive integer; got 0/);
    const bad = x.slice();
    bad[STEP + 5] = Number.NaN;
    expect(() => engine.predict(bad, 2)).toThrow(/window 1, bar 1, feature 1\) is NaN/);
    expect(() => engine.trainBatch(x, Int32Array.from([0, 3]), 2)).toThrow(/labels\[1\] is 3/);
    expect(() => engine.setWeights(initWeights(SMALL, 1).slice(1))).toThrow(/Expected 13 weight tensors/);
    await expect(createFusedLstm({ config: { ...SMALL, lstmUnits: [6, 8, 4] }, wasm: new Uint8Array() })).rejects.toThrow(/multiples of 4/);
    // still usable afterwards
    expect(engine.predict(x, 2).length).toBe(6);
  });

  it('refuses a batch too large for its memory with an error that says what to do, and stays usable', async () => {
    const config = { ...SMALL, windowBars: 90, nFeatures: 20, lstmUnits: [128, 64, 32] as const };
    const engine = await loadFusedLstm(config, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(config, 1));
    const n = 2600;
    const x = new Float32Array(n * 90 * 20);
    expect(() => engine.trainBatch(x, new Int32Array(n), n)).toThrow(/train on smaller batches/);
    expect(engine.trainBatch(x.subarray(0, 4 * 1800), new Int32Array(4), 4)).toBeGreaterThan(0);
  });

  it('keeps the training forward pass probabilities of the last step, equal to predict when dropout is off', async () => {
    const engine = await loadFusedLstm(SMALL, 2);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(SMALL, 4));
    const { x, labels } = batch(7);
    const before = engine.predict(x, 7);
    engine.trainBatch(x, labels, 7, { dropout: 0 });
    const seen = engine.lastTrainProbabilities();
    expect(seen).toHaveLength(7 * 3);
    for (let i = 0; i < seen.length; i++) expect(seen[i]).toBeCloseTo(before[i]!, 6);
    engine.trainBatch(x, labels, 7, { dropout: 0.5, seed: 3 });
    const dropped = engine.lastTrainProbabilities();
    expect(Array.from(dropped)).not.toEqual(Array.from(engine.predict(x, 7)));
  });

  it('round-trips weights in tfjs order and shapes', async () => {
    const engine = await loadFusedLstm(SMALL, 1);
    disposers.push(() => engine.dispose());
    const weights = initWeights(SMALL, 5);
    engine.setWeights(weights);
    expect(engine.getWeights()).toEqual(weights);
  });

  it('gives the same losses and weights with two threads as with one, dropout on', async () => {
    const one = await loadFusedLstm(SMALL, 1);
    const two = await loadFusedLstm(SMALL, 2);
    disposers.push(() => one.dispose(), () => two.dispose());
    expect(two.threads).toBe(2);
    const { x, labels } = batch(9);
    for (const e of [one, two]) e.setWeights(initWeights(SMALL, 3));
    for (let s = 0; s < 3; s++) {
      const a = one.trainBatch(x, labels, 9, { dropout: 0.3, seed: s });
      const b = two.trainBatch(x, labels, 9, { dropout: 0.3, seed: s });
      expect(Math.abs(a - b)).toBeLessThan(1e-6);
    }
    const wa = one.getWeights(), wb = two.getWeights();
    wa.forEach((w, i) => w.values.forEach((v, k) => expect(Math.abs(v - wb[i]!.values[k]!)).toBeLessThan(1e-6)));
    // and a different dropout seed gives a different loss
    expect(one.trainBatch(x, labels, 9, { dropout: 0.3, seed: 1 })).not.toBe(one.trainBatch(x, labels, 9, { dropout: 0.3, seed: 2 }));
  });

  it('predicts many windows in rounds with the same result as one at a time', async () => {
    const engine = await loadFusedLstm(SMALL, 2);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(SMALL, 8));
    const n = 150;
    const { x } = batch(n);
    const all = engine.predict(x, n);
    for (const i of [0, 63, 64, 149]) {
      const single = engine.predict(x.subarray(i * STEP, (i + 1) * STEP), 1);
      for (let c = 0; c < 3; c++) expect(Math.abs(single[c]! - all[i * 3 + c]!)).toBeLessThan(1e-6);
    }
  });

  it('runs on one thread from the non-shared build, as in a browser without cross-origin isolation', async () => {
    const engine = await createFusedLstm({ config: SMALL, wasm: await readFile(WASM_URL), threads: 4 });
    expect(engine.threads).toBe(1);
    engine.setWeights(initWeights(SMALL, 2));
    const p = engine.predict(batch(1).x, 1);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

});
