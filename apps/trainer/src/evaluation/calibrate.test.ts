import { applyTemperature, makeRng, randomNormal } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { calibrateOnValidation } from './calibrate.ts';

/** Rows whose labels follow true probabilities, reported by a model that is twice too sharp. */
function part(n: number, seed: number) {
  const rng = makeRng(seed);
  const truth = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = [0, 1, 2].map(() => Math.exp(randomNormal(rng)));
    const s = e[0]! + e[1]! + e[2]!;
    e.forEach((v, c) => (truth[i * 3 + c] = v / s));
    const u = rng();
    y[i] = u < truth[i * 3]! ? 0 : u < truth[i * 3]! + truth[i * 3 + 1]! ? 1 : 2;
  }
  return { y, raw: applyTemperature(truth, 3, 0.5) };
}

describe('calibrateOnValidation', () => {
  it('fits T on validation, lowers test ECE and keeps the raw probabilities untouched', () => {
    const val = part(3000, 1);
    const test = part(3000, 2);
    const before = test.raw.slice();
    const c = calibrateOnValidation(val.raw, test.raw, { val, test });
    expect(c.temperature).toBeGreaterThan(1.5);
    expect(c.ece.valAfter).toBeLessThan(c.ece.valBefore);
    expect(c.ece.testAfter).toBeLessThan(c.ece.testBefore / 2);
    expect(test.raw).toEqual(before);
    expect(c.testProbs).toEqual(applyTemperature(test.raw, 3, c.temperature));
  });
});
