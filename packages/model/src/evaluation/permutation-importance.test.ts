// The walk-forward's importance summary: every fold's rows pooled, a block-bootstrap interval per feature over
// calendar days, ranked by the rise in log loss; and the shuffle's contract (whole sequences, seeded, subsampled).
import { describe, expect, it } from 'vitest';

import { importanceReading, permutationImportance, summarizeImportance, type RowImportance } from './permutation-importance.ts';

const DAY = 86_400_000;
const part = (fold: string, n: number, rise: (f: number, i: number) => number): { fold: string; dayMs: number[]; importance: RowImportance } => ({
  fold,
  dayMs: Array.from({ length: n }, (_, i) => (fold === 'a' ? i : n + i) * DAY),
  importance: { features: ['x', 'y', 'z'], rows: Array.from({ length: n }, (_, i) => i), logLoss: [0, 1, 2].map((f) => Array.from({ length: n }, (_, i) => rise(f, i))), accuracy: [0, 1, 2].map(() => Array(n).fill(0)), repeats: 1 },
});

describe('permutation importance summary', () => {
  it('ranks by the mean rise over every fold and keeps an interval that holds 0 for a feature that does not matter', () => {
    const rise = (f: number, i: number) => (f === 1 ? 0.05 + 0.02 * Math.sin(i) : f === 2 ? 0.01 * Math.sin(i * 1.7) : 0.004);
    const s = summarizeImportance([part('a', 60, rise), part('b', 60, rise)], { blockLength: 7, iterations: 300 })!;
    expect(s.features.map((f) => f.name)).toEqual(['y', 'x', 'z']);
    expect(s).toMatchObject({ rows: 120, days: 120, folds: 2, method: 'permutation', interval: 'block bootstrap over calendar days' });
    const [y, , z] = s.features;
    expect(y!.logLoss.lower).toBeGreaterThan(0.04);
    expect(z!.logLoss.lower).toBeLessThan(0);
    expect(z!.logLoss.upper).toBeGreaterThan(0);
  });

  it('refuses folds of different feature sets, and is null without any', () => {
    const other = part('b', 5, () => 0);
    other.importance.features = ['x', 'y', 'w'];
    expect(() => summarizeImportance([part('a', 5, () => 0), other], { blockLength: 7, iterations: 10 })).toThrow(/disagree on the features \(x, y, z against x, y, w\)/);
    expect(summarizeImportance([], { blockLength: 7, iterations: 10 })).toBeNull();
  });

  it('moves each window\'s whole sequence of one feature, scores a seeded subsample, and refuses a wrong shape', async () => {
    const T = 3, F = 2, n = 40;
    const x = Float32Array.from({ length: n * T * F }, (_, k) => Math.sin(k * 0.77));
    const y = Array.from({ length: n }, (_, i) => i % 3);
    // Reads the difference of feature 0 between the window's first and last day: unchanged only if the sequence moves whole.
    const seen: Float32Array[] = [];
    const predict = (w: Float32Array, m: number) => {
      seen.push(w.slice());
      return Float32Array.from({ length: m * 3 }, (_, k) => (k % 3 === 0 ? 0.2 + 0.1 * Math.tanh(w[Math.floor(k / 3) * T * F]! - w[Math.floor(k / 3) * T * F + (T - 1) * F]!) : 0.4));
    };
    const imp = await permutationImportance(predict, { x, y, n }, T, ['a', 'b'], { maxRows: 25, seed: 3 });
    expect(imp.rows).toHaveLength(25);
    expect([...imp.rows].sort((p, q) => p - q)).toEqual(imp.rows);
    expect(imp.logLoss[1]!.every((d) => d === 0)).toBe(true); // feature b is never read
    const shuffled = seen[1]!; // feature a shuffled: each window's a-sequence is some scored window's whole a-sequence
    const seqs = new Set(imp.rows.map((r) => Array.from({ length: T }, (_, t) => x[(r * T + t) * F]).join()));
    for (let i = 0; i < 25; i++) expect(seqs.has(Array.from({ length: T }, (_, t) => shuffled[(i * T + t) * F]).join())).toBe(true);
    await expect(permutationImportance(predict, { x: x.subarray(1), y, n }, T, ['a', 'b'])).rejects.toThrow(/expected n × windowBars × nFeatures = 40 × 3 × 2/);
  });

  it('reads an importance by its whole interval: above 0 relied on, below 0 harmful, holding 0 unclear', () => {
    const at = (lower: number, upper: number) => importanceReading({ logLoss: { estimate: (lower + upper) / 2, lower, upper } });
    expect([at(0.001, 0.01), at(-0.01, -0.001), at(-0.001, 0.01), at(0, 0.01), at(-0.01, 0)]).toEqual(['relied on', 'harmful', 'unclear', 'unclear', 'unclear']);
  });
});
