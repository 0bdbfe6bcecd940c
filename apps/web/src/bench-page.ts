// The benchmark page behind `npm run bench:web`: loads the latest artifact of one asset onto one backend
// through the same BrowserModel the dashboard uses, then times one window and a batch of 256 windows (after
// warm-up calls) and writes the medians as JSON into #result; with ?case=risk, the asset's latest risk score
// instead (bench-risk.ts); with ?case=why, one prediction's attributions (bench-why.ts). Not linked from the dashboard.
import { readArtifactMetadata, windowsFor } from '@coinsphere/model/core';

import { createApiClient } from './api-client.ts';
import { parseBackend } from './backends.ts';
import { benchRisk, type RiskBenchResult } from './bench-risk.ts';
import { benchWhy, timeEach, type WhyBenchResult } from './bench-why.ts';
import { createBrowserModel, runNetworks } from './browser-model.ts';
import { byId } from './dom.ts';
import { readWebEnv } from './env.ts';
import { fetchModelInputs } from './model-inputs.ts';

/** What the page reports. */
export interface BenchResult {
  backend: string;
  symbol: string;
  loadMs: number;
  firstCallMs: number;
  oneWindow: { medianMs: number; reps: number };
  batch: { n: number; medianMs: number; perWindowMs: number; reps: number };
}

const time = timeEach;

async function main(): Promise<BenchResult | RiskBenchResult | WhyBenchResult> {
  const q = new URLSearchParams(window.location.search);
  if (q.get('case') === 'why') return benchWhy(createApiClient(readWebEnv(window.location).apiBaseUrl), (q.get('symbol') ?? 'BTC').toUpperCase(), Number(q.get('horizon') ?? 7), Number(q.get('reps') ?? 20));
  if (q.get('case') === 'risk') return benchRisk(createApiClient(readWebEnv(window.location).apiBaseUrl), (q.get('symbol') ?? 'BTC').toUpperCase(), Number(q.get('reps') ?? 50));
  const backend = parseBackend(q.get('backend') ?? 'fused');
  const symbol = (q.get('symbol') ?? 'BTC').toUpperCase();
  const horizonDays = Number(q.get('horizon') ?? 7);
  const reps1 = Number(q.get('reps1') ?? 30);
  const reps256 = Number(q.get('reps256') ?? 10);
  const api = createApiClient(readWebEnv(window.location).apiBaseUrl);
  const asset = (await api.assets()).find((a) => a.symbol === symbol);
  if (!asset?.firstDay || !asset.lastDay) throw new Error(`The API lists no candles for ${symbol}.`);
  const read = api.artifactReader(symbol, horizonDays);
  const inputs = await fetchModelInputs(api, await readArtifactMetadata(read), asset);
  const candles = inputs.candles;
  let t = performance.now();
  const model = await createBrowserModel(backend, read);
  const loadMs = performance.now() - t;
  const endRows = Array.from({ length: 256 }, (_, k) => candles.length - 256 + k);
  const one = windowsFor(model.metadata, symbol, inputs, [candles.length - 1]); // [1, windowBars, nFeatures]
  const many = windowsFor(model.metadata, symbol, inputs, endRows); // [256, windowBars, nFeatures]
  t = performance.now();
  await runNetworks(model, one, 1);
  const firstCallMs = performance.now() - t;
  await runNetworks(model, one, 1);
  await runNetworks(model, many, endRows.length); // warm the batch shapes too
  const oneMs = await time(reps1, () => runNetworks(model, one, 1));
  const batchMs = await time(reps256, () => runNetworks(model, many, endRows.length));
  model.dispose();
  return {
    backend,
    symbol,
    loadMs,
    firstCallMs,
    oneWindow: { medianMs: oneMs, reps: reps1 },
    batch: { n: endRows.length, medianMs: batchMs, perWindowMs: batchMs / endRows.length, reps: reps256 },
  };
}

main().then(
  (r) => {
    byId('result').textContent = JSON.stringify(r, null, 2);
    document.body.dataset.state = 'ready';
  },
  (error: unknown) => {
    byId('result').textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset.state = 'error';
  },
);
