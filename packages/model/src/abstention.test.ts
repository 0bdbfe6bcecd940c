import { describe, expect, it } from 'vitest';

import { accuracyByCoverage, fitAbstention } from './abstention.ts';

/** Rows whose confident half is right 80% of the time and whose unsure half is right 20%. */
function rows(n: number): { probs: Float32Array; y: Int32Array } {
  const probs = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const confident = i < n / 2;
    const top = confident ? 0.6 : 0.36;
    probs.set([top, (1 - top) / 2, (1 - top) / 2], i * 3);
    y[i] = (confident ? i % 5 !== 0 : i % 5 === 0) ? 0 : 1 + (i % 2);
  }
  return { probs, y };
}

describe('fitAbstention', () => {
  it('speaks only where calls beat the base rate', () => {
    const { probs, y } = rows(200);
    const fit = fitAbstention(probs, y);
    expect(fit.threshold).toBeCloseTo(0.6, 5);
    expect(fit.coverage).toBe(0.5);
    expect(fit.accuracy).toBeCloseTo(0.8, 5);
  });

  it('never speaks when no call beats the base rate', () => {
    const probs = new Float32Array([0.5, 0.3, 0.2, 0.5, 0.3, 0.2, 0.5, 0.3, 0.2]);
    expect(fitAbstention(probs, [1, 1, 0]).threshold).toBe(1);
  });

  it('reports accuracy of the most confident share of rows', () => {
    const { probs, y } = rows(200);
    const curve = accuracyByCoverage(probs, y, [1, 0.5]);
    expect(curve[1]).toEqual({ coverage: 0.5, n: 100, accuracy: 0.8 });
    expect(curve[0]!.accuracy).toBeCloseTo(0.5, 5);
  });
});
