// The evaluation plots shared by the report and the dashboard: all four drawn from one asset's result, text from
// data escaped, and a plot whose data is missing left out instead of drawn from nothing.
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../metrics.ts';
import { assetPlots, type AssetPlotInput } from './svg-plots.ts';

const ci = (estimate: number) => ({ estimate, lower: estimate - 0.1, upper: estimate + 0.1 });

function input(symbol: string): AssetPlotInput {
  const probs = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.2, 0.7, 0.2, 0.6, 0.2, 0.6, 0.3, 0.1]); // [4, 3]
  const metrics = computeMetrics(probs, [0, 2, 1, 2]);
  return {
    symbol,
    horizonDays: 7,
    folds: [
      { testStart: '2024-01-01', predictors: { model: { accuracy: ci(0.5) }, majority: { accuracy: ci(0.4) } } },
      { testStart: '2024-04-01', predictors: { model: { accuracy: ci(0.6) }, majority: { accuracy: ci(0.45) } } },
    ],
    overall: { n: 4, predictors: { model: { metrics }, uncalibrated: { metrics }, logistic: { metrics } } },
    trading: { dayMs: [0, 86_400_000, 2 * 86_400_000], equity: { model: [1, 1.1, 1.05], buyAndHold: [1, 0.9, 1.2] } },
  };
}

describe('assetPlots', () => {
  it('draws the reliability diagram, confusion matrix, fold accuracy and equity curves with their legends', () => {
    const plots = assetPlots(input('BTC'), { feeBps: 10, slippageBps: 5 });
    for (const svg of Object.values(plots)) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).not.toContain('NaN');
    }
    expect(Object.keys(plots)).toEqual(['reliability', 'confusion', 'folds', 'equity']);
    expect(plots.reliability).toContain('>model (T-scaled)</text>');
    expect(plots.reliability).not.toContain('>pooled</text>'); // no pooled model in this result
    expect(plots.confusion).toContain('BTC 7d: model confusion (n = 4)');
    expect(plots.folds).toContain('>majority</text>');
    expect(plots.equity).toContain('fees 10 + slippage 5 bps/side');
    expect(plots.equity).toContain('>1970-01-01</text>');
  });

  it('escapes text that comes from data', () => {
    const evil = input('<img src=x onerror=alert(1)>');
    evil.folds[0]!.testStart = '<b>&';
    const all = Object.values(assetPlots(evil, { feeBps: 10, slippageBps: 5 })).join('');
    expect(all).not.toContain('<img');
    expect(all).not.toContain('<b>');
    expect(all).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(all).toContain('&lt;b&gt;&amp;');
  });

  it('leaves out a plot whose data is absent', () => {
    const bare = { ...input('ETH'), folds: [], trading: { dayMs: [], equity: {} }, overall: { n: 0, predictors: {} } };
    expect(assetPlots(bare, { feeBps: 10, slippageBps: 5 })).toEqual({});
  });
});
