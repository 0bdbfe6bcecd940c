// The words of an explanation: which features push toward the call and which away, and the sentence of each.
import { describe, expect, it } from 'vitest';

import { FEATURE_SETS } from '../feature-sets.ts';
import { callDrivers } from './attributions.ts';
import { describeAttribution, featurePhrase } from './feature-phrases.ts';

describe('call drivers', () => {
  const features = [
    { name: 'ret_7d', attribution: 0.031, value: 1.2 },
    { name: 'rsi_14', attribution: -0.004, value: -0.1 },
    { name: 'log_vol_30d', attribution: -0.012, value: -0.8 },
    { name: 'mkt_ret_7d', attribution: 0.0005, value: 0.3 },
    { name: 'body_1d', attribution: 0, value: 0 },
  ];

  it('puts the largest pushes first on each side and a zero on neither', () => {
    const d = callDrivers({ class: 'bullish', features }, 2);
    expect(d.toward.map((f) => f.name)).toEqual(['ret_7d', 'mkt_ret_7d']);
    expect(d.away.map((f) => f.name)).toEqual(['log_vol_30d', 'rsi_14']);
    expect(d.toward[0]!.text).toBe('the past week’s return (above usual) pushed toward bullish by 3.1 points');
    expect(d.away[0]!.text).toBe('how volatile the past month was (below usual) pushed away from bullish by 1.2 points');
  });

  it('words small pushes and levels near the average plainly', () => {
    expect(describeAttribution('mkt_ret_7d', 0.1, 0.0004, 'bearish')).toBe('Bitcoin’s past week (near usual) pushed toward bearish by less than 0.1 points');
  });

  it('has a phrase without underscores for every feature of every set', () => {
    for (const set of Object.values(FEATURE_SETS)) for (const name of set.names) expect(featurePhrase(name), name).not.toMatch(/_/);
    expect(featurePhrase('new_feature')).toBe('new feature');
  });
});
