// Spearman rank correlation, with the ranks taken once so that bootstrap resamples need only a Pearson correlation
// of precomputed ranks (O(n) per resample instead of a sort). Pure; must not import tfjs or node:*.

/** Mid-ranks (1..n, ties averaged) of `values`. */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  for (let lo = 0; lo < n; ) {
    let hi = lo;
    while (hi + 1 < n && values[order[hi + 1]!] === values[order[lo]!]) hi++;
    for (let j = lo; j <= hi; j++) ranks[order[j]!] = (lo + hi) / 2 + 1;
    lo = hi + 1;
  }
  return ranks;
}

/** Pearson correlation of x and y over the rows `idx` (all rows when omitted); NaN when either is constant. */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, idx?: ArrayLike<number>): number {
  const n = idx ? idx.length : x.length;
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j]! : j;
    const a = x[i]!;
    const b = y[i]!;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : Number.NaN;
}

/** Spearman's ρ: the Pearson correlation of the mid-ranks. */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonCorrelation(midRanks(x), midRanks(y));
}
