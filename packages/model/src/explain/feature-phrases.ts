// Every feature of both feature sets in words someone following crypto reads without the formulas
// (packages/model/README.md has those), and a sentence for one attribution. Must not import anything but types.
import type { V2FeatureName } from '../features-v2.ts';
import type { FeatureName } from '../features.ts';

/** Plain phrases of the features, by name: what the number measures, not how. */
export const FEATURE_PHRASES: Readonly<Record<FeatureName | V2FeatureName, string>> = {
  close: 'the price level',
  change_1h: 'the last hour’s price change',
  change_24h: 'the day’s price change',
  hl_spread: 'the day’s trading range',
  log_returns: 'the day’s return',
  rsi: 'buying vs selling pressure (RSI)',
  macd: 'short- vs long-term trend (MACD)',
  macd_signal: 'the smoothed trend signal (MACD signal)',
  bb_upper: 'room to the upper volatility band',
  bb_lower: 'room to the lower volatility band',
  ema_20: 'price vs its 20-day average',
  ema_50: 'price vs its 50-day average',
  volume_ma: 'average trading volume',
  volume: 'the day’s trading volume',
  volume_change: 'the change in trading volume',
  market_cap: 'market capitalisation',
  market_cap_change: 'the change in market capitalisation',
  social_score: 'social media activity',
  sentiment_pos: 'positive sentiment',
  sentiment_neg: 'negative sentiment',
  ret_1d: 'the last day’s return',
  ret_7d: 'the past week’s return',
  ret_14d: 'the past two weeks’ return',
  ret_28d: 'the past four weeks’ return',
  log_vol_7d: 'how volatile the past week was',
  log_vol_30d: 'how volatile the past month was',
  mom_7d_z: 'the week’s momentum for its volatility',
  mom_28d_z: 'the month’s momentum for its volatility',
  rsi_14: 'buying vs selling pressure (RSI)',
  ema_gap_20: 'price vs its 20-day average',
  ema_gap_50: 'price vs its 50-day average',
  drawdown_90d: 'the drop from the 90-day high',
  range_pos_30d: 'where the price sits in its 30-day range',
  body_1d: 'how the day closed within its range',
  volume_z_30d: 'trading volume vs its month',
  illiq_30d: 'how thinly it trades (price impact of volume)',
  mkt_ret_7d: 'Bitcoin’s past week',
  mkt_ret_28d: 'Bitcoin’s past four weeks',
  mkt_log_vol_30d: 'how volatile Bitcoin was this month',
  rel_ret_28d: 'the past four weeks vs Bitcoin’s',
};

/** The phrase of `name`; a feature without one (a newer set) is shown by its name with underscores as spaces. */
export function featurePhrase(name: string): string {
  return (FEATURE_PHRASES as Record<string, string>)[name] ?? name.replaceAll('_', ' ');
}

/** "above" / "below" / "near" its training average, from the newest day's z-score (|z| < 0.25 is near). */
export function levelWord(z: number): 'above' | 'below' | 'near' {
  return z >= 0.25 ? 'above' : z <= -0.25 ? 'below' : 'near';
}

/**
 * One attribution as a sentence: "the past week’s return (above usual) pushed toward bullish by 2.1 points".
 * `attribution` is in probability units (0.021 = 2.1 percentage points); `z` the newest day's normalised value.
 */
export function describeAttribution(name: string, z: number, attribution: number, className: string): string {
  const level = levelWord(z);
  const points = Math.abs(attribution * 100);
  const size = points >= 0.1 ? `${points.toFixed(1)} points` : 'less than 0.1 points';
  return `${featurePhrase(name)} (${level === 'near' ? 'near' : level} usual) pushed ${attribution >= 0 ? 'toward' : 'away from'} ${className} by ${size}`;
}
