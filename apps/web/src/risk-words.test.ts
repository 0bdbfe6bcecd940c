// The risk panel's words: every component with its value in plain words, or the reason it has none in words.
import type { RiskComponentsWire } from '@coinsphere/serving/contract';
import { describe, expect, it } from 'vitest';
import { describeComponents, percent, percentile, smallPercent, usd } from './risk-words.ts';

const ok = <T>(value: T) => ({ ok: true as const, value });
const components: RiskComponentsWire = {
  volatility7d: ok(0.0412), volatility30d: ok(0.038),
  drawdown10pct7d: ok(0.21), drawdown25pct7d: ok(0.014), drawdown10pct30d: ok(0.45), drawdown25pct30d: ok(0.12),
  amihud: ok(0.00031), amihudPercentile: ok(0.67), spread: ok(0.0042), spreadPercentile: ok(0.33),
  size: ok({ tier: 'large', basis: 'market-cap', valueUsd: 1.2e12 }), marketCapUsd: ok(1.2e12),
  ageDays: 2991, varianceSource: 'range',
};

describe('describeComponents', () => {
  it('says each value in words: swings as ±% a day, chances as %, ranks as percentiles, size with its basis, age', () => {
    const text = Object.fromEntries(describeComponents(components).map((l) => [l.key, `${l.label}: ${l.text}`]));
    expect(text.volatility30d).toBe('Forecast daily swings over the next 30 days: ±3.8% a day');
    expect(text.drawdown25pct30d).toBe('Chance of a fall of more than 25% within 30 days: 12%');
    expect(text.drawdown25pct7d).toBe('Chance of a fall of more than 25% within 7 days: 1.4%');
    expect(text.amihudPercentile).toBe('How much trading moves the price (Amihud illiquidity): 67th percentile among the coins that day (100th = least liquid); each $1M traded moved it 0.031% on average over 30 days');
    expect(text.spreadPercentile).toBe('Estimated bid-ask spread: 0.42% of the price, 33rd percentile among the coins that day (100th = widest)');
    expect(text.size).toBe('Size: large (market cap $1.2T)');
    expect(text.ageDays).toBe('Age: 2,991 days of price history');
    expect(text.varianceSource).toBe("Daily swings measured from: each day's high and low");
  });

  it('gives a missing component its reason in words with the module\'s detail, and says when youth adds to the score', () => {
    const lines = describeComponents({
      ...components,
      amihudPercentile: { ok: false, reason: 'too-few-assets', detail: 'fewer than 3 assets have a value that day' },
      size: ok({ tier: 'micro', basis: 'volume', valueUsd: 2.5e6 }),
      ageDays: 400,
    });
    const amihud = lines.find((l) => l.key === 'amihudPercentile')!;
    expect(amihud.reason).toBe('too-few-assets');
    expect(amihud.text).toBe('none: too few coins have data that day to rank this one against (at least 3 are needed) (fewer than 3 assets have a value that day)');
    expect(lines.find((l) => l.key === 'size')!.text).toBe('micro (no market cap known; 30-day mean volume $2.5M a day)');
    expect(lines.find((l) => l.key === 'ageDays')!.text).toBe('400 days of price history (under two years: youth adds to the score)');
  });
});

describe('number words', () => {
  it('formats percentages, ordinal percentiles and dollars', () => {
    expect([percent(0.0412), percent(0.5), percent(1)]).toEqual(['4.1%', '50%', '100%']);
    expect([0, 0.01, 0.02, 0.03, 0.11, 0.12, 0.13, 0.21, 0.67, 1].map(percentile)).toEqual(['0th', '1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '67th', '100th']);
    expect([smallPercent(9.7e-7), smallPercent(0.0042), smallPercent(0.031), smallPercent(0)]).toEqual(['0.000097%', '0.42%', '3.1%', '0%']);
    expect([usd(1.2e12), usd(3.4e8), usd(1e9), usd(950)]).toEqual(['$1.2T', '$340M', '$1B', '$950']);
  });
});
