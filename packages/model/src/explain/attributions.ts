// "Why this call": the attributions of one prediction, as every runtime computes and serves them (publish stores
// them with the prediction; the browser computes the same for its own). Integrated gradients of the ensemble's
// calibrated probability of the predicted class, from the baseline of every feature at its training mean (the
// normaliser's zero), summed over the window's days. Runtime-neutral: must not import tfjs, node:* or an engine.
import type { ArtifactMetadata } from '../artifact-metadata.ts';
import { FEATURE_SETS } from '../feature-sets.ts';
import { newestWindow, type ModelInputs } from '../inference.ts';
import { CLASS_NAMES, type ClassName } from '../labels.ts';
import { describeAttribution } from './feature-phrases.ts';
import { DEFAULT_IG_STEPS, integratedGradients, type GradientRunner } from './integrated-gradients.ts';

/** One feature's share of the call. */
export interface FeatureAttribution {
  /** The feature set's name, e.g. 'ret_7d'. */
  name: string;
  /** Its contribution to the class's probability (0.02 = 2 percentage points), summed over the window's days. */
  attribution: number;
  /** Its normalised value on the newest day (z-score against the training rows: 0 is the training mean). */
  value: number;
}

/** The attributions of one prediction. */
export interface PredictionAttributions {
  method: 'integrated-gradients';
  /** The class explained: the prediction's (also when it says "no clear signal"). */
  class: ClassName;
  /** Every feature at its training mean on every day of the window. */
  baseline: 'training-mean';
  steps: number;
  /** The calibrated probability of `class` for the window, and for the baseline window. */
  probability: number;
  baselineProbability: number;
  /** Σ attribution − (probability − baselineProbability): the integral's numerical error (0 is exact). */
  completenessGap: number;
  /** In the feature set's order. */
  features: FeatureAttribution[];
}

/**
 * The attributions of the prediction of `symbol` from the newest window of `inputs` toward `cls` (the class the
 * prediction called), under the artifact's ensemble and temperature. Runners must give input gradients.
 * @throws as newestWindow (too little history), or when a runner has no input gradients.
 */
export async function explainPrediction(m: ArtifactMetadata, runners: readonly GradientRunner[], symbol: string, inputs: ModelInputs, cls: ClassName, steps = DEFAULT_IG_STEPS): Promise<PredictionAttributions> {
  const x = newestWindow(m, symbol, inputs); // [windowBars, nFeatures]
  const names = FEATURE_SETS[m.featureSet].names;
  const F = names.length;
  const ig = await integratedGradients({ windowBars: m.windowBars, nFeatures: F, temperature: m.temperature }, runners, x, CLASS_NAMES.indexOf(cls), steps);
  const newest = (m.windowBars - 1) * F;
  return {
    method: 'integrated-gradients',
    class: cls,
    baseline: 'training-mean',
    steps: ig.steps,
    probability: ig.probability,
    baselineProbability: ig.baselineProbability,
    completenessGap: ig.completenessGap,
    features: names.map((name, f) => ({ name, attribution: ig.perFeature[f]!, value: x[newest + f]! })),
  };
}

/** The features pushing toward the call and away from it, largest first, `count` of each at most. */
export interface CallDrivers {
  toward: Array<FeatureAttribution & { text: string }>;
  away: Array<FeatureAttribution & { text: string }>;
}

/** The top `count` features on each side of the call (attributions of 0 are on neither), each with its sentence. */
export function callDrivers(a: Pick<PredictionAttributions, 'class' | 'features'>, count = 3): CallDrivers {
  const withText = (f: FeatureAttribution) => ({ ...f, text: describeAttribution(f.name, f.value, f.attribution, a.class) });
  const sorted = [...a.features].sort((x, y) => Math.abs(y.attribution) - Math.abs(x.attribution));
  return {
    toward: sorted.filter((f) => f.attribution > 0).slice(0, count).map(withText),
    away: sorted.filter((f) => f.attribution < 0).slice(0, count).map(withText),
  };
}
