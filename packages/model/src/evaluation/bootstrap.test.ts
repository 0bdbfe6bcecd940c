import { describe, expect, it } from 'vitest';
import { makeRng, randomNormal } from '../random.ts';
import { blockBootstrap, quantile } from './bootstrap.ts';

/** Overlapping 7-day "up" labels of a driftless random walk: P(up) = 0.5 exactly, neighbours strongly correlated. */
function overlappingLabels(n: number, h: number, seed: number): Float64Array {
  const rng = makeRng(seed);
  const steps = Array.from({ length: n + h }, () => randomNormal(rng));
  return Float64Array.from({ length: n }, (_, t) => (steps.slice(t, t + h).reduce((s, x) => s + x, 0) > 0 ? 1 : 0));
}

const mean = (v: Float64Array) => (idx: Int32Array) => [idx.reduce((s, i) => s + v[i]!, 0) / idx.length];

describe('blockBootstrap', () => {
  it('covers the true mean of overlapping labels about 95% of the time with blocks, far less with single days', () => {
    const runs = 200;
    let blockCover = 0;
    let dayCover = 0;
    for (let r = 0; r < runs; r++) {
      const y = overlappingLabels(360, 7, 100 + r);
      const [block] = blockBootstrap(360, mean(y), { blockLength: 21, iterations: 300, seed: r });
      const [day] = blockBootstrap(360, mean(y), { blockLength: 1, iterations: 300, seed: r });
      blockCover += block!.lower <= 0.5 && 0.5 <= block!.upper ? 1 : 0;
      dayCover += day!.lower <= 0.5 && 0.5 <= day!.upper ? 1 : 0;
    }
    expect(blockCover / runs).toBeGreaterThanOrEqual(0.88);
    expect(dayCover / runs).toBeLessThan(blockCover / runs - 0.15);
  });

  it('keeps blocks inside strata and returns the identity estimate', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1));
    const [m] = blockBootstrap(100, mean(v), { strata: [50, 50], blockLength: 10, iterations: 200 });
    // Each stratum is rebuilt to its own size from its own rows, so the mean never moves.
    expect(m).toEqual({ estimate: 0.5, lower: 0.5, upper: 0.5 });
    expect(() => blockBootstrap(100, mean(v), { strata: [50, 40] })).toThrow(/strata sum to 90, not n = 100/);
  });

  it('interpolates quantiles', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });
});

describe('blockBootstrap over days', () => {
  it('resamples rows of the same day together, so copies of one asset add no evidence', () => {
    const y = overlappingLabels(360, 7, 9);
    const copies = 4;
    const v = Float64Array.from({ length: 360 * copies }, (_, i) => y[i % 360]!);
    const days = Float64Array.from({ length: 360 * copies }, (_, i) => i % 360);
    const [one] = blockBootstrap(360, mean(y), { blockLength: 7, iterations: 400, seed: 3 });
    const [byDay] = blockBootstrap(v.length, mean(v), { blockLength: 7, iterations: 400, seed: 3, days });
    const [byAsset] = blockBootstrap(v.length, mean(v), { blockLength: 7, iterations: 400, seed: 3, strata: [360, 360, 360, 360] });
    const width = (c: { lower: number; upper: number }) => c.upper - c.lower;
    expect(width(byDay!) / width(one!)).toBeGreaterThan(0.8);
    expect(width(byAsset!) / width(one!)).toBeLessThan(0.65); // independent strata pretend 4x the evidence
  });
});
