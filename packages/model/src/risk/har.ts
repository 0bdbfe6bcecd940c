// The HAR model of Corsi (2009) in its direct form: the mean daily variance over the next h days regressed on
// today's variance, the 5-day and the 22-day means (4 coefficients with the intercept), in levels or in logs.
// Fitted by ordinary least squares from running normal equations (X'X, X'y), so a walk-forward refit that only ever
// adds rows costs O(1) per row plus a 4×4 solve: written by hand because a regression library would refit from
// the rows each time. Pure; must not import tfjs or node:*.
import { trailingMean } from './rolling.ts';

/** The HAR components' lookbacks, days. */
export const HAR_LAGS_DAYS = [1, 5, 22] as const;

/** Smallest daily variance a forecast or a log takes (a 0.01% daily move): flat bars would otherwise give ln 0. */
export const VARIANCE_FLOOR = 1e-8;

/** HAR regressors per calendar day ([nDays] each): the day's variance and its trailing 5- and 22-day means. */
export interface HarInputs {
  daily: Float64Array;
  weekly: Float64Array;
  monthly: Float64Array;
}

/** The regressors of `variance`: the weekly and monthly means over the days present, NaN when more than
 *  `maxGapShare` of a window's days are missing (0.2: one of 5, four of 22). */
export function harInputs(variance: Float64Array, maxGapShare = 0): HarInputs {
  return {
    daily: variance,
    weekly: trailingMean(variance, 5, Math.floor(5 * maxGapShare)),
    monthly: trailingMean(variance, 22, Math.floor(22 * maxGapShare)),
  };
}

/** Running sums of the normal equations of y = x·β with k regressors (the intercept included in x). */
export interface NormalEquations {
  k: number;
  n: number;
  /** [k, k] row-major. */
  xtx: Float64Array;
  /** [k]. */
  xty: Float64Array;
  yty: number;
}

export function createNormalEquations(k: number): NormalEquations {
  return { k, n: 0, xtx: new Float64Array(k * k), xty: new Float64Array(k), yty: 0 };
}

/** Adds one row x [k] with target y. */
export function addNormalRow(ne: NormalEquations, x: ArrayLike<number>, y: number): void {
  const { k } = ne;
  for (let a = 0; a < k; a++) {
    ne.xty[a] = ne.xty[a]! + x[a]! * y;
    for (let b = 0; b < k; b++) ne.xtx[a * k + b] = ne.xtx[a * k + b]! + x[a]! * x[b]!;
  }
  ne.yty += y * y;
  ne.n++;
}

/**
 * β solving X'X β = X'y by Gaussian elimination with partial pivoting, and the mean squared residual
 * (y'y − β'X'y) / n. Null when there are fewer rows than regressors or X'X is singular.
 */
export function solveNormalEquations(ne: NormalEquations): { beta: Float64Array; residualVariance: number } | null {
  const { k } = ne;
  if (ne.n < k) return null;
  const m = new Float64Array(k * (k + 1)); // [k, k+1] augmented
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) m[a * (k + 1) + b] = ne.xtx[a * k + b]!;
    m[a * (k + 1) + k] = ne.xty[a]!;
  }
  const scale = Math.max(...Array.from({ length: k }, (_, a) => Math.abs(ne.xtx[a * k + a]!)));
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r * (k + 1) + col]!) > Math.abs(m[pivot * (k + 1) + col]!)) pivot = r;
    if (!(Math.abs(m[pivot * (k + 1) + col]!) > 1e-14 * scale)) return null;
    for (let c = 0; c <= k; c++) [m[col * (k + 1) + c], m[pivot * (k + 1) + c]] = [m[pivot * (k + 1) + c]!, m[col * (k + 1) + c]!];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r * (k + 1) + col]! / m[col * (k + 1) + col]!;
      for (let c = col; c <= k; c++) m[r * (k + 1) + c] = m[r * (k + 1) + c]! - f * m[col * (k + 1) + c]!;
    }
  }
  const beta = Float64Array.from({ length: k }, (_, a) => m[a * (k + 1) + k]! / m[a * (k + 1) + a]!);
  let fitted = 0;
  for (let a = 0; a < k; a++) fitted += beta[a]! * ne.xty[a]!;
  return { beta, residualVariance: Math.max(0, (ne.yty - fitted) / ne.n) };
}

/** A fitted HAR for one horizon: mean daily variance over the next `horizonDays` days. */
export interface HarFit {
  horizonDays: number;
  /** Regression in ln variance (forecast exp(x·β + s²/2), the lognormal mean) or in variance. */
  logs: boolean;
  /** [intercept, daily, weekly, monthly]. */
  beta: number[];
  /** Mean squared residual of the fit (in logs when `logs`). */
  residualVariance: number;
  /** Pooled rows it was fitted on. */
  nRows: number;
}

/** The regressor row [1, d, w, m] (logs of the floored values when `logs`) into `out` [4]; false when any is NaN. */
export function harRow(inputs: HarInputs, i: number, logs: boolean, out: Float64Array): boolean {
  const d = inputs.daily[i]!;
  const w = inputs.weekly[i]!;
  const m = inputs.monthly[i]!;
  if (!(Number.isFinite(d) && Number.isFinite(w) && Number.isFinite(m))) return false;
  const t = logs ? (v: number) => Math.log(Math.max(VARIANCE_FLOOR, v)) : (v: number) => v;
  out[0] = 1;
  out[1] = t(d);
  out[2] = t(w);
  out[3] = t(m);
  return true;
}

/** The HAR target as regressed: the h-day forward mean variance, or its log (floored). */
export function harTarget(forwardMeanVariance: number, logs: boolean): number {
  return logs ? Math.log(Math.max(VARIANCE_FLOOR, forwardMeanVariance)) : forwardMeanVariance;
}

/** The forecast mean daily variance from a regressor row [4], floored at VARIANCE_FLOOR. */
export function harForecast(fit: HarFit, row: ArrayLike<number>): number {
  let z = 0;
  for (let a = 0; a < 4; a++) z += fit.beta[a]! * row[a]!;
  return Math.max(VARIANCE_FLOOR, fit.logs ? Math.exp(z + fit.residualVariance / 2) : z);
}
