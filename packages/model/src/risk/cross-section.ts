// Cross-sectional percentiles: where an asset's value stands among the assets that have one on the same day.
// Pure; must not import tfjs or node:*.

/**
 * Mid-rank percentiles in (0, 1) of `values` (one per asset, NaN = no value): (rank − 0.5) / m over the m finite
 * values, ties sharing their mean rank. NaN for a NaN input, and for every asset when m < `minAssets`.
 */
export function crossSectionPercentiles(values: readonly number[], minAssets: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const finite = values.map((v, a) => ({ v, a })).filter((e) => Number.isFinite(e.v)).sort((x, y) => x.v - y.v);
  const m = finite.length;
  if (m < minAssets) return out;
  for (let lo = 0; lo < m; ) {
    let hi = lo;
    while (hi + 1 < m && finite[hi + 1]!.v === finite[lo]!.v) hi++;
    const midRank = (lo + hi) / 2 + 1;
    for (let j = lo; j <= hi; j++) out[finite[j]!.a] = (midRank - 0.5) / m;
    lo = hi + 1;
  }
  return out;
}
