// The population stability index and the binning it reads, with no other import, so that both the training
// distribution (fitting what a stretch of training rows scores) and the drift check (drift.ts) use one definition.
// Pure; must not import anything.

/** Share given to an empty bin so that ln(a / e) stays finite (a bin empty on both sides adds 0). */
export const PSI_EPSILON = 1e-4;

/** The bin of `value` under ascending interior `edges` (0..edges.length): bin 0 is below edges[0], bin k is
 *  [edges[k-1], edges[k]), the last is at or above the last edge. */
export function binOf(edges: readonly number[], value: number): number {
  let k = 0;
  while (k < edges.length && value >= edges[k]!) k++;
  return k;
}

/** The share of `count` values (read by `at(i)`) in each bin of `edges`. */
export function binShares(edges: readonly number[], count: number, at: (i: number) => number): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < count; i++) counts[binOf(edges, at(i))]!++;
  return counts.map((c) => c / count);
}

/**
 * The population stability index of `actual` against `expected` bin shares (same length, each summing to 1):
 * sum over bins of (a - e) * ln(a / e), each share floored at PSI_EPSILON. 0 for equal shares. Throws when the
 * lengths differ.
 */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new Error(`PSI needs as many actual bins as expected ones; got ${actual.length} and ${expected.length}.`);
  let psi = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = Math.max(expected[k]!, PSI_EPSILON);
    const a = Math.max(actual[k]!, PSI_EPSILON);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}
