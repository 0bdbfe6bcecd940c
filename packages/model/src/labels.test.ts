import { describe, expect, it } from 'vitest';

import { classBalance, classifyReturn, fitLabelThresholds, forwardReturns, labelReturns, pastReturns } from './labels.ts';

describe('labels', () => {
  it('computes the forward return and leaves days past the last candle unlabeled', () => {
    const close = [100, 110, 121, 90];
    const fwd = forwardReturns(close, 2);
    expect(fwd[0]).toBeCloseTo(0.21, 12);
    expect(fwd[1]).toBeCloseTo(90 / 110 - 1, 12);
    expect(Number.isNaN(fwd[2]!)).toBe(true);
    expect(Number.isNaN(fwd[3]!)).toBe(true);
    expect(Array.from(labelReturns(fwd, { lower: -0.05, upper: 0.05 }))).toEqual([2, 0, -1, -1]);
    const past = pastReturns(close, 2);
    expect(Number.isNaN(past[1]!)).toBe(true);
    expect(past[3]).toBeCloseTo(90 / 110 - 1, 12);
  });

  it('fits a symmetric band at the tercile of |return|, so a third of training days are neutral', () => {
    const returns = Array.from({ length: 301 }, (_, i) => (i - 150) / 1000); // -0.15 .. 0.15
    const t = fitLabelThresholds(returns);
    expect(t.upper).toBeCloseTo(0.05, 12);
    expect(t.lower).toBe(-t.upper);
    const balance = classBalance(labelReturns(returns, t));
    expect(balance.counts.neutral).toBe(101);
    expect(balance.counts.bearish).toBe(100);
    expect(balance.counts.bullish).toBe(100);
    expect(balance.shares.neutral).toBeCloseTo(101 / 301, 12);
  });

  it('ignores NaN returns when fitting and refuses an empty set or a bad share', () => {
    expect(fitLabelThresholds([Number.NaN, 0.1, -0.1, 0.1], 0.5).upper).toBeCloseTo(0.1, 12);
    expect(() => fitLabelThresholds([Number.NaN])).toThrow(/no finite training return/);
    expect(() => fitLabelThresholds([0.1], 1)).toThrow(/neutralShare 1/);
  });

  it('puts returns on the band edge in neutral', () => {
    const t = { lower: -0.02, upper: 0.02 };
    expect(classifyReturn(0.02, t)).toBe(1);
    expect(classifyReturn(-0.02, t)).toBe(1);
    expect(classifyReturn(0.0201, t)).toBe(2);
    expect(classifyReturn(-0.0201, t)).toBe(0);
  });
});
