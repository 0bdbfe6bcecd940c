import { describe, expect, it } from 'vitest';

import { evaluateOnRows, majorityBaseline, persistenceBaseline } from './baselines.ts';
import { computeMetrics } from './metrics.ts';

describe('computeMetrics', () => {
  // Four rows, hand-checked: predictions 2, 0, 1, 2 against labels 2, 1, 1, 0.
  const probs = [0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4];
  const labels = [2, 1, 1, 0];
  const m = computeMetrics(probs, labels);

  it('counts accuracy, the confusion matrix and per-class precision and recall', () => {
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual([
      [0, 0, 1],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(m.perClass.bullish).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(m.perClass.neutral).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(m.perClass.bearish).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.macroF1).toBeCloseTo(4 / 9, 12);
  });

  it('computes log loss, Brier score and ECE with its reliability table', () => {
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.3) + Math.log(0.5) + Math.log(0.3)) / 4, 12);
    const brier = (0.01 + 0.04 + 0.09) + (0.36 + 0.49 + 0.01) + (0.04 + 0.25 + 0.09) + (0.49 + 0.09 + 0.16);
    expect(m.brier).toBeCloseTo(brier / 4, 12);
    // Bins: 0.7 -> [0.7, 0.8) right; 0.6 -> [0.6, 0.7) wrong; 0.5 -> [0.5, 0.6) right; 0.4 -> [0.4, 0.5) wrong.
    expect(m.reliability).toHaveLength(10);
    expect(m.reliability[7]).toMatchObject({ count: 1, accuracy: 1 });
    expect(m.reliability[6]).toMatchObject({ count: 1, accuracy: 0 });
    expect(m.ece).toBeCloseTo((0.3 + 0.6 + 0.5 + 0.4) / 4, 6);
  });

  it('refuses mismatched shapes and bad labels', () => {
    expect(() => computeMetrics([0.5, 0.5], [1])).toThrow(/3\] probabilities/);
    expect(() => computeMetrics([0.2, 0.3, 0.5], [3])).toThrow(/Label 3/);
  });
});

describe('baselines', () => {
  it('gives the majority baseline the training class frequencies and persistence one-hot rows', () => {
    const maj = majorityBaseline([0, 2, 2, 2, -1], 2);
    expect(Array.from(maj)).toEqual([0.25, 0, 0.75, 0.25, 0, 0.75].map(Math.fround));
    expect(Array.from(persistenceBaseline([1, 0]))).toEqual([0, 1, 0, 1, 0, 0]);
  });

  it('reports model and baselines side by side on the same rows', () => {
    const rows = { y: [2, 2, 0], persistence: [2, 0, 0] };
    const perfect = [0, 0, 1, 0, 0, 1, 1, 0, 0];
    const r = evaluateOnRows(perfect, rows, [2, 2, 1]);
    expect(r.n).toBe(3);
    expect(r.model.accuracy).toBe(1);
    expect(r.majority.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.persistence.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.persistence.logLoss).toBeCloseTo(-Math.log(1e-7) / 3, 6);
  });
});
