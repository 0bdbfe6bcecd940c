import { describe, expect, it } from 'vitest';
import { type Candle, DAY_MS } from '../candle.ts';
import { prepareDataset } from '../dataset.ts';
import { classifyReturn, type LabelThresholds } from '../labels.ts';
import { makeRng, randomNormal } from '../random.ts';
import { planWalkForward, prepareFold, sampleDays } from './walk-forward.ts';

/** A driftless random walk: no feature predicts the next label, so honest accuracy is about chance. */
function randomWalk(nDays: number, seed: number): Candle[] {
  const rng = makeRng(seed);
  let close = 100;
  return Array.from({ length: nDays }, (_, i) => {
    const open = close;
    close = open * Math.exp(0.03 * randomNormal(rng));
    return {
      openTimeMs: Date.UTC(2019, 0, 1) + i * DAY_MS, open, high: Math.max(open, close) * 1.01, low: Math.min(open, close) * 0.99,
      close, baseVolume: 1000, quoteVolumeUsd: 1000 * close, marketCapUsd: close * 1e6,
    };
  });
}

/** A "model" that memorises the forward return of every row it was trained on, keyed by the row's day, and
 * classifies it with the test rows' thresholds. Days it never saw: neutral. */
function memoriserAccuracy(
  train: { endDayMs: Float64Array; forwardReturns: Float64Array }[],
  test: { endDayMs: Float64Array; y: Int32Array },
  thresholds: LabelThresholds,
): number {
  const seen = new Map<number, number>();
  for (const part of train) part.endDayMs.forEach((d, i) => seen.set(d, part.forwardReturns[i]!));
  let hits = 0;
  test.endDayMs.forEach((d, i) => {
    const r = seen.get(d);
    hits += (r === undefined ? 1 : classifyReturn(r, thresholds)) === test.y[i] ? 1 : 0;
  });
  return hits / test.y.length;
}

describe('planWalkForward', () => {
  const days = Float64Array.from({ length: 1000 }, (_, i) => i * DAY_MS);

  it('lays contiguous test blocks ending at the last sample, purging at least the horizon before val and test', () => {
    const folds = planWalkForward(days, { horizonDays: 7, foldDays: 90, minTrainDays: 200 });
    expect(folds.at(-1)!.test.end).toBe(1000);
    for (const [k, f] of folds.entries()) {
      expect(f.index).toBe(k);
      expect(f.test.end - f.test.start).toBe(90);
      expect(f.val.start - f.train.end).toBeGreaterThanOrEqual(7);
      expect(f.test.start - f.val.end).toBeGreaterThanOrEqual(7);
      expect(f.train.end - f.train.start).toBeGreaterThanOrEqual(200);
      if (k > 0) expect(f.test.start).toBe(folds[k - 1]!.test.end);
    }
  });

  it('keeps at most windowDays of history with --window and never less than the horizon as gap', () => {
    const folds = planWalkForward(days, { horizonDays: 30, gapDays: 5, foldDays: 60, minTrainDays: 100, windowDays: 300 });
    for (const f of folds) {
      expect(f.val.end - f.train.start).toBeLessThanOrEqual(300);
      expect(f.test.start - f.val.end).toBe(30);
    }
    expect(folds[folds.length - 1]!.train.start).toBeGreaterThan(0);
  });

  it('refuses a history too short for one fold, naming the counts', () => {
    expect(() => planWalkForward(days.subarray(0, 300), { horizonDays: 7, minTrainDays: 365 })).toThrow(/No walk-forward fold fits 300 samples/);
  });
});

describe('prepareFold', () => {
  const candles = randomWalk(1100, 3);
  const h = 14;
  const windowBars = 10;
  const folds = planWalkForward(sampleDays(candles, h, windowBars), { horizonDays: h, foldDays: 60, minTrainDays: 250 });

  it('never lets a training or validation label reach into the test block, for expanding and rolling windows', () => {
    for (const windowDays of [undefined, 300]) {
      const plan = planWalkForward(sampleDays(candles, h, windowBars), { horizonDays: h, foldDays: 60, minTrainDays: 150, windowDays });
      for (const fold of plan) {
        const ds = prepareFold(candles, fold, { horizonDays: h, windowBars });
        expect(ds.test.endDayMs[0]).toBe(fold.testStartDayMs);
        expect(ds.test.endDayMs[ds.test.n - 1]).toBe(fold.testEndDayMs);
        const rowOf = (d: number) => candles.findIndex((c) => c.openTimeMs === d);
        const firstTestRow = rowOf(ds.test.endDayMs[0]!);
        // A label at row r reads close[r + h]: that must be at or before the first test day.
        expect(rowOf(ds.val.endDayMs[ds.val.n - 1]!) + h).toBeLessThanOrEqual(firstTestRow);
        expect(rowOf(ds.train.endDayMs[ds.train.n - 1]!) + h).toBeLessThanOrEqual(rowOf(ds.val.endDayMs[0]!));
      }
    }
  });

  it('gives a memorising model chance accuracy on test blocks, where a leaky split gives it perfect accuracy', () => {
    // The leak this guards against: a model trained on rows whose labels cover the test days.
    const leakyTrain = prepareDataset(candles, { horizonDays: h, windowBars, splits: { fractions: [0.9, 0.05, 0.05] } }).train;
    const honest: number[] = [];
    const leaky: number[] = [];
    for (const fold of folds) {
      const ds = prepareFold(candles, fold, { horizonDays: h, windowBars });
      honest.push(memoriserAccuracy([ds.train, ds.val], ds.test, ds.thresholds));
      if (fold.testEndDayMs <= leakyTrain.endDayMs[leakyTrain.n - 1]!) leaky.push(memoriserAccuracy([leakyTrain], ds.test, ds.thresholds));
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(leaky.length).toBeGreaterThanOrEqual(3);
    expect(mean(leaky)).toBe(1);
    expect(mean(honest)).toBeLessThan(0.5);
  });
});
