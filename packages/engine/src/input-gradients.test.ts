// The fused engine's input gradients (the backward pass down to the window, for attributions) against central
// finite differences of its own predict, on a shape whose feature count is not a multiple of 4 (the padded path).
import { afterAll, describe, expect, it } from 'vitest';

import { initWeights, type ModelConfig } from '@coinsphere/model/core';
import { loadFusedLstm } from './node.ts';

const ODD: ModelConfig = { windowBars: 6, nFeatures: 5, lstmUnits: [8, 4, 4], denseUnits: 6, nClasses: 3, dropout: 0.2 };
const STEP = ODD.windowBars * ODD.nFeatures;

const windows = (n: number) => new Float32Array(n * STEP).map((_, i) => 1.5 * Math.sin(i * 0.71 + 0.3)); // [n, T, F]
/** initWeights scaled up, so the gradients are not tiny (a trained network's weights are larger than at init). */
const weights = (seed: number) => initWeights(ODD, seed).map((w) => ({ ...w, values: w.values.map((v) => 2.5 * v) }));
const oneHot = (n: number, k: number) => new Float32Array(n * 3).map((_, i) => (i % 3 === k ? 1 : 0));

describe('fused engine input gradients', () => {
  const disposers: Array<() => void> = [];
  afterAll(() => disposers.forEach((d) => d()));

  it('match central finite differences of the class probability at every input of the window', async () => {
    const engine = await loadFusedLstm(ODD, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(weights(7));
    const n = 2, k = 2, h = 1e-2;
    const x = windows(n);
    const { gradients, probabilities } = engine.inputGradients(x, n, oneHot(n, k));
    expect(probabilities).toEqual(engine.predict(x, n));
    let worst = 0, scale = 0;
    for (let i = 0; i < x.length; i++) {
      const b = Math.floor(i / STEP);
      const up = x.slice(), down = x.slice();
      up[i] = up[i]! + h;
      down[i] = down[i]! - h;
      const fd = (engine.predict(up, n)[b * 3 + k]! - engine.predict(down, n)[b * 3 + k]!) / (2 * h); // [n, 3]
      worst = Math.max(worst, Math.abs(fd - gradients[i]!));
      scale = Math.max(scale, Math.abs(gradients[i]!));
    }
    console.log(`input gradients vs finite differences: max |diff| ${worst.toExponential(2)}, max |gradient| ${scale.toExponential(2)}`);
    expect(scale).toBeGreaterThan(1e-2); // the test would pass on zeros otherwise
    // h² curvature (~1e-5 here) plus float32 rounding of p over 2h (6e-8 / 2e-2 = 3e-6)
    expect(worst).toBeLessThan(2e-3 * scale + 1e-5);
  });

  it('give the seeds-weighted sum of the classes, which is zero for equal seeds (the probabilities sum to 1)', async () => {
    const engine = await loadFusedLstm(ODD, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(ODD, 3));
    const n = 3, x = windows(n);
    const per = [0, 1, 2].map((k) => engine.inputGradients(x, n, oneHot(n, k)).gradients);
    const mixed = engine.inputGradients(x, n, new Float32Array(n * 3).map((_, i) => [0.5, -2, 1][i % 3]!)).gradients;
    const ones = engine.inputGradients(x, n, new Float32Array(n * 3).fill(1)).gradients;
    for (let i = 0; i < x.length; i++) {
      expect(mixed[i]!).toBeCloseTo(0.5 * per[0]![i]! - 2 * per[1]![i]! + per[2]![i]!, 6);
      expect(Math.abs(ones[i]!)).toBeLessThan(1e-6);
    }
  });

  it('are the same on two threads and on one, and the engine still trains the same afterwards', async () => {
    const one = await loadFusedLstm(ODD, 1), two = await loadFusedLstm(ODD, 2);
    disposers.push(() => one.dispose(), () => two.dispose());
    for (const e of [one, two]) e.setWeights(initWeights(ODD, 5));
    const n = 40, x = windows(n);
    const seeds = oneHot(n, 0);
    expect(two.inputGradients(x, n, seeds).gradients).toEqual(one.inputGradients(x, n, seeds).gradients);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const before = one.gradients(x, labels, n);
    one.inputGradients(x, n, seeds);
    expect(one.gradients(x, labels, n)).toEqual(before); // no weight gradient left behind, no state changed
  });

  it('give each window of a batch cut into several rounds what it gets alone, with its own seeds', async () => {
    const engine = await loadFusedLstm(ODD, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(weights(11));
    const n = 70, x = windows(n); // rounds of 32: 32 + 32 + 6
    const seeds = new Float32Array(n * 3).map((_, i) => Math.cos(i * 0.77));
    const { gradients } = engine.inputGradients(x, n, seeds);
    for (const b of [0, 31, 32, 69]) {
      const alone = engine.inputGradients(x.slice(b * STEP, (b + 1) * STEP), 1, seeds.slice(b * 3, b * 3 + 3)).gradients;
      expect(gradients.subarray(b * STEP, (b + 1) * STEP)).toEqual(alone);
    }
  });

  it('refuses seeds of the wrong length or with a non-finite value, naming the problem', async () => {
    const engine = await loadFusedLstm(ODD, 1);
    disposers.push(() => engine.dispose());
    engine.setWeights(initWeights(ODD, 1));
    const x = windows(2);
    expect(() => engine.inputGradients(x, 2, new Float32Array(3))).toThrow(/seeds must be a Float32Array \[n, nClasses\] of 2 × 3 = 6 values; got 3/);
    const bad = oneHot(2, 1);
    bad[4] = Number.POSITIVE_INFINITY;
    expect(() => engine.inputGradients(x, 2, bad)).toThrow(/seeds\[4\] \(window 1, class 1\) is Infinity/);
  });
});
