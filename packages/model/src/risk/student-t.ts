// The fat tail of daily returns: a scaled Student-t fitted by maximum likelihood to standardized past returns
// (z = r_(t+1) / sqrt(forecast variance at t)), kept as a histogram of |z| so that a walk-forward refit costs a
// pass over the bins rather than over every past row, and seeded draws from it. Degrees of freedom come from a
// fixed grid (each grid value's drawdown table is simulated once). Pure; must not import tfjs or node:*.
import type { Rng } from '../random.ts';

/** Degrees of freedom tried by the fit; 50 is nearly normal. */
export const STUDENT_T_DF_GRID = [2.5, 3, 3.5, 4, 5, 6, 8, 12, 20, 50] as const;

/** Bin width and range of the |z| histogram (|z| past the last bin counts in the last bin). */
const BIN_WIDTH = 0.1;
const N_BINS = 300; // |z| up to 30

/** Counts of |z| in bins of width 0.1 up to 30. */
export interface AbsZHistogram {
  counts: Float64Array; // [N_BINS]
  n: number;
}

export function createAbsZHistogram(): AbsZHistogram {
  return { counts: new Float64Array(N_BINS), n: 0 };
}

/** Adds one standardized return. Non-finite values are ignored. */
export function addAbsZ(hist: AbsZHistogram, z: number): void {
  if (!Number.isFinite(z)) return;
  const bin = Math.min(N_BINS - 1, Math.floor(Math.abs(z) / BIN_WIDTH));
  hist.counts[bin] = hist.counts[bin]! + 1;
  hist.n++;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7; |error| < 1e-13 on the range used here). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0]!;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** A fitted scaled Student-t: z = scale · T_df. */
export interface StudentTFit {
  df: number;
  scale: number;
  /** Mean log-likelihood per row at the optimum. */
  meanLogLik: number;
  n: number;
}

/** EM for the scale at fixed df (the t as a normal scale mixture) over the non-empty bins (count, z²), then the
 *  mean log-likelihood. */
function fitScale(bins: { c: Float64Array; z2: Float64Array }, n: number, df: number): { scale: number; meanLogLik: number } {
  let s2 = 1;
  for (let it = 0; it < 25; it++) {
    let num = 0;
    for (let b = 0; b < bins.c.length; b++) num += (bins.c[b]! * (df + 1) * bins.z2[b]!) / (df + bins.z2[b]! / s2);
    s2 = num / n;
  }
  const k = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - 0.5 * Math.log(s2);
  let ll = 0;
  for (let b = 0; b < bins.c.length; b++) ll += bins.c[b]! * (k - ((df + 1) / 2) * Math.log(1 + bins.z2[b]! / (s2 * df)));
  return { scale: Math.sqrt(s2), meanLogLik: ll / n };
}

/** The maximum-likelihood df on STUDENT_T_DF_GRID and its scale. Null with fewer than `minRows` rows. */
export function fitStudentT(hist: AbsZHistogram, minRows = 100): StudentTFit | null {
  if (hist.n < minRows) return null;
  const full = Array.from(hist.counts.keys()).filter((b) => hist.counts[b]! > 0);
  const bins = { c: Float64Array.from(full, (b) => hist.counts[b]!), z2: Float64Array.from(full, (b) => ((b + 0.5) * BIN_WIDTH) ** 2) };
  let best: StudentTFit | null = null;
  for (const df of STUDENT_T_DF_GRID) {
    const { scale, meanLogLik } = fitScale(bins, hist.n, df);
    if (!best || meanLogLik > best.meanLogLik) best = { df, scale, meanLogLik, n: hist.n };
  }
  return best;
}

/**
 * One standard Student-t draw with `df` degrees of freedom by Bailey's (1994) polar method: (u, v) uniform in the
 * unit disc, w = u² + v², T = u · sqrt(df (w^(−2/df) − 1) / w). Two uniforms and a power per draw, about five
 * times faster than a normal over the root of a gamma.
 */
export function drawStudentT(rng: Rng, df: number): number {
  for (;;) {
    const u = 2 * rng() - 1;
    const v = 2 * rng() - 1;
    const w = u * u + v * v;
    if (w > 0 && w < 1) return u * Math.sqrt((df * (w ** (-2 / df) - 1)) / w);
  }
}
