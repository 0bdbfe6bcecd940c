// Integrated gradients against an ensemble whose gradient is known in closed form: softmax of logits that are a
// weighted sum of tanh(x) over the window, with a temperature. Faithfulness: the attributions sum to
// P(x) - P(baseline) (completeness) to the trapezoid rule's error, which falls as 1/steps² on a smooth model, and the intervals halve until it is within the
// tolerance; a feature no member
// reads gets exactly 0. The fused engine's own test is tests/explain-fused.test.ts.
import { describe, expect, it } from 'vitest';

import { integratedGradients, type GradientRunner } from './integrated-gradients.ts';

const T = 4, F = 3, C = 3;

/** softmax(Σ_{t,f} A[c,t,f] tanh(x[t,f]) + b_c) per window; its vector-Jacobian product by the chain rule. */
function tanhSoftmax(A: Float64Array, b: number[]): GradientRunner {
  const forward = (x: Float32Array, i: number) => {
    const z = b.map((bc, c) => bc + Array.from({ length: T * F }, (_, j) => A[c * T * F + j]! * Math.tanh(x[i * T * F + j]!)).reduce((s, v) => s + v, 0));
    const mx = Math.max(...z), e = z.map((v) => Math.exp(v - mx)), sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  };
  return {
    predict: (x, n) => Float32Array.from({ length: n * C }, (_, k) => forward(x, Math.floor(k / C))[k % C]!),
    inputGradients: (x, n, seeds) => {
      const gradients = new Float32Array(n * T * F);
      for (let i = 0; i < n; i++) {
        const p = forward(x, i);
        const dot = p.reduce((s, pc, c) => s + pc * seeds[i * C + c]!, 0);
        for (let j = 0; j < T * F; j++) {
          const sech2 = 1 - Math.tanh(x[i * T * F + j]!) ** 2;
          gradients[i * T * F + j] = p.reduce((s, pc, c) => s + pc * (seeds[i * C + c]! - dot) * A[c * T * F + j]!, 0) * sech2;
        }
      }
      return { gradients };
    },
  };
}

const weights = (seed: number, ignored?: number) =>
  Float64Array.from({ length: C * T * F }, (_, k) => (ignored !== undefined && k % F === ignored ? 0 : Math.sin(seed * 7.1 + k * 1.3) * 0.9));
const ensemble = (ignored?: number) => [1, 2, 3].map((s) => tanhSoftmax(weights(s, ignored), [0.1 * s, -0.2, 0.05]));
const x = Float32Array.from({ length: T * F }, (_, i) => 1.2 * Math.cos(i * 0.9));
const model = { windowBars: T, nFeatures: F, temperature: 1.7 };

describe('integrated gradients of the ensemble', () => {
  it('sum to P(x) - P(baseline) through the mean and the temperature, the gap falling as 1/steps²', async () => {
    const gaps: number[] = [];
    for (const steps of [8, 32, 128]) {
      const ig = await integratedGradients(model, ensemble(), x, 2, steps, 0);
      gaps.push(Math.abs(ig.completenessGap));
      expect(Math.abs(ig.probability - ig.baselineProbability)).toBeGreaterThan(0.01); // something to explain
    }
    console.log(`completeness gap at 8, 32, 128 steps: ${gaps.map((g) => g.toExponential(2)).join(', ')}`);
    expect(gaps[2]!).toBeLessThan(1e-5);
    expect(gaps[1]! / gaps[2]!).toBeGreaterThan(8); // 16 for a 1/steps² rule; a wrong gradient would not shrink at all
  });

  it('give exactly 0 to a feature that no member reads, on every day', async () => {
    const ig = await integratedGradients(model, ensemble(1), x, 0);
    for (let t = 0; t < T; t++) expect(Math.abs(ig.perTime[t * F + 1]!)).toBe(0);
    expect(Math.abs(ig.perFeature[1]!)).toBe(0);
    expect(Math.abs(ig.perFeature[0]!) + Math.abs(ig.perFeature[2]!)).toBeGreaterThan(1e-3);
  });

  it('sum the days of each feature into its attribution', async () => {
    const ig = await integratedGradients(model, ensemble(), x, 1);
    for (let f = 0; f < F; f++) expect(ig.perFeature[f]).toBeCloseTo([0, 1, 2, 3].reduce((s, t) => s + ig.perTime[t * F + f]!, 0), 12);
  });

  it('refuses a window of the wrong length, a bad class or steps, and runners without gradients', async () => {
    await expect(integratedGradients(model, ensemble(), x.subarray(1), 0)).rejects.toThrow(/11 values; expected windowBars × nFeatures = 4 × 3/);
    await expect(integratedGradients(model, ensemble(), x, 3)).rejects.toThrow(/classIndex must be 0..2; got 3/);
    await expect(integratedGradients(model, ensemble(), x, 0, 0)).rejects.toThrow(/steps must be a positive integer; got 0/);
    const plain = [{ predict: ensemble()[0]!.predict }] as unknown as GradientRunner[];
    await expect(integratedGradients(model, plain, x, 0)).rejects.toThrow(/input gradients \(the fused engine\)/);
  });
});
