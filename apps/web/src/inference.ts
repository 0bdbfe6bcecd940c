// In-browser inference: the product's one inference path (@coinsphere/model's predictWithArtifact and predictPast)
// on a BrowserModel's runners, so the page computes exactly what `coinsphere predict`, the publisher and the API
// compute for the same candles. Adds only the time the networks took. Must not import node:* or tfjs.
import { type ModelInputs, type ModelPrediction, type NetworkRunner, type PastPrediction, predictPast, predictWithArtifact } from '@coinsphere/model/core';

import type { BrowserModel } from './browser-model.ts';

/** A prediction computed here, with the backend and the time the network calls took. */
export interface BrowserPrediction extends ModelPrediction {
  backend: BrowserModel['backend'];
  /** Wall time of the network calls alone (features and windows prepared around them), ms. */
  inferenceMs: number;
}

/** The model's runners, timing every call into `clock.ms`. */
function timed(runners: readonly NetworkRunner[], clock: { ms: number }): NetworkRunner[] {
  return runners.map((r) => ({
    predict: async (x, n) => {
      const t0 = performance.now();
      const p = await r.predict(x, n);
      clock.ms += performance.now() - t0;
      return p;
    },
  }));
}

/**
 * Predicts from the newest window of `inputs.candles` (daily, oldest first, the full history as Node uses it).
 * Throws `Not enough history for …` naming the days available and required.
 */
export async function predictLatest(model: BrowserModel, inputs: ModelInputs, symbol: string): Promise<BrowserPrediction> {
  const clock = { ms: 0 };
  const p = await predictWithArtifact(model.metadata, timed(model.runners, clock), symbol, inputs);
  return { ...p, backend: model.backend, inferenceMs: clock.ms };
}

/** The model's predictions over the last `count` days whose horizon has passed, each with its outcome. */
export function predictRecent(model: BrowserModel, inputs: ModelInputs, symbol: string, count: number): Promise<PastPrediction[]> {
  return predictPast(model.metadata, model.runners, symbol, inputs, count);
}
