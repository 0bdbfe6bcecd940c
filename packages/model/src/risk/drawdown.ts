// The probability that the price falls more than X% below today's close at some close within h days, from the
// forecast daily variance and the fitted Student-t: a seeded simulation of driftless paths of standard t steps,
// kept as the sorted running minima after each horizon, so a probability is one binary search. A table depends
// only on (df, seed, paths), so it is simulated once per df and shared by every asset and day.
// Pure; must not import tfjs or node:*.
import { makeRng } from '../random.ts';
import { drawStudentT } from './student-t.ts';

/** Sorted running minima of simulated paths, per horizon. */
export interface DrawdownTable {
  df: number;
  /** horizonDays → ascending minima over steps 1..h of the cumulative sum of standard t steps. */
  minima: Map<number, Float64Array>;
}

/** Simulates `paths` paths of max(horizonsDays) steps from `seed` and keeps each horizon's sorted minima. */
export function simulateDrawdownTable(df: number, horizonsDays: readonly number[], paths: number, seed: number): DrawdownTable {
  const maxH = Math.max(...horizonsDays);
  const rng = makeRng(seed);
  const minima = new Map(horizonsDays.map((h) => [h, new Float64Array(paths)] as const));
  for (let p = 0; p < paths; p++) {
    let s = 0;
    let min = 0;
    for (let k = 1; k <= maxH; k++) {
      s += drawStudentT(rng, df);
      if (s < min) min = s;
      const out = minima.get(k);
      if (out) out[p] = min;
    }
  }
  for (const m of minima.values()) m.sort();
  return { df, minima };
}

/** Share of ascending `sorted` values strictly below `x`. */
function shareBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/**
 * P(min over the next h closes < close · (1 − fall)) for daily log returns scale·sqrt(dailyVariance)·T_df.
 * `fall` is a fraction (0.1 = 10%), `dailyVariance` the forecast mean daily variance over the horizon.
 * Throws when the table has no such horizon.
 */
export function drawdownProbability(table: DrawdownTable, horizonDays: number, fall: number, dailyVariance: number, scale: number): number {
  const sorted = table.minima.get(horizonDays);
  if (!sorted) throw new Error(`Drawdown table has no horizon ${horizonDays} d. Should be one of: ${[...table.minima.keys()].join(', ')}.`);
  const threshold = Math.log(1 - fall) / (scale * Math.sqrt(dailyVariance)); // in standard t steps, negative
  return shareBelow(sorted, threshold);
}
