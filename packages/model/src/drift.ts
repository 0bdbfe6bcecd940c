// Feature drift: the population stability index (PSI, psi.ts) of recent feature rows against the training
// distribution recorded in the artifact (training-distribution.ts), per feature, with the usual reading: below 0.1
// stable, 0.1 to 0.25 worth watching, above 0.25 drifted; raised, where the artifact records it, to what stretches
// of the same length of the training rows themselves scored. Pure functions; must not import tfjs, node:* or
// anything runtime-specific.
import { binShares, populationStabilityIndex } from './psi.ts';
import type { FeatureBins, TrainingDistribution } from './training-distribution.ts';

export { PSI_EPSILON, populationStabilityIndex } from './psi.ts';

/** PSI at or above which a feature is worth watching. */
export const PSI_WATCH = 0.1;
/** PSI above which a feature has drifted (`coinsphere monitor` exits non-zero). */
export const PSI_DRIFT = 0.25;

export type DriftLevel = 'stable' | 'watch' | 'drift';

/** What a stretch of the training rows themselves scores: the PSI of each non-overlapping `days`-row block of a
 *  training series against the bins, its median and 95th percentile. */
export interface BlockPsi {
  days: number;
  median: number;
  p95: number;
}

/** One feature's drift. */
export interface FeatureDrift {
  feature: string;
  psi: number;
  level: DriftLevel;
  /** What stretches of the same length of the training rows scored, when the artifact records it. */
  chance?: BlockPsi;
}

/**
 * 'stable' below PSI_WATCH, 'watch' up to PSI_DRIFT, 'drift' above. With the training blocks' PSI of the same
 * length (`chance`), the thresholds rise to what the training history itself showed: watch at its median, drift
 * above its 95th percentile, so a slow feature (a 30-day volatility) whose every 90-day stretch looks unlike the
 * whole is not called drifted for being slow.
 */
export function driftLevel(psi: number, chance?: BlockPsi): DriftLevel {
  const drift = Math.max(PSI_DRIFT, chance?.p95 ?? 0);
  const watch = Math.max(PSI_WATCH, chance?.median ?? 0);
  return psi > drift ? 'drift' : psi >= watch ? 'watch' : 'stable';
}

/** The bins `symbol`'s rows are compared with: its own training rows' (a pooled model's trained asset), else all. */
export function driftReference(dist: TrainingDistribution, symbol?: string): { reference: 'asset' | 'all'; bins: readonly FeatureBins[] } {
  const own = symbol === undefined ? undefined : dist.bySymbol?.[symbol];
  return own ? { reference: 'asset', bins: own } : { reference: 'all', bins: dist.features };
}

/**
 * PSI of each feature of `rows` ([nRows, nFeatures], normalised as the network reads them, e.g. an asset's last 90
 * days) against the training bins (`symbol`'s own when the distribution has them, else all training rows'), in
 * the distribution's feature order, each read against the training blocks of the same length when recorded.
 * Throws when there are no rows or the row width does not match.
 */
export function featureDrift(dist: TrainingDistribution, rows: Float32Array, nRows: number, symbol?: string): FeatureDrift[] {
  const nf = dist.features.length;
  if (nRows < 1 || rows.length !== nRows * nf) throw new Error(`featureDrift got ${rows.length} values for ${nRows} rows of ${nf} features; expected ${nRows * nf} and at least one row.`);
  const { bins } = driftReference(dist, symbol);
  return dist.features.map(({ name }, j) => {
    const f = bins[j]!;
    const psi = populationStabilityIndex(f.proportions, binShares(f.edges, nRows, (t) => rows[t * nf + j]!));
    const chance = f.blockPsi?.days === nRows ? f.blockPsi : undefined; // only for stretches of the same length
    return { feature: name, psi, level: driftLevel(psi, chance), ...(chance ? { chance } : {}) };
  });
}
