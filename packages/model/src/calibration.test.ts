import { describe, expect, it } from 'vitest';
import { classShares, shiftPriors, trailingClassShares } from './calibration.ts';
import { computeMetrics } from './metrics.ts';
import { makeRng, randomNormal } from './random.ts';

const DAY = 86_400_000;

describe('classShares', () => {
  it('counts each class and falls back to uniform shares on no labels', () => {
    expect(classShares([0, 1, 1, 2, 2, 2])).toEqual([1 / 6, 2 / 6, 3 / 6]);
    expect(classShares([])).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});

describe('trailingClassShares', () => {
  it("keeps each group's rows within `days` of that group's own last row", () => {
    // group 0 ends on day 1000, group 1 on day 500; with 10 days, group 0 keeps days 990-1000, group 1 days 490-500
    const labels = [0, 0, 1, 2, 2, 1];
    const group = [0, 0, 0, 1, 1, 1];
    const dayMs = [100, 990, 1000, 100, 489, 500].map((d) => d * DAY);
    expect(trailingClassShares(labels, group, dayMs, 10)).toEqual([1 / 3, 2 / 3, 0]);
  });
});

describe('shiftPriors', () => {
  it("turns probabilities stated under one period's class shares into the Bayes-correct ones under another", () => {
    const rng = makeRng(3);
    const from = [0.4, 0.2, 0.4];
    const to = [0.25, 0.5, 0.25];
    const n = 6000;
    const stated = new Float32Array(n * 3); // a model calibrated where the shares were `from`
    const truth = new Float32Array(n * 3); // the same evidence where the shares are `to`
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const like = [0, 1, 2].map(() => Math.exp(0.7 * randomNormal(rng)));
      const a = like.map((l, c) => l * from[c]!);
      const b = like.map((l, c) => l * to[c]!);
      const sa = a[0]! + a[1]! + a[2]!;
      const sb = b[0]! + b[1]! + b[2]!;
      for (let c = 0; c < 3; c++) { stated[i * 3 + c] = a[c]! / sa; truth[i * 3 + c] = b[c]! / sb; }
      const u = rng();
      y.push(u < truth[i * 3]! ? 0 : u < truth[i * 3]! + truth[i * 3 + 1]! ? 1 : 2);
    }
    const shifted = shiftPriors(stated, 3, from, to);
    for (let j = 0; j < 30; j++) expect(shifted[j]).toBeCloseTo(truth[j]!, 5);
    expect(computeMetrics(shifted, y).logLoss).toBeLessThan(computeMetrics(stated, y).logLoss - 0.02);
    const same = shiftPriors(stated, 3, from, from); // equal shares: nothing moves
    for (let j = 0; j < 30; j++) expect(same[j]).toBeCloseTo(stated[j]!, 6);
  });

  it('names the problem when the shares do not fit', () => {
    const p = Float32Array.of(0.2, 0.3, 0.5);
    expect(() => shiftPriors(p, 3, [0.5, 0.5], [0.3, 0.3, 0.4])).toThrow(/3 shares in 'from' and 'to'/);
    expect(() => shiftPriors(p, 3, [0.5, 0.5, 0], [0.3, 0.3, 0.4])).toThrow(/class 2's shares must be positive/);
  });
});
