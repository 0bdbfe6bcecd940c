// Feature drift: the population stability index (PSI) of recent feature rows against the training distribution
// recorded in the artifact (training-distribution.ts), per feature, with the usual reading: below 0.1 stable, 0.1 to
// 0.25 worth watching, above 0.25 drifted. Pure functions; must not import tfjs, node:* or anything runtime-specific.
import { binOf, type FeatureBins, type TrainingDistribution } from './training-distribution.ts';

/** PSI at or above which a feature is worth watching. */
export const PSI_WATCH = 0.1;
/** PSI above which a feature has drifted (`coinsphere monitor` exits non-zero). */
export const PSI_DRIFT = 0.25;
/** Share given to an empty bin so that ln(a / e) stays finite (a bin empty on both sides adds 0). */
export const PSI_EPSILON = 1e-4;

export type DriftLevel = 'stable' | 'watch' | 'drift';

/** One feature's drift. */
export interface FeatureDrift {
  feature: string;
  psi: number;
  level: DriftLevel;
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

/** 'stable' below PSI_WATCH, 'watch' up to PSI_DRIFT, 'drift' above. */
export function driftLevel(psi: number): DriftLevel {
  return psi > PSI_DRIFT ? 'drift' : psi >= PSI_WATCH ? 'watch' : 'stable';
}

/** The bins `symbol`'s rows are compared with: its own training rows' (a pooled model's trained asset), else all. */
export function driftReference(dist: TrainingDistribution, symbol?: string): { reference: 'asset' | 'all'; bins: readonly FeatureBins[] } {
  const own = symbol === undefined ? undefined : dist.bySymbol?.[symbol];
  return own ? { reference: 'asset', bins: own } : { reference: 'all', bins: dist.features };
}

/**
 * PSI of each feature of `rows` ([nRows, nFeatures], normalised as the network reads them, e.g. an asset's last 90
 * days) against the training bins (`symbol`'s own when the distribution has them, else all training rows'), in
 * the distribution's feature order. Throws when there are no rows or the row width does not match.
 */
export function featureDrift(dist: TrainingDistribution, rows: Float32Array, nRows: number, symbol?: string): FeatureDrift[] {
  const nf = dist.features.length;
  if (nRows < 1 || rows.length !== nRows * nf) throw new Error(`featureDrift got ${rows.length} values for ${nRows} rows of ${nf} features; expected ${nRows * nf} and at least one row.`);
  const { bins } = driftReference(dist, symbol);
  return dist.features.map(({ name }, j) => {
    const f = { name, ...bins[j]! };
    const counts = new Array<number>(f.proportions.length).fill(0);
    for (let t = 0; t < nRows; t++) counts[binOf(f.edges, rows[t * nf + j]!)]!++;
    const psi = populationStabilityIndex(f.proportions, counts.map((c) => c / nRows));
    return { feature: f.name, psi, level: driftLevel(psi) };
  });
}
