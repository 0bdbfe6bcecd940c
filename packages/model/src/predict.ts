// Inference with a tfjs LayersModel: batched window prediction and the product's one-asset prediction.
// Imports only @tensorflow/tfjs (peer dependency), never a backend package; disposes every tensor it makes.
import * as tf from '@tensorflow/tfjs';

import type { Candle } from './candle.ts';
import { prepareInferenceWindow, type InferenceSpec } from './dataset.ts';
import { toIsoDay } from './dates.ts';
import { CLASS_NAMES, type ClassName } from './labels.ts';
import { applyTemperature } from './calibration.ts';
import { argmax } from './metrics.ts';
import type { SentimentProvider } from './sentiment-provider.ts';

/** [windowBars, nFeatures] of a model's input, read from its first input's shape. */
export function modelInputShape(model: tf.LayersModel): [number, number] {
  const shape = model.inputs[0]?.shape;
  const windowBars = shape?.[1];
  const nFeatures = shape?.[2];
  if (typeof windowBars !== 'number' || typeof nFeatures !== 'number') {
    throw new Error(`Model input shape ${JSON.stringify(shape)} is not [batch, windowBars, nFeatures].`);
  }
  return [windowBars, nFeatures];
}

/**
 * Class probabilities of `n` windows `x` ([n, windowBars, nFeatures]) → Float32Array [n, nClasses].
 * Runs in chunks of `batchSize` windows (passed to model.predict too) so memory stays bounded.
 */
export async function predictWindows(model: tf.LayersModel, x: Float32Array, n: number, batchSize = 256): Promise<Float32Array> {
  const [windowBars, nFeatures] = modelInputShape(model);
  const size = windowBars * nFeatures;
  if (x.length !== n * size) {
    throw new Error(`predictWindows got ${x.length} values for ${n} windows of [${windowBars}, ${nFeatures}]; expected ${n * size}.`);
  }
  const nClasses = model.outputs[0]?.shape[1] ?? CLASS_NAMES.length;
  const out = new Float32Array(n * nClasses); // [n, nClasses]
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => {
      const xs = tf.tensor3d(x.subarray(start * size, (start + count) * size), [count, windowBars, nFeatures]);
      return model.predict(xs, { batchSize }) as tf.Tensor; // [count, nClasses]
    });
    out.set(await probs.data(), start * nClasses);
    probs.dispose();
  }
  return out;
}


/** What predictDirection needs from the artifact metadata (ArtifactMetadata satisfies it). */
export interface PredictionSpec extends InferenceSpec {
  horizonDays: number;
  modelVersion: string;
  temperature: number;
}

/** Options of predictDirection. */
export interface PredictOptions {
  /** Named in errors; defaults to the metadata's symbol. */
  symbol?: string;
  hourly?: readonly Candle[];
  sentiment?: SentimentProvider;
}

/** One direction prediction. */
export interface DirectionPrediction {
  class: ClassName;
  probabilities: Record<ClassName, number>;
  /** The top class's probability. */
  confidence: number;
  /** Last day of the input window, 'YYYY-MM-DD' (the prediction is for asOf + horizonDays). */
  asOf: string;
  horizonDays: number;
  modelVersion: string;
}

/**
 * Predicts the direction over `metadata.horizonDays` from the newest window of `candles` (daily, oldest first;
 * pass the full history). Applies the artifact's temperature. Throws when there is too little history, naming
 * the symbol, days available and days required, or when the feature schema differs.
 */
export async function predictDirection(
  model: tf.LayersModel,
  metadata: PredictionSpec,
  candles: readonly Candle[],
  opts: PredictOptions = {},
): Promise<DirectionPrediction> {
  const window = prepareInferenceWindow(candles, metadata, opts);
  const raw = await predictWindows(model, window.x, 1, 1); // [1, 3]
  const p = applyTemperature(raw, CLASS_NAMES.length, metadata.temperature);
  const top = argmax(p, 0, CLASS_NAMES.length);
  return {
    class: CLASS_NAMES[top]!,
    probabilities: { bearish: p[0]!, neutral: p[1]!, bullish: p[2]! },
    confidence: p[top]!,
    asOf: toIsoDay(window.asOfMs),
    horizonDays: metadata.horizonDays,
    modelVersion: metadata.modelVersion,
  };
}
