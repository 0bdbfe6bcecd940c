import { describe, expect, it } from 'vitest';

import { applyNormalizer, fitNormalizer } from './normalizer.ts';
import { makeWindows } from './windows.ts';

describe('normaliser and windows', () => {
  it('fits mean and population std on the given rows only and maps them to z-scores', () => {
    // 4 rows x 2 features; the last row is "future" and must not count.
    const rows = Float32Array.from([1, 5, 3, 5, 5, 5, 1000, -1000]);
    const norm = fitNormalizer(rows, 2, 0, 3);
    expect(norm.mean[0]).toBeCloseTo(3, 6);
    expect(norm.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(norm.std[1]).toBe(1); // constant column: std 1, normalises to 0
    const z = applyNormalizer(rows, norm);
    expect(z[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 5);
    expect(z[1]).toBe(0);
    expect(() => fitNormalizer(rows, 2, 2, 2)).toThrow(/empty row range/);
    // A long constant column (a placeholder feature) maps to exactly 0, not to blown-up rounding noise.
    const constant = new Float32Array(1833).fill(50);
    const c = fitNormalizer(constant, 1, 0, 1833);
    expect(c.std[0]).toBe(1);
    expect(applyNormalizer(constant, c).every((v) => v === 0)).toBe(true);
  });

  it('cuts windows ending at each given row, oldest row first', () => {
    const rows = Float32Array.from({ length: 10 * 2 }, (_, i) => i); // [10, 2]
    const w = makeWindows(rows, 2, [4, 9], 3); // [2, 3, 2]
    expect(Array.from(w.subarray(0, 6))).toEqual([4, 5, 6, 7, 8, 9]);
    expect(Array.from(w.subarray(6))).toEqual([14, 15, 16, 17, 18, 19]);
    expect(() => makeWindows(rows, 2, [3], 3, 2)).toThrow(/needs rows 1..3/);
  });
});
