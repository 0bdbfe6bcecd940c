import { describe, expect, it } from 'vitest';

import { chronologicalSplit, splitAtDays } from './split.ts';

describe('chronologicalSplit', () => {
  it('splits 70/15/15 in time order with a purge gap of at least the horizon between parts', () => {
    const s = chronologicalSplit(1014, 7);
    expect(s.train).toEqual({ start: 0, end: 700 });
    expect(s.val.start - s.train.end).toBe(7);
    expect(s.val.end - s.val.start).toBe(150);
    expect(s.test.start - s.val.end).toBe(7);
    expect(s.test.end).toBe(1014);
    // The last training label reads day 699 + 7; the first validation window ends after it.
    expect(s.val.start).toBeGreaterThan(s.train.end - 1 + 7);
  });

  it('refuses too few samples, naming the counts', () => {
    expect(() => chronologicalSplit(20, 7)).toThrow(/20 samples with a purge gap of 7/);
    expect(() => chronologicalSplit(100, 7, [0.5, 0.5, 0])).toThrow(/Split fractions/);
  });

  it('splits at fixed days with the gap after each part', () => {
    const days = Array.from({ length: 100 }, (_, i) => i * 10);
    const s = splitAtDays(days, 5, 490, 690);
    expect(s.train).toEqual({ start: 0, end: 50 });
    expect(s.val).toEqual({ start: 55, end: 70 });
    expect(s.test).toEqual({ start: 75, end: 100 });
    expect(() => splitAtDays(days, 5, 990, 995)).toThrow(/empty part/);
  });
});
