// What the commonsense baselines say for one asset, horizon and day, as publish records them beside a prediction
// (issue #16), by the walk-forward's rules: persistence (the class of the last horizon's return under the
// prediction's own band), majority (the training split's class shares as probabilities) and momentum (EMA 20 above
// EMA 50: bullish, else bearish). Pure; must not import node:*.
import { CLASS_NAMES, classifyReturn, momentumClasses, type ClassName } from '@coinsphere/model/core';
import type { TrackRecordBaseline } from './contract/index.ts';

type Probabilities = Record<ClassName, number>;

const oneHotOf = (c: number): Probabilities => ({ bearish: c === 0 ? 1 : 0, neutral: c === 1 ? 1 : 0, bullish: c === 2 ? 1 : 0 });

/**
 * The baselines' calls on candle `t` of `closes` (oldest first) at `horizonDays`, judged by `band` (simple returns).
 * Persistence needs the close `horizonDays` before t; momentum needs 50 closes; majority needs `trainShares` (the
 * model's training class shares). A baseline that cannot be computed is absent.
 */
export function baselineCalls(
  closes: ArrayLike<number>,
  t: number,
  horizonDays: number,
  band: { lowerReturn: number; upperReturn: number },
  trainShares: Probabilities | null,
): Partial<Record<TrackRecordBaseline, Probabilities>> {
  const out: Partial<Record<TrackRecordBaseline, Probabilities>> = {};
  if (t - horizonDays >= 0 && t < closes.length) {
    const c = classifyReturn(closes[t]! / closes[t - horizonDays]! - 1, { lower: band.lowerReturn, upper: band.upperReturn });
    if (c >= 0) out.persistence = oneHotOf(c);
  }
  if (trainShares && CLASS_NAMES.every((c) => Number.isFinite(trainShares[c]))) out.majority = { ...trainShares };
  if (t >= 49 && t < closes.length) out.momentum = oneHotOf(momentumClasses(closes, [t])[0]!);
  return out;
}
