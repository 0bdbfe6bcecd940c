// The "why" case of bench.html (?case=why): the attributions of one prediction ("why this call", why-card.ts's
// computation) on the fused engine, against the prediction itself on the same engines in the same page (the
// baseline: predictWithArtifact, features and window included, as the attributions include theirs). First call
// apart, then the median of `reps` calls of each. Not linked from the dashboard.
import { predictWithArtifact, readArtifactMetadata } from '@coinsphere/model/core';

import type { ApiClient } from './api-client.ts';
import { median } from './auto-backend.ts';
import { createBrowserModel } from './browser-model.ts';
import { fetchModelInputs } from './model-inputs.ts';
import { computeWhy } from './why-card.ts';

/** What the why case reports (times in ms). */
export interface WhyBenchResult {
  case: 'why';
  symbol: string;
  horizonDays: number;
  networks: number;
  /** The networks' shape: days per window and LSTM units. */
  windowBars: number;
  lstmUnits: number[];
  steps: number;
  completenessGap: number;
  firstMs: number;
  attributions: { medianMs: number; reps: number };
  prediction: { medianMs: number; reps: number };
}

/** The median wall time (ms) of `reps` sequential calls of `run`. */
export async function timeEach(reps: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Times the attributions of `symbol`'s newest prediction at `horizonDays` on the fused engine. */
export async function benchWhy(api: ApiClient, symbol: string, horizonDays: number, reps: number): Promise<WhyBenchResult> {
  const asset = (await api.assets()).find((a) => a.symbol === symbol);
  if (!asset?.firstDay || !asset.lastDay) throw new Error(`The API lists no candles for ${symbol}.`);
  const read = api.artifactReader(symbol, horizonDays);
  const inputs = await fetchModelInputs(api, await readArtifactMetadata(read), asset);
  const model = await createBrowserModel('fused', read);
  try {
    const p = await predictWithArtifact(model.metadata, model.runners, symbol, inputs);
    const req = { symbol, inputs, prediction: p };
    const noFallback = () => Promise.reject(new Error('the bench runs on the fused engine'));
    const first = await computeWhy(model, noFallback, req);
    const whyMs = await timeEach(reps, () => computeWhy(model, noFallback, req));
    const predictMs = await timeEach(reps, () => predictWithArtifact(model.metadata, model.runners, symbol, inputs));
    const a = first.attributions;
    return { case: 'why', symbol, horizonDays, networks: model.runners.length, windowBars: model.metadata.windowBars, lstmUnits: [...model.metadata.config.model.lstmUnits], steps: a.steps, completenessGap: a.completenessGap, firstMs: first.ms, attributions: { medianMs: whyMs, reps }, prediction: { medianMs: predictMs, reps } };
  } finally {
    model.dispose();
  }
}
