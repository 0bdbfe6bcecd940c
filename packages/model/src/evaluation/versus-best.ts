// The model against the best of its baselines, metric by metric, on the same rows: the question a user of a
// prediction product should ask ("is it better than the simplest rule that does best here?"). Reads a
// PredictionSummary; the differences' intervals come from its bootstrap. Pure; no tfjs, no node:*.
import type { ConfidenceInterval } from './bootstrap.ts';
import type { PredictionSummary } from './summary.ts';

/** The baselines every model number stands beside. */
export const BASELINES = ['logistic', 'momentum', 'persistence', 'majority'] as const;

/** The model against the best baseline of one metric. */
export interface VersusBest {
  model: ConfidenceInterval;
  best: { name: string; value: ConfidenceInterval };
  /** model − best from the same resamples (for Brier, below 0 is better). */
  difference: ConfidenceInterval;
}

/** Accuracy, macro-F1 and Brier against their best baselines, Brier against the majority class, ECE. */
export interface VersusBestSummary {
  n: number;
  accuracy: VersusBest;
  macroF1: VersusBest;
  brier: VersusBest & { majority: ConfidenceInterval; differenceToMajority: ConfidenceInterval };
  ece: ConfidenceInterval;
}

function bestOf(s: PredictionSummary, metric: 'accuracy' | 'macroF1' | 'brier'): VersusBest {
  const names = BASELINES.filter((b) => s.predictors[b]);
  if (names.length === 0 || !s.predictors[s.reference]) throw new Error(`The summary has no baseline or no "${s.reference}" to compare.`);
  const value = (n: string) => s.predictors[n]!.intervals[metric].estimate;
  const lowerIsBetter = metric === 'brier';
  const best = names.reduce((a, b) => ((lowerIsBetter ? value(b) < value(a) : value(b) > value(a)) ? b : a));
  const diffs = metric === 'accuracy' ? s.accuracyDifference : metric === 'macroF1' ? s.macroF1Difference : s.brierDifference;
  return { model: s.predictors[s.reference]!.intervals[metric], best: { name: best, value: s.predictors[best]!.intervals[metric] }, difference: diffs[best]! };
}

/** The reference predictor of `s` against the best baseline of each metric. */
export function versusBest(s: PredictionSummary): VersusBestSummary {
  return {
    n: s.n,
    accuracy: bestOf(s, 'accuracy'),
    macroF1: bestOf(s, 'macroF1'),
    brier: { ...bestOf(s, 'brier'), majority: s.predictors.majority!.intervals.brier, differenceToMajority: s.brierDifference.majority! },
    ece: s.predictors[s.reference]!.intervals.ece,
  };
}
