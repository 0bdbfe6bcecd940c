import { describe, expect, it } from 'vitest';
import { makeRng, randomNormal } from '../random.ts';
import { addNormalRow, createNormalEquations, harInputs, harRow, solveNormalEquations } from './har.ts';
import { trailingMean, forwardMean, ewmaMean } from './rolling.ts';

describe('least squares from running normal equations', () => {
  it('recovers the HAR coefficients of a simulated HAR process', () => {
    // v_(t+1) = 1e-5 + 0.3 v_t + 0.35 w_t + 0.25 m_t, times a mean-one noise: OLS of v_(t+1) on [1, v, w, m]
    const rng = makeRng(3);
    const n = 40_000;
    const v = new Float64Array(n).fill(4e-4);
    for (let t = 22; t < n - 1; t++) {
      let w = 0, m = 0;
      for (let k = 0; k < 22; k++) {
        if (k < 5) w += v[t - k]!;
        m += v[t - k]!;
      }
      const mean = 1e-5 + 0.3 * v[t]! + 0.35 * (w / 5) + 0.25 * (m / 22);
      v[t + 1] = mean * Math.exp(0.5 * randomNormal(rng) - 0.125);
    }
    const inputs = harInputs(v);
    const ne = createNormalEquations(4);
    const row = new Float64Array(4);
    for (let t = 100; t < n - 1; t++) if (harRow(inputs, t, false, row)) addNormalRow(ne, row, v[t + 1]!);
    const fit = solveNormalEquations(ne)!;
    expect(fit.beta[1]).toBeCloseTo(0.3, 1);
    expect(fit.beta[2]).toBeCloseTo(0.35, 1);
    expect(fit.beta[3]).toBeCloseTo(0.25, 1);
    expect(fit.beta[0]).toBeGreaterThan(0);
    expect(fit.beta[0]).toBeLessThan(3e-5);
  });

  it('is exact on noiseless rows and refuses a singular system', () => {
    const ne = createNormalEquations(2);
    for (let x = 0; x < 10; x++) addNormalRow(ne, [1, x], 2 + 3 * x);
    const fit = solveNormalEquations(ne)!;
    expect(fit.beta[0]).toBeCloseTo(2, 10);
    expect(fit.beta[1]).toBeCloseTo(3, 10);
    expect(fit.residualVariance).toBeLessThan(1e-12);
    const flat = createNormalEquations(2);
    for (let i = 0; i < 10; i++) addNormalRow(flat, [1, 5], 1);
    expect(solveNormalEquations(flat)).toBeNull();
  });
});

describe('rolling windows', () => {
  it('averages the days present when few are missing and gives NaN when too many are', () => {
    const v = [1, 2, Number.NaN, 4, 5, 6];
    const strict = trailingMean(v, 3);
    expect(Array.from(strict)).toEqual([NaN, NaN, NaN, NaN, NaN, 5]);
    const lenient = trailingMean(v, 3, 1);
    expect(lenient[3]).toBe(3); // (2 + 4) / 2
    expect(lenient[5]).toBe(5);
    expect(forwardMean(v, 2)[3]).toBe(5.5);
    expect(forwardMean(v, 2)[1]).toBeNaN();
  });

  it('holds the EWMA over a missing day', () => {
    const e = ewmaMean([1, 1, Number.NaN, 2], 0.5, 1);
    expect(e[2]).toBeNaN();
    expect(e[3]).toBe(1.5);
  });
});
