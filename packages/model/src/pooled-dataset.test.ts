import { describe, expect, it } from 'vitest';

import { DAY_MS } from './candle.ts';
import { planCalendarFolds, prepareAssetFrame, preparePooledFold, type PooledDataOptions } from './pooled-dataset.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';

const opts: PooledDataOptions = { featureSet: 'v2', labels: 'volatility', normalization: 'asset', horizonDays: 7, windowBars: 30 };
const start = Date.UTC(2020, 0, 1);
const btc = makeSyntheticCandles(1200, 1, { startMs: start });
const eth = makeSyntheticCandles(1000, 2, { startMs: start + 200 * DAY_MS });
const newcomer = makeSyntheticCandles(400, 3, { startMs: start + 800 * DAY_MS });
const frames = (o = opts) => [
  prepareAssetFrame('BTC', btc, o, { market: btc }),
  prepareAssetFrame('ETH', eth, o, { market: btc }),
  prepareAssetFrame('NEW', newcomer, o, { market: btc }),
];
const day = (i: number) => start + i * DAY_MS;
const days = { trainEndDayMs: day(900), valStartDayMs: day(908), valEndDayMs: day(1000), testStartDayMs: day(1008), testEndDayMs: day(1150) };

describe('preparePooledFold', () => {
  const fold = preparePooledFold(frames(), days, opts);

  it('splits every asset by the same calendar days with a purge gap of the horizon', () => {
    const labelDay = (d: number) => d + 7 * DAY_MS;
    expect(Math.max(...fold.train.endDayMs.map(labelDay))).toBeLessThan(days.valStartDayMs);
    expect(Math.max(...fold.val.endDayMs.map(labelDay))).toBeLessThan(days.testStartDayMs);
    expect(Math.min(...fold.test.endDayMs)).toBe(days.testStartDayMs);
    expect(new Set(fold.test.asset)).toEqual(new Set([0, 1, 2]));
    expect(new Set(fold.train.asset)).toEqual(new Set([0, 1, 2]));
  });

  it('fits nothing on later data: changing every candle after the last training label leaves training windows and rules as they were', () => {
    const shocked = btc.map((c, i) => (i >= 908 ? { ...c, close: c.close * 3, high: c.high! * 3, low: c.low! * 3, open: c.open! * 3 } : c));
    const other = preparePooledFold([prepareAssetFrame('BTC', shocked, opts, { market: shocked }), ...frames().slice(1)], days, opts);
    expect(other.rules).toEqual(fold.rules);
    expect(Array.from(other.train.x)).toEqual(Array.from(fold.train.x));
    expect(Array.from(other.test.x)).not.toEqual(Array.from(fold.test.x));
  });

  it('normalises an asset the model barely trained on with its own history before the test block', () => {
    const nNew = fold.train.asset.filter((a) => a === 2).length;
    expect(nNew).toBeLessThan(180);
    expect(fold.normalizers[2]).not.toEqual(fold.normalizers[0]);
    const global = preparePooledFold(frames({ ...opts, normalization: 'global' }), days, { ...opts, normalization: 'global' });
    expect(global.normalizers[0]).toEqual(global.normalizers[2]);
  });

  it('gives each asset its own fixed band under the fixed rule, and one k for all under the volatility rule', () => {
    expect(new Set(fold.rules.map((r) => JSON.stringify(r))).size).toBe(1);
    const fixed = preparePooledFold(frames({ ...opts, labels: 'fixed' }), days, { ...opts, labels: 'fixed' });
    expect(fixed.rules[0]).not.toEqual(fixed.rules[1]);
    expect(fixed.rules[0]!.kind).toBe('fixed');
  });
});

describe('preparePooledFold with bandDays (#13 experiment)', () => {
  const fixed: PooledDataOptions = { ...opts, labels: 'fixed' };
  // BTC's first 300 days made wilder; its last training day is day 893 (the label of day 893 lands on day 900)
  const wild = btc.map((c, i) => (i < 300 ? { ...c, close: c.close * (1 + 0.2 * Math.sin(i)) } : c));
  const withWild = (o: PooledDataOptions) => [prepareAssetFrame('BTC', wild, o, { market: btc }), ...frames(o).slice(1)];

  it('fits each asset\'s fixed band on its last bandDays days of training rows only', () => {
    const recent = { ...fixed, bandDays: 365 };
    expect(preparePooledFold(withWild(recent), days, recent).rules[0]).toEqual(preparePooledFold(frames(recent), days, recent).rules[0]);
    expect(preparePooledFold(withWild(fixed), days, fixed).rules[0]).not.toEqual(preparePooledFold(frames(fixed), days, fixed).rules[0]);
  });
});

describe('planCalendarFolds', () => {
  it('lays contiguous test blocks back from the newest day, each after two gaps and a validation block', () => {
    const folds = planCalendarFolds(day(0), day(1500), { horizonDays: 14, foldDays: 100, valDays: 50, minTrainDays: 365 });
    expect(folds.at(-1)!.testEndDayMs).toBe(day(1500));
    for (let k = 1; k < folds.length; k++) expect(folds[k]!.testStartDayMs).toBe(folds[k - 1]!.testEndDayMs + DAY_MS);
    for (const f of folds) {
      expect((f.testStartDayMs - f.valEndDayMs) / DAY_MS).toBe(15);
      expect((f.valStartDayMs - f.trainEndDayMs) / DAY_MS).toBe(15);
      expect((f.trainEndDayMs - day(0)) / DAY_MS + 1).toBeGreaterThanOrEqual(365);
    }
    expect(() => planCalendarFolds(day(0), day(300), { horizonDays: 7 })).toThrow(/No pooled fold fits 301 days/);
  });
});
