import { EMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { ema, momentumClasses, oneHot } from './momentum.ts';

describe('momentum baseline', () => {
  const close = Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 15) + i * 0.1);

  it('computes the EMA as technicalindicators does', () => {
    const ours = ema(close, 20);
    const ref = EMA.calculate({ period: 20, values: close });
    ref.forEach((v, i) => expect(ours[19 + i]).toBeCloseTo(v, 8));
    expect(Number.isNaN(ours[18]!)).toBe(true);
  });

  it('calls bullish exactly when EMA 20 is above EMA 50 and never neutral', () => {
    const rows = Array.from({ length: 60 }, (_, i) => 55 + i);
    const classes = momentumClasses(close, rows);
    const e20 = ema(close, 20);
    const e50 = ema(close, 50);
    rows.forEach((r, i) => expect(classes[i]).toBe(e20[r]! > e50[r]! ? 2 : 0));
    expect(new Set(classes)).toEqual(new Set([0, 2]));
    expect(() => momentumClasses(close, [10])).toThrow(/Momentum row 10 has no EMA 50/);
  });

  it('turns classes into one-hot rows', () => {
    expect(Array.from(oneHot([2, 0]))).toEqual([0, 0, 1, 1, 0, 0]);
  });
});
