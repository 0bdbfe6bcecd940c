import { describe, expect, it } from 'vitest';
import { makeRng } from '../random.ts';
import { binaryCalibration } from './binary-calibration.ts';
import { crossSectionPercentiles } from './cross-section.ts';
import { drawdownProbability, simulateDrawdownTable } from './drawdown.ts';
import { addPlattRow, applyPlatt, createPlattBins, fitPlatt } from './platt.ts';
import { spearmanCorrelation } from './rank-correlation.ts';
import { addAbsZ, createAbsZHistogram, drawStudentT, fitStudentT, logGamma } from './student-t.ts';

describe('Student-t', () => {
  it('logGamma matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('recovers the degrees of freedom and scale of scaled t draws', () => {
    const rng = makeRng(11);
    for (const [df, scale] of [[3, 0.6], [12, 1.5]] as const) {
      const hist = createAbsZHistogram();
      for (let i = 0; i < 60_000; i++) addAbsZ(hist, scale * drawStudentT(rng, df));
      const fit = fitStudentT(hist)!;
      expect(fit.df).toBeGreaterThanOrEqual(df === 3 ? 2.5 : 8);
      expect(fit.df).toBeLessThanOrEqual(df === 3 ? 3.5 : 20);
      expect(fit.scale).toBeCloseTo(scale, 1);
    }
  });

  it('needs enough rows before it fits', () => {
    const hist = createAbsZHistogram();
    addAbsZ(hist, 1);
    expect(fitStudentT(hist, 100)).toBeNull();
  });
});

describe('drawdown probability', () => {
  const table = simulateDrawdownTable(50, [7, 30], 20_000, 7);

  it('is the same for the same seed and grows with volatility and horizon, shrinks with the fall', () => {
    expect(simulateDrawdownTable(50, [7, 30], 2000, 7).minima.get(7)).toEqual(simulateDrawdownTable(50, [7, 30], 2000, 7).minima.get(7));
    const p = (h: number, fall: number, v: number) => drawdownProbability(table, h, fall, v, 1);
    expect(p(7, 0.1, 0.03 ** 2)).toBeGreaterThan(p(7, 0.1, 0.02 ** 2));
    expect(p(30, 0.1, 0.03 ** 2)).toBeGreaterThan(p(7, 0.1, 0.03 ** 2));
    expect(p(30, 0.25, 0.03 ** 2)).toBeLessThan(p(30, 0.1, 0.03 ** 2));
  });

  it('is close to the reflection principle for a near-normal walk', () => {
    // continuous Brownian motion: P(min < −a) = 2 Φ(−a / (σ √h)); daily monitoring misses some crossings, so the
    // simulated probability sits a little below
    const sigma = 0.04, h = 30, a = -Math.log(0.75);
    const z = a / (sigma * Math.sqrt(h));
    const phi = (x: number) => 0.5 * (1 + Math.sign(x) * Math.sqrt(1 - Math.exp(-2 * x * x / Math.PI))); // Pólya's approximation
    const reflection = 2 * (1 - phi(z));
    const simulated = drawdownProbability(table, h, 0.25, sigma ** 2, Math.sqrt(48 / 50)); // t_50 scaled to unit variance
    expect(simulated).toBeLessThan(reflection);
    expect(simulated).toBeGreaterThan(reflection * 0.75);
  });

  it('refuses a horizon it has no table for', () => {
    expect(() => drawdownProbability(table, 14, 0.1, 1e-3, 1)).toThrow(/Should be one of: 7, 30/);
  });
});

describe('Platt calibration', () => {
  it('recovers a known map from raw probabilities to event rates', () => {
    // events happen with probability σ(−1 + 0.5 logit(raw))
    const rng = makeRng(5);
    const bins = createPlattBins();
    for (let i = 0; i < 50_000; i++) {
      const raw = 0.02 + 0.96 * rng();
      const p = 1 / (1 + Math.exp(-(-1 + 0.5 * Math.log(raw / (1 - raw)))));
      addPlattRow(bins, raw, rng() < p);
    }
    const fit = fitPlatt(bins)!;
    expect(fit.a).toBeCloseTo(-1, 1);
    expect(fit.b).toBeCloseTo(0.5, 1);
    expect(applyPlatt(fit, 0.5)).toBeCloseTo(1 / (1 + Math.E), 1);
  });

  it('refuses to fit on too few events', () => {
    const bins = createPlattBins();
    for (let i = 0; i < 500; i++) addPlattRow(bins, 0.1, i < 5);
    expect(fitPlatt(bins, 20)).toBeNull();
  });
});

describe('binary calibration, percentiles and rank correlation', () => {
  it('computes Brier, ECE and the reliability table by hand', () => {
    const c = binaryCalibration([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1], 10);
    expect(c.brier).toBeCloseTo((0.05 ** 2 + 0.95 ** 2 + 0.05 ** 2 + 0.05 ** 2) / 4, 12);
    expect(c.ece).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.05, 12);
    expect(c.reliability[0]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(c.eventRate).toBe(0.75);
  });

  it('gives mid-rank percentiles and none below the asset minimum', () => {
    expect(Array.from(crossSectionPercentiles([3, 1, Number.NaN, 2, 2], 3))).toEqual([0.875, 0.125, NaN, 0.5, 0.5]);
    expect(Array.from(crossSectionPercentiles([1, 2, Number.NaN], 3)).every(Number.isNaN)).toBe(true);
  });

  it('Spearman is 1 for any increasing map and −1 for a decreasing one', () => {
    const x = [0.1, 5, 2, 9, 3];
    expect(spearmanCorrelation(x, x.map((v) => Math.exp(v)))).toBeCloseTo(1, 12);
    expect(spearmanCorrelation(x, x.map((v) => -(v ** 3)))).toBeCloseTo(-1, 12);
  });
});
