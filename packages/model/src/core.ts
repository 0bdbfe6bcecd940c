// The tfjs-free part of @coinsphere/model (`@coinsphere/model/core`): features, labels, windows, normaliser,
// split, metrics, baselines, evaluation, artifact metadata and file checks, temperature, initial weights, the risk
// score. What a Worker or any bundle without tfjs imports; the package index adds the tfjs model, training loop,
// save/load and predict on top.
export * from './candle.ts';
export * from './lstm-model-config.ts';
export * from './init-weights.ts';
export * from './random.ts';
export * from './dates.ts';
export * from './freshness.ts';
export * from './asset-symbol.ts';
export * from './printable.ts';
export * from './sentiment-provider.ts';
export * from './features.ts';
export * from './labels.ts';
export * from './split.ts';
export * from './normalizer.ts';
export * from './windows.ts';
export * from './dataset.ts';
export * from './metrics.ts';
export * from './baselines.ts';
export * from './training-config.ts';
export * from './fit-loop.ts';
export * from './calibration.ts';
export * from './artifact-metadata.ts';
export * from './artifact-files.ts';
export * from './artifact-digest.ts';
export * from './string-hash.ts';
export * from './synthetic-candles.ts';
export * from './evaluation/index.ts';
export * from './universe.ts';
export * from './features-v2.ts';
export * from './feature-sets.ts';
export * from './pooled-dataset.ts';
export * from './abstention.ts';
export * from './recipe.ts';
export * from './lstm-topology.ts';
export * from './artifact-io.ts';
export * from './inference.ts';
export * from './training-distribution.ts';
export * from './drift.ts';
export * from './model-expiry.ts';
export * from './monitoring.ts';
export * from './risk/index.ts';
export * from './live-logistic.ts';
