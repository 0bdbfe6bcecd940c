import { describe, expect, it } from 'vitest';

import { DAY_MS } from './candle.ts';
import { concatSamples, prepareDataset } from './dataset.ts';
import { computeFeatures, FEATURE_NAMES, N_FEATURES } from './features.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';

const daily = makeSyntheticCandles(600, 11);

describe('prepareDataset', () => {
  const ds = prepareDataset(daily, { horizonDays: 7, windowBars: 30 });

  it('gives windows of [n, windowBars, 20] with labels, in time order and purged between parts', () => {
    for (const part of [ds.train, ds.val, ds.test]) {
      expect(part.x.length).toBe(part.n * 30 * N_FEATURES);
      expect(part.y.length).toBe(part.n);
      expect(Math.min(...part.y)).toBeGreaterThanOrEqual(0);
    }
    // First sample: 49 warm-up rows + a 30-day window; last labeled day is 7 days before the last candle.
    expect(ds.train.endDayMs[0]).toBe(daily[49 + 29]!.openTimeMs);
    expect(ds.test.endDayMs[ds.test.n - 1]).toBe(daily[600 - 1 - 7]!.openTimeMs);
    expect((ds.val.endDayMs[0]! - ds.train.endDayMs[ds.train.n - 1]!) / DAY_MS).toBeGreaterThan(7);
    expect((ds.test.endDayMs[0]! - ds.val.endDayMs[ds.val.n - 1]!) / DAY_MS).toBeGreaterThan(7);
    expect(ds.train.n + ds.val.n + ds.test.n + 14).toBe(600 - 78 - 7);
    expect(ds.splitDates.train.start).toBe(new Date(daily[78]!.openTimeMs).toISOString().slice(0, 10));
  });

  it('fits the normaliser on training rows: training windows are z-scores, label shares near a third', () => {
    const col = FEATURE_NAMES.indexOf('log_returns');
    let sum = 0;
    let count = 0;
    for (let i = col; i < ds.train.x.length; i += N_FEATURES) {
      sum += ds.train.x[i]!;
      count++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.2);
    expect(ds.classBalance.train.shares.neutral).toBeCloseTo(1 / 3, 1);
    expect(ds.featureStatus.social_score).toBe('placeholder');
  });

  it('labels each window with the class of its forward return and gives persistence its past class', () => {
    const k = 5;
    const r = ds.train.forwardReturns[k]!;
    const expected = r < ds.thresholds.lower ? 0 : r > ds.thresholds.upper ? 2 : 1;
    expect(ds.train.y[k]).toBe(expected);
    const t = 78 + k;
    const past = daily[t]!.close / daily[t - 7]!.close - 1;
    expect(ds.train.persistence[k]).toBe(past < ds.thresholds.lower ? 0 : past > ds.thresholds.upper ? 2 : 1);
  });
});

describe('no leakage', () => {
  it('leaves every earlier feature row, window, normaliser and threshold unchanged when future candles are appended', () => {
    const longer = makeSyntheticCandles(800, 11); // the same first 600 days, then 200 more
    expect(longer[599]).toEqual(daily[599]);
    const a = computeFeatures(daily);
    const b = computeFeatures(longer);
    expect(Array.from(b.rows.subarray(0, a.rows.length))).toEqual(Array.from(a.rows));
    const splits = { trainEndDayMs: daily[400]!.openTimeMs, valEndDayMs: daily[480]!.openTimeMs };
    const da = prepareDataset(daily, { horizonDays: 7, windowBars: 30, splits });
    const db = prepareDataset(longer, { horizonDays: 7, windowBars: 30, splits });
    expect(db.normalizer).toEqual(da.normalizer);
    expect(db.thresholds).toEqual(da.thresholds);
    expect(Array.from(db.train.x)).toEqual(Array.from(da.train.x));
    expect(Array.from(db.train.y)).toEqual(Array.from(da.train.y));
    expect(Array.from(db.val.x)).toEqual(Array.from(da.val.x));
    expect(Array.from(db.test.x.subarray(0, da.test.x.length))).toEqual(Array.from(da.test.x));
    expect(db.test.n).toBeGreaterThan(da.test.n);
  });

  it('changes the normaliser when training days change, so the test above can fail', () => {
    const splits = { trainEndDayMs: daily[401]!.openTimeMs, valEndDayMs: daily[480]!.openTimeMs };
    const moved = prepareDataset(daily, { horizonDays: 7, windowBars: 30, splits });
    const base = prepareDataset(daily, {
      horizonDays: 7,
      windowBars: 30,
      splits: { trainEndDayMs: daily[400]!.openTimeMs, valEndDayMs: daily[480]!.openTimeMs },
    });
    expect(moved.normalizer).not.toEqual(base.normalizer);
  });
});

describe('concatSamples', () => {
  it('puts the parts end to end, reading only each part\'s first n samples', () => {
    const a = { x: Float32Array.from([1, 2, 3, 4, 99, 99]), y: Int32Array.from([0, 1, 9]), n: 2 };
    const b = { x: Float32Array.from([5, 6]), y: Int32Array.from([2]), n: 1 };
    const out = concatSamples([a, b], 2);
    expect(out.n).toBe(3);
    expect(Array.from(out.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(out.y)).toEqual([0, 1, 2]);
  });
});
