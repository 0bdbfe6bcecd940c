// hourlyFromDay: the first day of hourly candles the page asks the API for, covering every window it predicts from.
import type { ArtifactMetadata } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { hourlyFromDay } from './model-inputs.ts';

const meta = (windowBars: number, horizonDays: number) => ({ windowBars, horizonDays }) as ArtifactMetadata;

describe('hourlyFromDay', () => {
  it('covers the newest window, and the windows of the recent past predictions ending a horizon before it', () => {
    expect(hourlyFromDay(meta(10, 7), '2020-01-01', '2021-02-03', 0)).toBe('2021-01-25'); // 10 days: 01-25..02-03
    expect(hourlyFromDay(meta(10, 7), '2020-01-01', '2021-02-03', 120)).toBe('2020-09-20'); // 137 days: 09-20..02-03
  });
  it('never asks before the first day nor for more than the API serves (400 days)', () => {
    expect(hourlyFromDay(meta(10, 7), '2021-01-30', '2021-02-03', 120)).toBe('2021-01-30');
    expect(hourlyFromDay(meta(300, 30), '2010-01-01', '2021-02-03', 120)).toBe('2020-01-01'); // 400 days back, inclusive
  });
});
