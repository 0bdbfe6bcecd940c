import { describe, expect, it } from 'vitest';

import { type Candle } from './candle.ts';
import { computeFeatureSet, parseFeatureSet } from './feature-sets.ts';
import { computeFeaturesV2, V2_FEATURE_NAMES, V2_WARMUP_DAYS, type V2FeatureName } from './features-v2.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';

const NF = V2_FEATURE_NAMES.length;
const daily = makeSyntheticCandles(200, 11);
const market = makeSyntheticCandles(200, 12);
const f = computeFeaturesV2(daily, { market });
const at = (m: typeof f, t: number, name: V2FeatureName) => m.rows[t * NF + V2_FEATURE_NAMES.indexOf(name)]!;
const close = daily.map((c) => c.close);

describe('computeFeaturesV2', () => {
  it('computes returns, range volatility and drawdown by their formulas', () => {
    const t = 150;
    expect(at(f, t, 'ret_1d')).toBeCloseTo(Math.log(close[t]! / close[t - 1]!), 6);
    expect(at(f, t, 'ret_28d')).toBeCloseTo(Math.log(close[t]! / close[t - 28]!), 6);
    // Parkinson: sqrt(mean over 7 days of ln(H/L)^2 / (4 ln 2)).
    const park = Math.sqrt(daily.slice(t - 6, t + 1).reduce((s, c) => s + Math.log(c.high! / c.low!) ** 2, 0) / 7 / (4 * Math.log(2)));
    expect(at(f, t, 'log_vol_7d')).toBeCloseTo(Math.log(park), 5);
    const peak = Math.max(...close.slice(t - 89, t + 1));
    expect(at(f, t, 'drawdown_90d')).toBeCloseTo(Math.log(close[t]! / peak), 6);
    expect(at(f, t, 'mom_28d_z')).toBeCloseTo(at(f, t, 'ret_28d') / (Math.exp(at(f, t, 'log_vol_30d')) * Math.sqrt(28)), 4);
  });

  it('reads the market factor by day, and an asset against itself has no relative return', () => {
    const mClose = market.map((c) => c.close);
    expect(at(f, 120, 'mkt_ret_7d')).toBeCloseTo(Math.log(mClose[120]! / mClose[113]!), 6);
    const self = computeFeaturesV2(daily, { market: daily });
    expect(at(self, 120, 'rel_ret_28d')).toBeCloseTo(0, 7);
  });

  it('is causal: appending later candles (of the asset or the market) changes no earlier row', () => {
    const short = computeFeaturesV2(daily.slice(0, 120), { market: market.slice(0, 120) });
    const long = computeFeaturesV2(daily, { market });
    expect(Array.from(long.rows.subarray(V2_WARMUP_DAYS * NF, 120 * NF))).toEqual(Array.from(short.rows.subarray(V2_WARMUP_DAYS * NF, 120 * NF)));
  });

  it('holds the neutral 0 and says "missing" when a source lacks volume, range or the market', () => {
    const bare: Candle[] = daily.map((c) => ({ ...c, open: null, high: null, low: null, baseVolume: null, quoteVolumeUsd: null }));
    const g = computeFeaturesV2(bare);
    for (const name of ['volume_z_30d', 'illiq_30d', 'body_1d', 'mkt_ret_7d', 'rel_ret_28d'] as const) {
      expect(g.featureStatus[name]).toBe('missing');
      expect(at(g, 150, name)).toBe(0);
    }
    expect(g.featureStatus.log_vol_30d).toBe('real'); // close-to-close when there is no range
    expect(Number.isFinite(at(g, 150, 'log_vol_30d'))).toBe(true);
    expect(f.featureStatus.volume_z_30d).toBe('real');
  });

  it('marks warm-up rows and keeps every later value finite', () => {
    expect(f.firstValidIndex).toBe(V2_WARMUP_DAYS);
    expect(Number.isNaN(f.rows[0])).toBe(true);
    expect(f.rows.subarray(V2_WARMUP_DAYS * NF).every(Number.isFinite)).toBe(true);
  });
});

describe('computeFeatureSet', () => {
  it('names the allowed sets when given another, and checks candle order for every set', () => {
    expect(() => parseFeatureSet('v3')).toThrow('Unknown feature set "v3". Should be one of: spec, v2.');
    const unsorted = [daily[1]!, daily[0]!, ...daily.slice(2)];
    expect(() => computeFeatureSet('v2', unsorted)).toThrow(/oldest first/);
    expect(computeFeatureSet('spec', daily).rows.length).toBe(200 * 20);
  });
});
