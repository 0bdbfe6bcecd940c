import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../metrics.ts';
import { applyTemperature } from '../calibration.ts';
import { makeRng, randomNormal } from '../random.ts';
import { fitTemperature } from './temperature.ts';

/** Labels drawn from true softmax probabilities, and a model that reports them three times too sharp. */
function overconfident(n: number, seed: number) {
  const rng = makeRng(seed);
  const truth = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = [0, 1, 2].map(() => 0.8 * randomNormal(rng));
    const e = z.map(Math.exp);
    const s = e[0]! + e[1]! + e[2]!;
    e.forEach((v, c) => (truth[i * 3 + c] = v / s));
    const u = rng();
    y[i] = u < truth[i * 3]! ? 0 : u < truth[i * 3]! + truth[i * 3 + 1]! ? 1 : 2;
  }
  return { y, probs: applyTemperature(truth, 3, 1 / 3) };
}

describe('fitTemperature', () => {
  it('recovers the softening of an over-confident model and lowers ECE on unseen rows without changing accuracy', () => {
    const val = overconfident(4000, 1);
    const test = overconfident(4000, 2);
    const fit = fitTemperature(val.probs, val.y);
    expect(fit.temperature).toBeGreaterThan(2.5);
    expect(fit.temperature).toBeLessThan(3.5);
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore);
    const before = computeMetrics(test.probs, test.y);
    const after = computeMetrics(applyTemperature(test.probs, 3, fit.temperature), test.y);
    expect(after.ece).toBeLessThan(before.ece / 3);
    expect(after.accuracy).toBe(before.accuracy);
  });

  it('refuses mismatched shapes', () => {
    expect(() => fitTemperature(new Float32Array(5), [0, 1])).toThrow(/\[n, 3\] probabilities/);
  });
});
