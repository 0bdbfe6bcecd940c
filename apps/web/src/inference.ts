// In-browser inference on top of BrowserModel: the newest window (same features, normaliser and temperature
// as Node's `coinsphere predict`), and the recent windows whose horizon has passed, each with its outcome, for
// the chart's markers. Pure over arrays apart from the timing; must not import node:*.
import {
  applyNormalizer,
  applyTemperature,
  argmax,
  type Candle,
  CLASS_NAMES,
  type ClassName,
  classifyReturn,
  computeFeatures,
  type DirectionPrediction,
  makeWindows,
  N_FEATURES,
  prepareInferenceWindow,
  toIsoDay,
} from '@coinsphere/model';

import type { BrowserModel } from './browser-model.ts';

/** A prediction computed here, with the backend and the time the model call took. */
export interface BrowserPrediction extends DirectionPrediction {
  backend: BrowserModel['backend'];
  /** Wall time of the model call alone (windows prepared beforehand), ms. */
  inferenceMs: number;
}

const K = CLASS_NAMES.length;

/** Class, probabilities and confidence of row `i` of tempered probabilities. */
function row(p: Float32Array, i: number): { class: ClassName; probabilities: Record<ClassName, number>; confidence: number } {
  const top = argmax(p, i * K, K);
  return {
    class: CLASS_NAMES[top]!,
    probabilities: { bearish: p[i * K]!, neutral: p[i * K + 1]!, bullish: p[i * K + 2]! },
    confidence: p[i * K + top]!,
  };
}

/**
 * Predicts from the newest window of `candles` (daily, oldest first, the full history as Node uses it).
 * Throws `Not enough history for …` naming the days available and required.
 */
export async function predictLatest(model: BrowserModel, candles: readonly Candle[], symbol: string): Promise<BrowserPrediction> {
  const m = model.metadata;
  const window = prepareInferenceWindow(candles, m, { symbol }); // x: [1, windowBars, nFeatures]
  const t0 = performance.now();
  const raw = await model.predict(window.x, 1); // [1, 3]
  const inferenceMs = performance.now() - t0;
  const p = applyTemperature(raw, K, m.temperature);
  return { ...row(p, 0), asOf: toIsoDay(window.asOfMs), horizonDays: m.horizonDays, modelVersion: m.modelVersion, backend: model.backend, inferenceMs };
}

/** One past in-browser prediction and what happened. */
export interface RecentPrediction {
  asOf: string;
  class: ClassName;
  confidence: number;
  /** Class of the realised return under the model's label thresholds. */
  outcome: ClassName;
  correct: boolean;
}

/** Normalised windows [n, windowBars, nFeatures] ending at each of the last `count` rows whose label is known. */
export function recentWindows(candles: readonly Candle[], model: BrowserModel, count: number): { x: Float32Array; endRows: number[] } {
  const m = model.metadata;
  const features = computeFeatures(candles);
  const norm = applyNormalizer(features.rows, m.normalizer); // [nDays, nFeatures]
  const lastEnd = candles.length - 1 - m.horizonDays;
  const firstEnd = Math.max(features.firstValidIndex + m.windowBars - 1, lastEnd - count + 1);
  const endRows = Array.from({ length: Math.max(0, lastEnd - firstEnd + 1) }, (_, k) => firstEnd + k);
  return { x: makeWindows(norm, N_FEATURES, endRows, m.windowBars, features.firstValidIndex), endRows };
}

/** The model's predictions over the last `count` days whose horizon has passed, each with its outcome. */
export async function predictRecent(model: BrowserModel, candles: readonly Candle[], count: number): Promise<RecentPrediction[]> {
  const m = model.metadata;
  const { x, endRows } = recentWindows(candles, model, count);
  if (endRows.length === 0) return [];
  const p = applyTemperature(await model.predict(x, endRows.length), K, m.temperature); // [n, 3]
  return endRows.map((r, i) => {
    const realised = candles[r + m.horizonDays]!.close / candles[r]!.close - 1;
    const outcome = CLASS_NAMES[classifyReturn(realised, m.labelThresholds)]!;
    const pred = row(p, i);
    return { asOf: toIsoDay(candles[r]!.openTimeMs), class: pred.class, confidence: pred.confidence, outcome, correct: outcome === pred.class };
  });
}
