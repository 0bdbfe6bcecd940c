// Issue #15's three targets for the risk module, judged on an evaluateRisk result: the HAR forecast better than
// every naive forecast in QLIKE with the interval excluding 0 (both horizons); every drawdown probability's ECE at
// most RISK_ECE_TARGET (on the point estimate; the interval is shown beside it); the score ranking the forward 30-day
// volatility better than trailing volatility alone, the interval of the difference above 0. Pure: no node:*.
import { NAIVE_NAMES, type RiskEvaluation } from '@coinsphere/model/core';
import { drawdownLabel } from './risk-labels.ts';

/** Largest expected calibration error (10 bins) a drawdown probability may have. */
export const RISK_ECE_TARGET = 0.05;

/** One target: what was asked, whether it holds, and the figures that decide it. */
export interface RiskTargetCheck {
  target: 'har-beats-naive' | 'drawdown-calibrated' | 'score-beats-trailing';
  /** The target in words. */
  asked: string;
  holds: boolean;
  /** The figures behind the verdict, one line. */
  evidence: string;
}

const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

/** The three targets, in the issue's order. */
export function checkRiskTargets(r: RiskEvaluation): RiskTargetCheck[] {
  const pairs = r.volatility.flatMap((v) => NAIVE_NAMES.map((n) => ({ h: v.horizonDays, n, d: v.harMinus[n].qlike })));
  const losing = pairs.filter((p) => !(p.d.upper < 0));
  const worstUpper = pairs.reduce((a, b) => (b.d.upper > a.d.upper ? b : a));
  const uncalibrated = r.drawdown.filter((d) => !(d.ece.estimate <= RISK_ECE_TARGET));
  const worstEce = r.drawdown.reduce((a, b) => (b.ece.estimate > a.ece.estimate ? b : a));
  const s = r.score.forwardVolatility;
  return [
    {
      target: 'har-beats-naive', asked: 'HAR QLIKE below every naive forecast\'s, the interval of the difference excluding 0', holds: losing.length === 0,
      evidence: losing.length === 0
        ? `all ${pairs.length} HAR − naive QLIKE intervals lie below 0 (the highest upper bound: ${signed(worstUpper.d.upper)}, ${worstUpper.n} at ${worstUpper.h} d)`
        : `not below 0: ${losing.map((p) => `${p.n} at ${p.h} d ${signed(p.d.estimate)} [${signed(p.d.lower)}, ${signed(p.d.upper)}]`).join('; ')}`,
    },
    {
      target: 'drawdown-calibrated', asked: `drawdown probabilities' ECE <= ${RISK_ECE_TARGET}`, holds: uncalibrated.length === 0,
      evidence: uncalibrated.length === 0
        ? `every key's ECE at most ${f3(worstEce.ece.estimate)} (${drawdownLabel(worstEce.key)}); the intervals reach up to ${f3(Math.max(...r.drawdown.map((d) => d.ece.upper)))}`
        : `above ${RISK_ECE_TARGET}: ${uncalibrated.map((d) => `${drawdownLabel(d.key)} ${f3(d.ece.estimate)} [${f3(d.ece.lower)}, ${f3(d.ece.upper)}]`).join('; ')}`,
    },
    {
      target: 'score-beats-trailing', asked: 'the score\'s Spearman with forward 30-day volatility above trailing 30-day volatility\'s, the interval of the difference above 0', holds: s.scoreMinusTrailing.lower > 0,
      evidence: `score ${f3(s.score.estimate)}, trailing ${f3(s.trailingVolatility.estimate)}: difference ${signed(s.scoreMinusTrailing.estimate)} [${signed(s.scoreMinusTrailing.lower)}, ${signed(s.scoreMinusTrailing.upper)}]`,
    },
  ];
}
