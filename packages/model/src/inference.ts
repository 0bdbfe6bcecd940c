// The one path from an artifact and candles to a prediction, shared by the CLI, the publisher, the API on Node and
// on Workers, and the browser: features of the artifact's set → the asset's normaliser → the newest window → every
// network of the ensemble (a runner: the fused engine or tfjs) → their mean → temperature → class, confidence,
// "no clear signal" below the abstention threshold, the neutral band in % and in price on the as-of day, and the
// monitoring fields: whether the window is out of the training distribution, and the model's age and expiry.
// Runtime-neutral: must not import tfjs, node:* or an engine; runners are passed in.
import type { Candle } from './candle.ts';
import { applyTemperature } from './calibration.ts';
import { labelRuleFor, type ArtifactMetadata } from './artifact-metadata.ts';
import { toIsoDay } from './dates.ts';
import { computeFeatureSet, computeFeatureSetTail, FEATURE_SETS, MARKET_SYMBOL, type FeatureInputs } from './feature-sets.ts';
import type { FeatureMatrix, FeatureStatus } from './features.ts';
import { CLASS_NAMES, classifyReturn, DEFAULT_VOL_SPAN_DAYS, ewmaVolatility, thresholdsAt, type ClassName, type LabelThresholds } from './labels.ts';
import { argmax } from './metrics.ts';
import { applyNormalizer, fitNormalizer, type Normalizer } from './normalizer.ts';
import type { SentimentProvider } from './sentiment-provider.ts';
import { makeWindows } from './windows.ts';
import { DEFAULT_MODEL_EXPIRY_DAYS, modelAge, type ModelAge } from './model-expiry.ts';
import { outOfDistribution, type OutOfDistribution } from './training-distribution.ts';

/** One network of an ensemble: softmax rows [n, nClasses] for windows x [n, windowBars, nFeatures]. */
export interface NetworkRunner {
  predict(x: Float32Array, n: number): Float32Array | Promise<Float32Array>;
}

/** What a prediction reads: the asset's daily candles (oldest first, the full history you have) and extras. */
export interface ModelInputs {
  candles: readonly Candle[];
  /** Hourly candles of the asset (the spec set's change_1h). */
  hourly?: readonly Candle[];
  /** Daily candles of the market factor (BTC) for sets that use it; the asset's own when it is BTC. */
  market?: readonly Candle[];
  sentiment?: SentimentProvider;
}

/** The neutral band on the as-of day: classes are bearish below lower, bullish above upper. */
export interface PriceBand {
  /** Simple returns over the horizon, e.g. -0.052 and 0.055. */
  lowerReturn: number;
  upperReturn: number;
  /** The same as prices, from the as-of close. */
  lowerPrice: number;
  upperPrice: number;
  closeAtAsOf: number;
}

/** One prediction, as every runtime computes and serves it. */
export interface ModelPrediction {
  symbol: string;
  horizonDays: number;
  /** Last day of the input window, 'YYYY-MM-DD' (the prediction is for asOf + horizonDays). */
  asOf: string;
  class: ClassName;
  probabilities: Record<ClassName, number>;
  /** The top class's calibrated probability. */
  confidence: number;
  /** 'none' ("no clear signal") when confidence is below the artifact's abstention threshold. */
  signal: 'clear' | 'none';
  modelVersion: string;
  /** Features that were placeholders or missing when the model was trained. */
  placeholders: string[];
  band: PriceBand;
  monitoring: PredictionMonitoring;
}

/** Whether a prediction can be trusted as its model was validated: its inputs and the model's age. */
export interface PredictionMonitoring extends ModelAge {
  /** The window against the training windows; null when the artifact records no training distribution. */
  outOfDistribution: OutOfDistribution | null;
}

/** The clock and expiry a prediction is made under. */
export interface PredictOptions {
  /** Epoch ms of the clock (default: now). */
  nowMs?: number;
  /** Days after training at which the model expires (default DEFAULT_MODEL_EXPIRY_DAYS). */
  expiryDays?: number;
}

/** The features that were not real in `status` (placeholders or missing inputs). */
export function placeholdersOf(status: Record<string, FeatureStatus>): string[] {
  return Object.entries(status).filter(([, s]) => s !== 'real').map(([name]) => name);
}

/** The normaliser of `symbol`: the artifact's (global or the asset's own), else fitted on its own valid rows. */
function normalizerFor(m: ArtifactMetadata, symbol: string, features: FeatureMatrix, nf: number, endRow: number): Normalizer {
  if (m.normalization.kind === 'global') return m.normalization.normalizer;
  return m.normalization.bySymbol[symbol] ?? fitNormalizer(features.rows, nf, features.firstValidIndex, endRow + 1);
}

/** The inputs of the artifact's set beside the candles (the market defaults to the asset itself for BTC). */
function featureInputsOf(symbol: string, inputs: ModelInputs): FeatureInputs {
  const market = inputs.market ?? (symbol === MARKET_SYMBOL ? inputs.candles : undefined);
  return { hourly: inputs.hourly, sentiment: inputs.sentiment, market };
}

/** Features of `inputs` under the artifact's set. */
function featuresOf(m: ArtifactMetadata, symbol: string, inputs: ModelInputs): FeatureMatrix {
  return computeFeatureSet(m.featureSet, inputs.candles, featureInputsOf(symbol, inputs));
}

/** The band of each row under the artifact's label rule for `symbol` (volatility computed once): what the labels of
 *  its training rows were judged by, and the band a prediction on row t carries. */
export function bandsOf(m: ArtifactMetadata, symbol: string, close: readonly number[]): (t: number) => LabelThresholds {
  const rule = labelRuleFor(m.labels, symbol);
  const sigma = rule.kind === 'volatility' ? ewmaVolatility(close, rule.volSpanDays ?? DEFAULT_VOL_SPAN_DAYS) : new Float64Array(0);
  return (t) => thresholdsAt(rule, sigma, t, m.horizonDays);
}

function throwIfShort(m: ArtifactMetadata, symbol: string, features: Pick<FeatureMatrix, 'firstValidIndex'>, days: number): void {
  const required = features.firstValidIndex + m.windowBars;
  if (days < required) {
    throw new Error(`Not enough history for ${symbol}: ${days} days available, ${required} required (${features.firstValidIndex} days of indicator warm-up + a ${m.windowBars}-day window).`);
  }
}

/** Normalised windows [rows.length, windowBars, nFeatures] ending at `rows` of the asset's candles. */
export function windowsFor(m: ArtifactMetadata, symbol: string, inputs: ModelInputs, rows: readonly number[]): Float32Array {
  return windowsOf(m, symbol, featuresOf(m, symbol, inputs), inputs.candles.length, rows);
}

/** windowsFor from features already computed over `nCandles` candles. */
function windowsOf(m: ArtifactMetadata, symbol: string, features: FeatureMatrix, nCandles: number, rows: readonly number[]): Float32Array {
  throwIfShort(m, symbol, features, nCandles);
  const nf = FEATURE_SETS[m.featureSet].names.length;
  const last = nCandles - 1;
  const normalized = applyNormalizer(features.rows.subarray(0, (last + 1) * nf), normalizerFor(m, symbol, features, nf, last));
  return makeWindows(normalized, nf, rows, m.windowBars, features.firstValidIndex);
}

/**
 * The normalised window [1, windowBars, nFeatures] ending at the newest candle: windowsFor(m, symbol, inputs, [last])
 * bit for bit. When the artifact holds the normaliser it uses, only the window's rows are computed (the indicators
 * still read the whole history) and normalised; an asset it has none for is fitted on all its rows, as before.
 */
export function newestWindow(m: ArtifactMetadata, symbol: string, inputs: ModelInputs): Float32Array {
  const nCandles = inputs.candles.length;
  const nf = FEATURE_SETS[m.featureSet].names.length;
  const stored = m.normalization.kind === 'global' ? m.normalization.normalizer : m.normalization.bySymbol[symbol];
  if (!stored || stored.mean.length !== nf) return windowsFor(m, symbol, inputs, [nCandles - 1]);
  const tail = computeFeatureSetTail(m.featureSet, inputs.candles, featureInputsOf(symbol, inputs), nCandles - m.windowBars);
  throwIfShort(m, symbol, tail, nCandles); // so the tail is exactly the window's rows: [windowBars, nFeatures]
  return applyNormalizer(tail.rows, stored);
}

/** Mean of the members' softmax rows, then the artifact's temperature. */
async function ensembleProbabilities(m: ArtifactMetadata, runners: readonly NetworkRunner[], x: Float32Array, n: number): Promise<Float32Array> {
  if (runners.length !== m.members.length) throw new Error(`The artifact has ${m.members.length} networks but ${runners.length} runners were given.`);
  const members: Float32Array[] = [];
  for (const r of runners) members.push(await r.predict(x, n));
  return combineMembers(m, members).probabilities;
}

/**
 * How the ensemble combines its members' softmax rows (each [n, 3]): their mean q, then the artifact's temperature
 * P. Written once: inference calls it, and the attributions differentiate it (explain/integrated-gradients.ts).
 */
export function combineMembers(m: Pick<ArtifactMetadata, 'temperature'>, members: readonly Float32Array[]): { mean: Float32Array; probabilities: Float32Array } {
  const mean = new Float32Array(members[0]!.length); // [n, 3]
  for (const p of members) for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + p[i]! / members.length;
  return { mean, probabilities: applyTemperature(mean, CLASS_NAMES.length, m.temperature) };
}

function classify(p: Float32Array, i: number, abstainBelow: number) {
  const k = CLASS_NAMES.length;
  const top = argmax(p, i * k, k);
  const confidence = p[i * k + top]!;
  return {
    class: CLASS_NAMES[top]!,
    probabilities: { bearish: p[i * k]!, neutral: p[i * k + 1]!, bullish: p[i * k + 2]! },
    confidence,
    signal: confidence >= abstainBelow ? ('clear' as const) : ('none' as const),
  };
}

/**
 * Predicts the direction of `symbol` over the artifact's horizon from the newest window of `inputs.candles`.
 * Throws when there is too little history (naming the days available and required) or the runners do not match
 * the artifact's members.
 */
export async function predictWithArtifact(m: ArtifactMetadata, runners: readonly NetworkRunner[], symbol: string, inputs: ModelInputs, opts: PredictOptions = {}): Promise<ModelPrediction> {
  const last = inputs.candles.length - 1;
  const x = newestWindow(m, symbol, inputs); // [1, windowBars, nFeatures]
  const p = await ensembleProbabilities(m, runners, x, 1);
  const close = inputs.candles.map((c) => c.close);
  const band = bandsOf(m, symbol, close)(last);
  return {
    symbol,
    horizonDays: m.horizonDays,
    asOf: toIsoDay(inputs.candles[last]!.openTimeMs),
    ...classify(p, 0, m.abstainBelow),
    modelVersion: m.modelVersion,
    placeholders: placeholdersOf(m.featureStatus),
    band: { lowerReturn: band.lower, upperReturn: band.upper, lowerPrice: close[last]! * (1 + band.lower), upperPrice: close[last]! * (1 + band.upper), closeAtAsOf: close[last]! },
    monitoring: { outOfDistribution: outOfDistribution(m.trainingDistribution, x), ...modelAge(m.createdAt, opts.nowMs ?? Date.now(), opts.expiryDays ?? DEFAULT_MODEL_EXPIRY_DAYS) },
  };
}

/** The normalised feature rows [nRows, nFeatures] of the newest `nRows` days (fewer when the history is shorter),
 *  as the network reads them; for drift. Throws when there is too little history for one window. */
export function recentFeatureRows(m: ArtifactMetadata, symbol: string, inputs: ModelInputs, nRows: number): { rows: Float32Array; n: number } {
  const features = featuresOf(m, symbol, inputs);
  const nCandles = inputs.candles.length;
  throwIfShort(m, symbol, features, nCandles);
  const nf = FEATURE_SETS[m.featureSet].names.length;
  const first = Math.max(features.firstValidIndex, nCandles - nRows);
  const normalizer = normalizerFor(m, symbol, features, nf, nCandles - 1);
  return { rows: applyNormalizer(features.rows.subarray(first * nf, nCandles * nf), normalizer), n: nCandles - first };
}

/** One past prediction whose horizon has passed, and what happened. */
export interface PastPrediction {
  asOf: string;
  class: ClassName;
  confidence: number;
  signal: 'clear' | 'none';
  /** Class of the realised return under the model's band of that day. */
  outcome: ClassName;
  correct: boolean;
}

/** The model's predictions over the last `count` days whose horizon has passed, each beside its outcome. */
export async function predictPast(m: ArtifactMetadata, runners: readonly NetworkRunner[], symbol: string, inputs: ModelInputs, count: number): Promise<PastPrediction[]> {
  const candles = inputs.candles;
  const features = featuresOf(m, symbol, inputs);
  const lastEnd = candles.length - 1 - m.horizonDays;
  const firstEnd = Math.max(features.firstValidIndex + m.windowBars - 1, lastEnd - count + 1);
  const rows = Array.from({ length: Math.max(0, lastEnd - firstEnd + 1) }, (_, k) => firstEnd + k);
  if (rows.length === 0) return [];
  const p = await ensembleProbabilities(m, runners, windowsOf(m, symbol, features, candles.length, rows), rows.length);
  const close = candles.map((c) => c.close);
  const bandAt = bandsOf(m, symbol, close);
  return rows.map((r, i) => {
    const outcome = CLASS_NAMES[classifyReturn(close[r + m.horizonDays]! / close[r]! - 1, bandAt(r))]!;
    const c = classify(p, i, m.abstainBelow);
    return { asOf: toIsoDay(candles[r]!.openTimeMs), class: c.class, confidence: c.confidence, signal: c.signal, outcome, correct: outcome === c.class };
  });
}

/** Calibrated ensemble probabilities [rows.length, 3] of the windows ending at candle `rows` (for scoring). */
export async function predictRows(m: ArtifactMetadata, runners: readonly NetworkRunner[], symbol: string, inputs: ModelInputs, rows: readonly number[]): Promise<Float32Array> {
  return rows.length === 0 ? new Float32Array(0) : ensembleProbabilities(m, runners, windowsFor(m, symbol, inputs, rows), rows.length);
}

/** The realised class of each row under the model's own label rule (rows need a close `horizonDays` later). */
export function realisedClasses(m: ArtifactMetadata, symbol: string, candles: readonly Candle[], rows: readonly number[]): Int32Array {
  const close = candles.map((c) => c.close);
  const bandAt = bandsOf(m, symbol, close);
  return Int32Array.from(rows, (r) => {
    if (r + m.horizonDays >= close.length) throw new Error(`Row ${r} of ${symbol} has no close ${m.horizonDays} days later; its outcome is not known yet.`);
    return classifyReturn(close[r + m.horizonDays]! / close[r]! - 1, bandAt(r));
  });
}
