// The specification's performance targets ("to be validated after initial model training") and a pass / fail
// verdict against what the walk-forward measured. Pure; no tfjs, no node:*.

/** Accuracy targets by horizon, for BTC, ETH and any other asset (the specification's table). */
export const SPEC_ACCURACY_TARGETS: Record<number, { BTC: number; ETH: number; other: number }> = {
  7: { BTC: 0.72, ETH: 0.68, other: 0.65 },
  14: { BTC: 0.68, ETH: 0.65, other: 0.6 },
  30: { BTC: 0.62, ETH: 0.58, other: 0.55 },
};

/** "Confidence calibration" tolerance: we read it as expected calibration error at most this (10 bins). */
export const SPEC_CALIBRATION_TARGETS = { BTC: 0.05, ETH: 0.07, other: 0.1 } as const;

/** One row of the targets table. */
export interface TargetCheck {
  symbol: string;
  horizonDays: number;
  metric: 'accuracy' | 'calibration (ECE)';
  target: string;
  measured: number;
  lower: number;
  upper: number;
  pass: boolean;
}

const pick = <T>(table: { BTC: T; ETH: T; other: T }, symbol: string): T =>
  symbol === 'BTC' ? table.BTC : symbol === 'ETH' ? table.ETH : table.other;

/**
 * Checks one asset and horizon: accuracy must reach the target (pass on the point estimate; the interval is shown
 * beside it) and ECE must be at most the tolerance. Horizons without a target give only the calibration row.
 */
export function checkTargets(
  symbol: string,
  horizonDays: number,
  accuracy: { estimate: number; lower: number; upper: number },
  ece: { estimate: number; lower: number; upper: number },
): TargetCheck[] {
  const out: TargetCheck[] = [];
  const acc = SPEC_ACCURACY_TARGETS[horizonDays];
  if (acc) {
    const t = pick(acc, symbol);
    out.push({ symbol, horizonDays, metric: 'accuracy', target: `>= ${(t * 100).toFixed(0)}%`, measured: accuracy.estimate, lower: accuracy.lower, upper: accuracy.upper, pass: accuracy.estimate >= t });
  }
  const tol = pick(SPEC_CALIBRATION_TARGETS, symbol);
  out.push({ symbol, horizonDays, metric: 'calibration (ECE)', target: `<= ${(tol * 100).toFixed(0)}%`, measured: ece.estimate, lower: ece.lower, upper: ece.upper, pass: ece.estimate <= tol });
  return out;
}
