// fitCalibration and recipePriors of pooled-ensemble.ts: the prior shift before the temperature (#13 experiment).
import { applyTemperature, classShares, computeMetrics, makeRng, randomNormal } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { applyCalibration, fitCalibration, recipePriors } from './pooled-ensemble.ts';

const DAY = 86_400_000;

/** Rows stated by a model calibrated under class shares `from`, labels drawn where the shares are `to`. */
function shifted(n: number, seed: number, from: number[], to: number[]) {
  const rng = makeRng(seed);
  const stated = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const like = [0, 1, 2].map(() => Math.exp(0.8 * randomNormal(rng)));
    const a = like.map((l, c) => l * from[c]!);
    const b = like.map((l, c) => l * to[c]!);
    const sa = a[0]! + a[1]! + a[2]!;
    const sb = b[0]! + b[1]! + b[2]!;
    a.forEach((v, c) => (stated[i * 3 + c] = v / sa));
    const u = rng() * sb;
    y[i] = u < b[0]! ? 0 : u < b[0]! + b[1]! ? 1 : 2;
  }
  return { stated, y };
}

describe('fitCalibration with a prior shift', () => {
  it('repairs a change of class shares that the temperature alone cannot, on rows it was not fitted on', () => {
    const from = [0.4, 0.2, 0.4];
    const to = [0.25, 0.5, 0.25];
    const val = shifted(5000, 1, from, to);
    const test = shifted(5000, 2, from, to);
    const plain = fitCalibration(val.stated, val.y, null);
    const withShift = fitCalibration(val.stated, val.y, { from, to });
    expect(withShift.temperature).toBeGreaterThan(0.85);
    expect(withShift.temperature).toBeLessThan(1.15); // the shift alone explains the miscalibration
    const lossPlain = computeMetrics(applyCalibration(test.stated, plain), test.y);
    const lossShift = computeMetrics(applyCalibration(test.stated, withShift), test.y);
    expect(lossShift.logLoss).toBeLessThan(lossPlain.logLoss - 0.02);
    expect(lossShift.ece).toBeLessThan(lossPlain.ece);
    expect(applyCalibration(test.stated, plain)).toEqual(applyTemperature(test.stated, 3, plain.temperature)); // no shift: as before
  });
});

describe('recipePriors', () => {
  const train = { y: Int32Array.of(0, 0, 0, 1, 2, 2), asset: Int32Array.of(0, 0, 0, 0, 0, 0), endDayMs: Float64Array.from([0, 1, 2, 300, 401, 402], (d) => d * DAY) };
  const val = { y: Int32Array.of(1, 1, 1, 0) };
  const fold = { train, val } as unknown as Parameters<typeof recipePriors>[0];

  it('is null without the option, the trailing or the validation shares with it, from the training shares', () => {
    expect(recipePriors(fold, {})).toBeNull();
    expect(recipePriors(fold, { priorShift: 'validation' })).toEqual({ from: classShares(train.y), to: [0.25, 0.75, 0] });
    expect(recipePriors(fold, { priorShift: 'trailing', bandDays: 30 })).toEqual({ from: [0.5, 1 / 6, 2 / 6], to: [0, 0, 1] }); // days 401-402
    expect(recipePriors(fold, { priorShift: 'trailing' })!.to).toEqual([0, 1 / 3, 2 / 3]); // 365 days reach back to day 37: days 300-402
  });

  it('names an unknown option', () => {
    expect(() => recipePriors(fold, { priorShift: 'recent' as 'trailing' })).toThrow(/Unknown priorShift 'recent'/);
  });
});
