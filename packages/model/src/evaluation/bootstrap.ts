// Moving-block bootstrap confidence intervals. Labels of neighbouring days share most of their forward window,
// so rows are not independent: resampling single days would give intervals that are far too narrow. We resample
// blocks of consecutive rows (circularly, within each stratum such as an asset) instead. Pure; no tfjs, no node:*.
import { makeRng } from '../random.ts';

/** Options of blockBootstrap. */
export interface BootstrapOptions {
  /** Rows per block; at least the label horizon (default 7). */
  blockLength?: number;
  /** Resamples (default 1000). */
  iterations?: number;
  /** Interval coverage (default 0.95). */
  level?: number;
  seed?: number;
  /** Lengths of consecutive strata (e.g. one per asset) summing to n; blocks never cross a stratum. Default one. */
  strata?: readonly number[];
  /**
   * Calendar day of each row (any ascending day key per row, e.g. epoch ms), for rows of many assets on the same
   * days. When given, strata are ignored and blocks are drawn over the distinct days: a block of L consecutive
   * days brings every row of those days, so assets that move together (all of crypto follows BTC) are resampled
   * together and the interval does not pretend they are independent evidence.
   */
  days?: ArrayLike<number>;
}

/** Rows grouped by distinct day, days ascending: [rows of day 0], [rows of day 1], … */
function groupByDay(days: ArrayLike<number>): Int32Array[] {
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < days.length; i++) {
    const list = byDay.get(days[i]!);
    if (list) list.push(i);
    else byDay.set(days[i]!, [i]);
  }
  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([, rows]) => Int32Array.from(rows));
}

/** A point estimate with its percentile interval. */
export interface ConfidenceInterval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Percentile intervals of one or more statistics over rows 0..n-1. `statistics(idx)` gets the resampled row
 * indices ([n]) and returns one number per statistic; it is called once on the identity for the estimates.
 * Each stratum of length m is rebuilt from ceil(m / L) circular blocks with uniform random starts, cut to m.
 * Throws when the strata do not sum to n.
 */
export function blockBootstrap(
  n: number,
  statistics: (idx: Int32Array) => readonly number[],
  opts: BootstrapOptions = {},
): ConfidenceInterval[] {
  const iterations = opts.iterations ?? 1000;
  const level = opts.level ?? 0.95;
  const strata = opts.strata ?? [n];
  if (strata.reduce((s, m) => s + m, 0) !== n) throw new Error(`Bootstrap strata sum to ${strata.reduce((s, m) => s + m, 0)}, not n = ${n}.`);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const estimates = statistics(identity);
  const draws = estimates.map(() => new Float64Array(iterations));
  const rng = makeRng(opts.seed ?? 12345);
  const idx = new Int32Array(n);
  const groups = opts.days ? groupByDay(opts.days) : null;
  for (let it = 0; it < iterations; it++) {
    if (groups) {
      // Blocks of consecutive days (circular), every row of each day, until n rows are drawn.
      const L = Math.max(1, Math.min(groups.length, opts.blockLength ?? 7));
      for (let filled = 0; filled < n; ) {
        const start = Math.floor(rng() * groups.length);
        for (let j = 0; j < L && filled < n; j++) {
          for (const r of groups[(start + j) % groups.length]!) {
            if (filled >= n) break;
            idx[filled++] = r;
          }
        }
      }
      statistics(idx).forEach((v, s) => (draws[s]![it] = v));
      continue;
    }
    let offset = 0;
    for (const m of strata) {
      const L = Math.max(1, Math.min(m, opts.blockLength ?? 7));
      for (let filled = 0; filled < m; ) {
        const start = Math.floor(rng() * m);
        for (let j = 0; j < L && filled < m; j++, filled++) idx[offset + filled] = offset + ((start + j) % m);
      }
      offset += m;
    }
    statistics(idx).forEach((v, s) => (draws[s]![it] = v));
  }
  const alpha = (1 - level) / 2;
  return estimates.map((estimate, s) => {
    const sorted = draws[s]!.sort();
    return { estimate, lower: quantile(sorted, alpha), upper: quantile(sorted, 1 - alpha) };
  });
}

/** Linear-interpolated quantile q of ascending values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
