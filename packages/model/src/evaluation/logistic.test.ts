import { describe, expect, it } from 'vitest';
import { makeRng, randomNormal } from '../random.ts';
import { fitLogistic, lastRows, predictLogistic } from './logistic.ts';

describe('softmax regression baseline', () => {
  it('learns a linear three-class rule it was not told, and generalises to new rows', () => {
    const make = (n: number, seed: number) => {
      const rng = makeRng(seed);
      const x = Float32Array.from({ length: n * 4 }, () => randomNormal(rng)); // [n, 4]
      const y = Int32Array.from({ length: n }, (_, i) => {
        const s = x[i * 4]! - 0.5 * x[i * 4 + 2]!;
        return s < -0.5 ? 0 : s > 0.5 ? 2 : 1;
      });
      return { x, y };
    };
    const train = make(2000, 1);
    const test = make(1000, 2);
    const model = fitLogistic(train.x, train.y, 4, 3, { l2: 1e-4, iterations: 800 });
    const p = predictLogistic(model, test.x, 1000);
    let hits = 0;
    for (let i = 0; i < 1000; i++) {
      const row = [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!];
      expect(row[0]! + row[1]! + row[2]!).toBeCloseTo(1, 5);
      hits += row.indexOf(Math.max(...row)) === test.y[i] ? 1 : 0;
    }
    expect(hits / 1000).toBeGreaterThan(0.85);
    // The irrelevant features get small weights next to the relevant one.
    expect(Math.abs(model.weights[1 * 3 + 2]!)).toBeLessThan(Math.abs(model.weights[0 * 3 + 2]!) / 4);
  });

  it('takes the last day of each window', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i); // [2, 3, 2]
    expect(Array.from(lastRows(x, 2, 3, 2))).toEqual([4, 5, 10, 11]);
  });
});
