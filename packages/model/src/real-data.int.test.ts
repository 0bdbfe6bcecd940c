// The pipeline over the real Kaggle BTC file: runs when ../shared/data is present, skips loudly otherwise.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

import { describeWithSharedData, sharedData } from '../../../tests/support/shared-data.ts';
import type { Candle } from './candle.ts';
import { prepareDataset } from './dataset.ts';
import { FEATURE_NAMES, N_FEATURES } from './features.ts';

/** coin_<Name>.csv: SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap (note the column order). */
function readKaggle(file: string): Candle[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, , , date, high, low, open, close, volume, cap] = line.split(',');
      const num = (s: string | undefined) => Number(s);
      return {
        openTimeMs: Date.parse(`${date!.slice(0, 10)}T00:00:00Z`),
        open: num(open), high: num(high), low: num(low), close: num(close),
        baseVolume: null, quoteVolumeUsd: num(volume), marketCapUsd: num(cap) > 0 ? num(cap) : null,
      };
    });
}

describeWithSharedData('pipeline on the real BTC history', () => {
  const daily = readKaggle(sharedData('kaggle-cryptocurrency-historical-prices', 'coin_Bitcoin.csv'));
  const ds = prepareDataset(daily, { horizonDays: 7, windowBars: 90 });

  it('starts after the zero-volume days of 2013 and gives finite windows in every part', () => {
    expect(daily).toHaveLength(2991);
    expect(ds.train.endDayMs[0]).toBe(daily[242 + 19 + 89]!.openTimeMs);
    for (const part of [ds.train, ds.val, ds.test]) expect(part.x.every(Number.isFinite)).toBe(true);
    expect(ds.featureStatus.market_cap).toBe('real');
    expect(ds.featureStatus.change_1h).toBe('missing');
  });

  it('keeps test-split features on the training scale (scale-free transforms) and every class present', () => {
    const maxAbs = new Array<number>(N_FEATURES).fill(0);
    ds.test.x.forEach((v, i) => (maxAbs[i % N_FEATURES] = Math.max(maxAbs[i % N_FEATURES]!, Math.abs(v))));
    for (const name of ['macd', 'bb_upper', 'ema_50', 'rsi'] as const) {
      expect(maxAbs[FEATURE_NAMES.indexOf(name)]).toBeLessThan(10);
    }
    for (const name of ['social_score', 'change_1h'] as const) expect(maxAbs[FEATURE_NAMES.indexOf(name)]).toBe(0);
    for (const part of ['train', 'val', 'test'] as const) {
      const shares = ds.classBalance[part].shares;
      expect(Math.min(shares.bearish, shares.neutral, shares.bullish)).toBeGreaterThan(0.05);
    }
  });
});
