// The Degen Risk Score in plain words for the dashboard's risk panel: each component as a sentence with its value,
// or the reason it has none, and what each reason means. Wording only (the numbers are the risk module's, and the
// score's meaning is its RISK_SCORE_MEANING); pure, so it is tested without a browser. Must not touch the DOM.
import type { RiskReason } from '@coinsphere/model/core';
import type { RiskComponentsWire } from '@coinsphere/serving/contract';

/** What each reason for a missing value means, for someone who has not read the risk module. */
export const RISK_REASON_WORDS: Record<RiskReason, string> = {
  'too-little-history': 'the coin has too short a price history yet',
  'gap-in-lookback': 'too many days are missing from its recent candles',
  'zero-volume': 'it had days with no trading volume recently, so liquidity cannot be judged',
  'no-high-low': 'the data source gives closing prices only, without the daily high and low',
  'no-market-cap': 'the data source gives no market cap',
  'model-not-fitted': 'the model has too little past data (over all coins) to be fitted yet',
  'too-few-assets': 'too few coins have data that day to rank this one against (at least 3 are needed)',
};

/** One component as the panel shows it: its label, and its value in words or why it has none. */
export interface ComponentLine {
  key: keyof RiskComponentsWire;
  label: string;
  text: string;
  /** The reason it has no value (null: it has one). */
  reason: RiskReason | null;
}

type Value<T> = { ok: true; value: T } | { ok: false; reason: RiskReason; detail: string };

/** A percentage with one decimal below 10%, none above: 0.0412 → "4.1%", 0.5 → "50%". */
export const percent = (x: number): string => `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;

/** A small percentage with two significant digits and no exponent: 9.7e-7 → "0.000097%", 0.0042 → "0.42%". */
export function smallPercent(x: number): string {
  const p = x * 100;
  if (p === 0) return '0%';
  const digits = Math.min(20, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(p)))));
  return `${p.toFixed(digits)}%`;
}

/** An ordinal percentile of a 0-1 rank: 0.67 → "67th". */
export function percentile(x: number): string {
  const n = Math.round(x * 100);
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** US dollars, short: 1.2e12 → "$1.2T", 3.4e8 → "$340M", 950 → "$950". */
export function usd(v: number): string {
  for (const [size, unit] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const) {
    const x = v / size;
    if (v >= size) return `$${x >= 100 ? x.toFixed(0) : x.toPrecision(2).replace(/\.0$/, '')}${unit}`;
  }
  return `$${v.toFixed(0)}`;
}

/** The reason in words, with the module's detail: "the coin has too short … (12 days of history; needs 30)". */
export const reasonText = (v: { reason: RiskReason; detail: string }): string => `${RISK_REASON_WORDS[v.reason]} (${v.detail})`;

function line<T>(key: ComponentLine['key'], label: string, v: Value<T>, words: (value: T) => string): ComponentLine {
  return v.ok ? { key, label, text: words(v.value), reason: null } : { key, label, text: `none: ${reasonText(v)}`, reason: v.reason };
}

/** Every component of an assessment as a labelled sentence, in the order the panel lists them. */
export function describeComponents(c: RiskComponentsWire): ComponentLine[] {
  const swing = (v: number) => `±${percent(v)} a day`;
  const chance = (v: number) => percent(v);
  return [
    line('volatility7d', 'Forecast daily swings over the next 7 days', c.volatility7d, swing),
    line('volatility30d', 'Forecast daily swings over the next 30 days', c.volatility30d, swing),
    line('drawdown10pct7d', 'Chance of a fall of more than 10% within 7 days', c.drawdown10pct7d, chance),
    line('drawdown25pct7d', 'Chance of a fall of more than 25% within 7 days', c.drawdown25pct7d, chance),
    line('drawdown10pct30d', 'Chance of a fall of more than 10% within 30 days', c.drawdown10pct30d, chance),
    line('drawdown25pct30d', 'Chance of a fall of more than 25% within 30 days', c.drawdown25pct30d, chance),
    line('amihudPercentile', 'How much trading moves the price (Amihud illiquidity)', c.amihudPercentile, (p) =>
      `${percentile(p)} percentile among the coins that day (100th = least liquid)${c.amihud.ok ? `; each $1M traded moved it ${smallPercent(c.amihud.value)} on average over 30 days` : ''}`),
    line('spreadPercentile', 'Estimated bid-ask spread', c.spreadPercentile, (p) =>
      `${c.spread.ok ? `${smallPercent(c.spread.value)} of the price, ` : ''}${percentile(p)} percentile among the coins that day (100th = widest)`),
    line('size', 'Size', c.size, (s) => `${s.tier} (${s.basis === 'market-cap' ? `market cap ${usd(s.valueUsd)}` : `no market cap known; 30-day mean volume ${usd(s.valueUsd)} a day`})`),
    {
      key: 'ageDays',
      label: 'Age',
      text: `${c.ageDays.toLocaleString('en-US')} days of price history${c.ageDays < 730 ? ' (under two years: youth adds to the score)' : ''}`,
      reason: null,
    },
    {
      key: 'varianceSource',
      label: 'Daily swings measured from',
      text: { range: "each day's high and low", 'close-to-close': 'close-to-close moves (the source gives no high and low)', missing: 'nothing (no candle that day)' }[c.varianceSource],
      reason: null,
    },
  ];
}
