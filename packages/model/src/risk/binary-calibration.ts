// Calibration of probabilities of a yes/no event: Brier score, expected calibration error and the reliability table
// (the same ReliabilityBin as the direction model's, with "accuracy" read as the observed event rate).
// computeMetrics (metrics.ts) is for the three direction classes and its ECE bins the top-class confidence, which
// is not the event probability; hence this small helper. Pure; must not import tfjs or node:*.
import type { ReliabilityBin } from '../metrics.ts';

/** Brier, ECE and reliability of probabilities against outcomes. */
export interface BinaryCalibration {
  n: number;
  /** Observed event rate. */
  eventRate: number;
  /** Mean (p − y)^2. */
  brier: number;
  /** Sum over bins of count/n · |event rate − mean p|. */
  ece: number;
  reliability: ReliabilityBin[];
}

/**
 * Metrics of `probs` [n] against `outcomes` [n] (1 event, 0 none), over the rows `idx` (all when omitted), with
 * `bins` equal-width bins of p. Throws when the lengths differ or there are no rows.
 */
export function binaryCalibration(probs: ArrayLike<number>, outcomes: ArrayLike<number>, bins = 10, idx?: ArrayLike<number>): BinaryCalibration {
  if (probs.length !== outcomes.length) throw new Error(`binaryCalibration got ${probs.length} probabilities for ${outcomes.length} outcomes.`);
  const n = idx ? idx.length : probs.length;
  if (n === 0) throw new Error('binaryCalibration needs at least one row.');
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  let brier = 0;
  let events = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j]! : j;
    const p = probs[i]!;
    const y = outcomes[i]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    sumP[b] = sumP[b]! + p;
    sumY[b] = sumY[b]! + y;
    brier += (p - y) ** 2;
    events += y;
  }
  const reliability: ReliabilityBin[] = Array.from({ length: bins }, (_, b) => ({
    lower: b / bins, upper: (b + 1) / bins, count: count[b]!,
    meanConfidence: count[b]! > 0 ? sumP[b]! / count[b]! : 0,
    accuracy: count[b]! > 0 ? sumY[b]! / count[b]! : 0,
  }));
  const ece = reliability.reduce((s, r) => s + (r.count / n) * Math.abs(r.accuracy - r.meanConfidence), 0);
  return { n, eventRate: events / n, brier: brier / n, ece, reliability };
}

/** Mean (p − y)^2 over rows `idx`: the Brier score alone, for bootstrap resamples. */
export function brierScore(probs: ArrayLike<number>, outcomes: ArrayLike<number>, idx: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < idx.length; j++) s += (probs[idx[j]!]! - outcomes[idx[j]!]!) ** 2;
  return s / idx.length;
}
