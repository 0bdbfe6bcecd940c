// The targets evaluate --risk states, judged on an evaluateRisk result and on copies of it with one figure moved
// across the line: each verdict turns on exactly the figure the issue names.
import { evaluateRisk, makeSyntheticCandles, type RiskEvaluation } from '@coinsphere/model/core';
import { describe, expect, it } from 'vitest';
import { checkRiskTargets, RISK_ECE_TARGET } from './risk-targets.ts';

const series = [0, 1, 2, 3].map((k) => ({ symbol: `S${k}`, candles: makeSyntheticCandles(800, k + 1, { startMs: Date.UTC(2017, 5, 1), volatility: 0.02 + 0.01 * k }) }));
const base = evaluateRisk(series, { bootstrapIterations: 100 });
const holds = (r: RiskEvaluation) => Object.fromEntries(checkRiskTargets(r).map((t) => [t.target, t.holds]));

/** `base` with every HAR − naive QLIKE interval below 0, every ECE at the target and the score 0.01 above trailing. */
function passing(): RiskEvaluation {
  const r = structuredClone(base);
  for (const v of r.volatility) for (const d of Object.values(v.harMinus)) d.qlike = { estimate: -0.1, lower: -0.2, upper: -0.01 };
  for (const d of r.drawdown) d.ece = { estimate: RISK_ECE_TARGET, lower: 0.01, upper: 0.09 };
  r.score.forwardVolatility.scoreMinusTrailing = { estimate: 0.01, lower: 0.001, upper: 0.02 };
  return r;
}

describe('checkRiskTargets', () => {
  it('holds all three when every figure is on the right side', () => {
    const r = passing();
    r.drawdown[3]!.ece.upper = 0.12;
    expect(holds(r)).toEqual({ 'har-beats-naive': true, 'drawdown-calibrated': true, 'score-beats-trailing': true });
    expect(checkRiskTargets(r)[1]!.evidence).toBe('every key\'s ECE at most 0.050 (10% in 7 d); the intervals reach up to 0.120');
  });

  it('fails HAR when one naive forecast\'s interval reaches 0, naming it', () => {
    const r = passing();
    r.volatility[1]!.harMinus.ewma.qlike.upper = 0.001;
    const [har] = checkRiskTargets(r);
    expect(har).toMatchObject({ holds: false });
    expect(har!.evidence).toBe('not below 0: ewma at 30 d -0.100 [-0.200, +0.001]');
  });

  it('fails calibration on one ECE point estimate above 0.05, not on an interval that reaches past it', () => {
    const r = passing();
    r.drawdown[2]!.ece.estimate = RISK_ECE_TARGET + 0.001;
    expect(holds(r)['drawdown-calibrated']).toBe(false);
    expect(checkRiskTargets(r)[1]!.evidence).toBe('above 0.05: 10% in 30 d 0.051 [0.010, 0.090]');
  });

  it('does not credit the score when the interval of its difference with trailing volatility holds 0', () => {
    const r = passing();
    r.score.forwardVolatility.scoreMinusTrailing.lower = -0.001;
    expect(holds(r)['score-beats-trailing']).toBe(false);
  });
});
