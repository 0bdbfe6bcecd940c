// Drift of one asset's recent inputs against a model's training distribution: the asset's newest feature rows,
// normalised as the network reads them, binned by the artifact's training deciles (featureDrift): the asset's own
// training rows' where the artifact has them (every trained asset of a pooled model), else all of them. What
// `coinsphere monitor` and the API's drift gauges call. Runtime-neutral: must not import tfjs or node:*.
import type { ArtifactMetadata } from './artifact-metadata.ts';
import { driftReference, featureDrift, type FeatureDrift } from './drift.ts';
import { DRIFT_RECENT_DAYS } from './training-distribution.ts';
import { recentFeatureRows, type ModelInputs, type PredictionMonitoring } from './inference.ts';


/** What recentFeatureDrift reports for one asset. */
export interface AssetDrift {
  /** Rows compared (DRIFT_RECENT_DAYS, or fewer for a short history). */
  nRows: number;
  /** 'asset': against the asset's own training rows (a pooled model's trained asset, or a one-asset model's);
   *  'all': against all training rows (an asset a pooled model never trained on). */
  reference: 'asset' | 'all';
  features: FeatureDrift[];
}

/**
 * PSI of each feature of `symbol`'s newest `days` feature rows (from `inputs`, as for a prediction) against the
 * artifact's training distribution; null when the artifact records none (trained before it was recorded). Throws
 * when there is too little history for one window.
 */
export function recentFeatureDrift(m: ArtifactMetadata, symbol: string, inputs: ModelInputs, days = DRIFT_RECENT_DAYS): AssetDrift | null {
  if (!m.trainingDistribution) return null;
  const { rows, n } = recentFeatureRows(m, symbol, inputs, days); // [n, nFeatures]
  const dist = m.trainingDistribution;
  const own = m.scope === 'asset' ? m.symbol === symbol : driftReference(dist, symbol).reference === 'asset';
  return { nRows: n, reference: own ? 'asset' : 'all', features: featureDrift(dist, rows, n, symbol) };
}

/**
 * What a reader should know before acting on a prediction, in plain words (the CLI and the dashboard show these):
 * an expired model, inputs out of the training distribution. Empty when neither applies.
 */
export function monitoringNotes(m: Pick<PredictionMonitoring, 'modelAgeDays' | 'expiryDays' | 'expired' | 'outOfDistribution'>): string[] {
  const notes: string[] = [];
  if (m.expired) notes.push(`This model is ${m.modelAgeDays} days old, past its ${m.expiryDays}-day expiry: retrain with \`coinsphere train\`.`);
  const ood = m.outOfDistribution;
  if (ood?.flag) {
    notes.push(`The inputs are unlike the data this model was trained on (distance ${ood.distance.toFixed(2)}, above the ${ood.threshold.toFixed(2)} of 99% of training windows): its probabilities may not mean what they say.`);
  }
  return notes;
}
