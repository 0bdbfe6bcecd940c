// The feature sets a model can be trained on, by name: 'spec' (the specification's 20, features.ts) and 'v2'
// (features-v2.ts). An artifact records its set and the names; computeFeatureSet is the one entry every trainer,
// evaluator and predictor calls, so the columns can never differ between training and serving. Pure; must not
// import tfjs or node:*.
import type { Candle } from './candle.ts';
import { computeFeatures, computeFeatureTail, FEATURE_NAMES, type FeatureMatrix, type FeatureTail, validateDaily } from './features.ts';
import { computeFeaturesV2, computeFeaturesV2Tail, V2_FEATURE_NAMES } from './features-v2.ts';
import type { SentimentProvider } from './sentiment-provider.ts';

export const FEATURE_SET_NAMES = ['spec', 'v2'] as const;
export type FeatureSetName = (typeof FEATURE_SET_NAMES)[number];

/** What a set computes and which inputs beyond the asset's daily candles it reads. */
export interface FeatureSetInfo {
  names: readonly string[];
  /** Reads hourly candles (change_1h). */
  usesHourly: boolean;
  /** Reads the market factor's daily candles (BTC). */
  usesMarket: boolean;
}

export const FEATURE_SETS: Record<FeatureSetName, FeatureSetInfo> = {
  spec: { names: FEATURE_NAMES, usesHourly: true, usesMarket: false },
  v2: { names: V2_FEATURE_NAMES, usesHourly: false, usesMarket: true },
};

/** The symbol whose candles are the market factor of the 'v2' set. */
export const MARKET_SYMBOL = 'BTC';

/** Inputs beside the asset's own daily candles; each set reads what it uses and ignores the rest. */
export interface FeatureInputs {
  hourly?: readonly Candle[];
  sentiment?: SentimentProvider;
  /** Daily candles of MARKET_SYMBOL, oldest first. */
  market?: readonly Candle[];
}

/** Throws unless `name` is a known set, listing the allowed ones. */
export function parseFeatureSet(name: string): FeatureSetName {
  if ((FEATURE_SET_NAMES as readonly string[]).includes(name)) return name as FeatureSetName;
  throw new Error(`Unknown feature set "${name}". Should be one of: ${FEATURE_SET_NAMES.join(', ')}.`);
}

/**
 * The feature matrix of `daily` (oldest first, one candle per UTC day) under `set`. Throws on unsorted,
 * duplicated or non-positive candles, naming the row.
 */
export function computeFeatureSet(set: FeatureSetName, daily: readonly Candle[], inputs: FeatureInputs = {}): FeatureMatrix {
  if (set === 'spec') return computeFeatures(daily, { hourly: inputs.hourly, sentiment: inputs.sentiment });
  validateDaily(daily);
  return computeFeaturesV2(daily, { market: inputs.market });
}

/**
 * The rows of computeFeatureSet(set, daily, inputs) from `fromRow` on, bit for bit (what one prediction's window
 * reads), without the older rows or the coverage. Throws as computeFeatureSet does.
 */
export function computeFeatureSetTail(set: FeatureSetName, daily: readonly Candle[], inputs: FeatureInputs, fromRow: number): FeatureTail {
  if (set === 'spec') return computeFeatureTail(daily, { hourly: inputs.hourly, sentiment: inputs.sentiment }, fromRow);
  validateDaily(daily);
  return computeFeaturesV2Tail(daily, { market: inputs.market }, fromRow);
}
