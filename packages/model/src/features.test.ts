import { describe, expect, it } from 'vitest';

import { type Candle, DAY_MS, HOUR_MS } from './candle.ts';
import { computeFeatures, FEATURE_NAMES, type FeatureName, N_FEATURES } from './features.ts';
import type { SentimentProvider } from './sentiment-provider.ts';
import { makeSyntheticCandles, makeSyntheticHourly } from './synthetic-candles.ts';

// Reference implementations written out by hand, independent of technicalindicators.
function ema(values: number[], period: number): number[] {
  const out: number[] = new Array(values.length).fill(Number.NaN);
  let prev = values.slice(0, period).reduce((a, b) => a + b, 0) / period;
  out[period - 1] = prev;
  for (let i = period; i < values.length; i++) {
    prev = (values[i]! - prev) * (2 / (period + 1)) + prev;
    out[i] = prev;
  }
  return out;
}
function rsi(values: number[], period: number, t: number): number {
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = values[i]! - values[i - 1]!;
    gain += Math.max(d, 0) / period;
    loss += Math.max(-d, 0) / period;
  }
  for (let i = period + 1; i <= t; i++) {
    const d = values[i]! - values[i - 1]!;
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
  }
  return 100 - 100 / (1 + gain / loss);
}
function meanStd(values: number[]): [number, number] {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return [m, Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length)];
}

const daily = makeSyntheticCandles(70, 3);
const close = daily.map((c) => c.close);
const f = computeFeatures(daily);
const at = (t: number, name: FeatureName) => f.rows[t * N_FEATURES + FEATURE_NAMES.indexOf(name)]!;

describe('computeFeatures', () => {
  it('lists the specification’s 20 features in its order', () => {
    expect(FEATURE_NAMES).toHaveLength(20);
    expect(FEATURE_NAMES[0]).toBe('close');
    expect(FEATURE_NAMES[12]).toBe('volume_ma');
    expect(FEATURE_NAMES[19]).toBe('sentiment_neg');
  });

  it('computes the price features by their formulas on a two-day fixture', () => {
    const two: Candle[] = [
      { openTimeMs: 0, open: 95, high: 105, low: 90, close: 100, baseVolume: 10, quoteVolumeUsd: 1000, marketCapUsd: 2e9 },
      { openTimeMs: DAY_MS, open: 100, high: 120, low: 90, close: 110, baseVolume: 20, quoteVolumeUsd: 2200, marketCapUsd: 2.2e9 },
    ];
    const g = computeFeatures(two);
    const row = (name: FeatureName) => g.rows[N_FEATURES + FEATURE_NAMES.indexOf(name)]!;
    expect(row('close')).toBeCloseTo(Math.log(110), 5);
    expect(row('change_24h')).toBeCloseTo(0.1, 6);
    expect(row('log_returns')).toBeCloseTo(Math.log(1.1), 6);
    expect(row('hl_spread')).toBeCloseTo(30 / 110, 6);
    expect(row('volume')).toBeCloseTo(Math.log1p(2200), 5);
    expect(row('volume_change')).toBeCloseTo(Math.log(2201 / 1001), 5);
    expect(row('market_cap')).toBeCloseTo(Math.log(2.2e9), 4);
    expect(row('market_cap_change')).toBeCloseTo(0.1, 6);
    expect(g.firstValidIndex).toBe(49); // EMA 50 is not warmed up: no valid row yet
  });

  it('matches hand-written RSI, MACD, Bollinger, EMA and volume SMA', () => {
    expect(f.firstValidIndex).toBe(49);
    const ema12 = ema(close, 12);
    const ema26 = ema(close, 26);
    const macdLine = close.map((_, i) => ema12[i]! - ema26[i]!);
    const signal = ema(macdLine.slice(25), 9);
    const ema20 = ema(close, 20);
    const ema50 = ema(close, 50);
    for (const t of [49, 60, 69]) {
      const c = close[t]!;
      expect(at(t, 'rsi')).toBeCloseTo(rsi(close, 14, t), 1); // the package rounds RSI to 2 decimals
      expect(at(t, 'macd')).toBeCloseTo(macdLine[t]! / c, 6);
      expect(at(t, 'macd_signal')).toBeCloseTo(signal[t - 25]! / c, 6);
      const [mid, sd] = meanStd(close.slice(t - 19, t + 1));
      expect(at(t, 'bb_upper')).toBeCloseTo((mid + 2 * sd) / c - 1, 6);
      expect(at(t, 'bb_lower')).toBeCloseTo((mid - 2 * sd) / c - 1, 6);
      expect(at(t, 'ema_20')).toBeCloseTo(c / ema20[t]! - 1, 6);
      expect(at(t, 'ema_50')).toBeCloseTo(c / ema50[t]! - 1, 6);
      const volumes = daily.slice(t - 19, t + 1).map((d) => d.quoteVolumeUsd!);
      expect(at(t, 'volume_ma')).toBeCloseTo(Math.log1p(meanStd(volumes)[0]), 4);
    }
  });

  it('takes change_1h from the day’s last two hourly closes and marks it real only where hourly data covers it', () => {
    const hourly = makeSyntheticHourly(daily, 5);
    const g = computeFeatures(daily, { hourly });
    const t = 55;
    const expected = hourly[t * 24 + 23]!.close / hourly[t * 24 + 22]!.close - 1;
    expect(g.rows[t * N_FEATURES + FEATURE_NAMES.indexOf('change_1h')]).toBeCloseTo(expected, 6);
    expect(g.featureStatus.change_1h).toBe('real');
    expect(f.featureStatus.change_1h).toBe('missing');
    expect(at(t, 'change_1h')).toBe(0);
    // Hourly data for the first 55 days only: 7 of 21 valid rows covered.
    const partial = computeFeatures(daily, { hourly: hourly.filter((h) => h.openTimeMs < daily[55]!.openTimeMs + DAY_MS) });
    expect(partial.featureCoverage.change_1h).toBeCloseTo(7 / 21, 6);
    expect(partial.featureStatus.change_1h).toBe('missing');
    // A lone hourly candle (no predecessor an hour earlier) gives the neutral value.
    const lone = [{ ...hourly[t * 24 + 23]!, openTimeMs: daily[t]!.openTimeMs + 23 * HOUR_MS }];
    expect(computeFeatures(daily, { hourly: lone }).rows[t * N_FEATURES + 1]).toBe(0);
  });

  it('marks market cap missing and neutral for sources without it, and hl_spread for price-only sources', () => {
    const g = computeFeatures(makeSyntheticCandles(70, 3, { withoutMarketCap: true, priceOnly: true }));
    expect(g.featureStatus.market_cap).toBe('missing');
    expect(g.featureStatus.market_cap_change).toBe('missing');
    expect(g.featureStatus.hl_spread).toBe('missing');
    expect(g.featureStatus.close).toBe('real');
    for (const name of ['market_cap', 'market_cap_change', 'hl_spread'] as const) {
      expect(g.rows[60 * N_FEATURES + FEATURE_NAMES.indexOf(name)]).toBe(0);
    }
    expect(f.featureStatus.market_cap).toBe('real');
  });

  it('starts valid rows after leading days without volume, and carries later gaps forward', () => {
    const gappy = daily.map((c, i) => ({ ...c, quoteVolumeUsd: i < 40 || i === 62 ? 0 : c.quoteVolumeUsd }));
    const g = computeFeatures(gappy);
    expect(g.firstValidIndex).toBe(40 + 19);
    const vol = (t: number) => g.rows[t * N_FEATURES + FEATURE_NAMES.indexOf('volume')]!;
    expect(vol(62)).toBe(vol(61));
    expect(g.featureCoverage.volume).toBeCloseTo(10 / 11, 6);
  });

  it('uses a pluggable sentiment provider and reports the constant one as a placeholder', () => {
    expect(f.featureStatus.social_score).toBe('placeholder');
    expect(at(60, 'social_score')).toBe(50);
    const provider: SentimentProvider = {
      name: 'test',
      kind: 'real',
      readingAt: (dayMs) => ({ socialScore: (dayMs / DAY_MS) % 100, sentimentPos: 60, sentimentNeg: 20 }),
    };
    const g = computeFeatures(daily, { sentiment: provider });
    expect(g.featureStatus.sentiment_pos).toBe('real');
    expect(g.rows[60 * N_FEATURES + FEATURE_NAMES.indexOf('social_score')]).toBe((daily[60]!.openTimeMs / DAY_MS) % 100);
    expect(g.rows[60 * N_FEATURES + FEATURE_NAMES.indexOf('sentiment_neg')]).toBe(20);
  });

  it('refuses unsorted candles and names the row', () => {
    const bad = [daily[1]!, daily[0]!];
    expect(() => computeFeatures(bad)).toThrow(/candle 1 .* not after candle 0/);
    expect(() => computeFeatures([{ ...daily[0]!, close: 0 }])).toThrow(/close 0/);
  });
});
