import { describe, expect, it } from 'vitest';

import { readArtifact, writeArtifact } from './artifact-io.ts';
import { metadataFromDataset, type ArtifactMetadata } from './artifact-metadata.ts';
import type { Candle } from './candle.ts';
import { prepareDataset } from './dataset.ts';
import { driftLevel, driftReference, featureDrift, populationStabilityIndex, PSI_EPSILON } from './drift.ts';
import { predictWithArtifact, type NetworkRunner } from './inference.ts';
import { initWeights } from './init-weights.ts';
import type { ModelConfig } from './lstm-model-config.ts';
import { modelAge } from './model-expiry.ts';
import { recentFeatureDrift } from './monitoring.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';
import { binOf, fitTrainingDistribution, windowDistance } from './training-distribution.ts';

const DAY_MS = 86_400_000;
const TINY: ModelConfig = { windowBars: 30, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const daily = makeSyntheticCandles(600, 3);
const ds = prepareDataset(daily, { horizonDays: 7, windowBars: 30 });
const NOW = daily.at(-1)!.openTimeMs + DAY_MS;
const runner: NetworkRunner = { predict: (_x, n) => Float32Array.from({ length: n * 3 }, (_, i) => [0.2, 0.3, 0.5][i % 3]!) };

/** The artifact's metadata as a loader reads it back, trained (createdAt) `ageDays` before NOW. */
async function metadata(ageDays = 1, extra: Partial<ArtifactMetadata> = {}): Promise<ArtifactMetadata> {
  const files = new Map<string, Uint8Array | string>();
  const createdAt = new Date(NOW - ageDays * DAY_MS).toISOString();
  const input = { ...metadataFromDataset(ds, { symbol: 'BTC', modelVersion: 'v1', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, createdAt }), ...extra };
  await writeArtifact(input, [initWeights(TINY, 7)], [7], async (name, data) => void files.set(name, data));
  return (await readArtifact(async (name) => files.get(name)!)).metadata;
}

/** `daily` with its last `days` candles swinging ±`move` a day on a hundredfold volume: nothing like training. */
function wild(days: number, move: number): Candle[] {
  const out = daily.slice(0, -days).map((c) => ({ ...c }));
  for (let i = 0; i < days; i++) {
    const prev = out.at(-1)!;
    const close = prev.close * (i % 2 === 0 ? 1 + move : 1 - move / 2);
    const base = daily[daily.length - days + i]!;
    out.push({ ...base, open: prev.close, high: Math.max(prev.close, close) * 1.05, low: Math.min(prev.close, close) * 0.95, close, baseVolume: base.baseVolume === null ? null : base.baseVolume * 100, quoteVolumeUsd: base.quoteVolumeUsd === null ? null : base.quoteVolumeUsd * 100 });
  }
  return out;
}

describe('out-of-distribution flag', () => {
  it('flags a window far from the training data on the prediction payload, and not the training data itself', async () => {
    const m = await metadata();
    const usual = await predictWithArtifact(m, [runner], 'BTC', { candles: daily.slice(0, 420) }, { nowMs: NOW });
    expect(usual.monitoring.outOfDistribution).toMatchObject({ flag: false, threshold: m.trainingDistribution!.distance.threshold });
    const far = await predictWithArtifact(m, [runner], 'BTC', { candles: wild(40, 0.4) }, { nowMs: NOW });
    expect(far.monitoring.outOfDistribution!.flag).toBe(true);
    expect(far.monitoring.outOfDistribution!.distance).toBeGreaterThan(far.monitoring.outOfDistribution!.threshold);
  });

  it('puts about 1% of the training windows above the threshold (its 99th percentile)', () => {
    const dist = fitTrainingDistribution(ds.train.x, ds.train.n, 30, ds.featureNames);
    const size = 30 * ds.nFeatures;
    const above = Array.from({ length: ds.train.n }, (_, k) => windowDistance(dist, ds.train.x.subarray(k * size, (k + 1) * size))).filter((d) => d > dist.distance.threshold).length;
    expect(above).toBe(ds.train.n - 1 - Math.floor(0.99 * (ds.train.n - 1))); // above the interpolated order statistic
  });

  it('says null, not a guess, for an artifact trained before the distribution was recorded', async () => {
    const m = await metadata(1, { trainingDistribution: undefined });
    expect(m.trainingDistribution).toBeUndefined();
    const p = await predictWithArtifact(m, [runner], 'BTC', { candles: daily }, { nowMs: NOW });
    expect(p.monitoring.outOfDistribution).toBeNull();
    expect(recentFeatureDrift(m, 'BTC', { candles: daily })).toBeNull();
  });
});

describe('model expiry', () => {
  it('marks a prediction from a model past its expiry expired, with its age and when it expired', async () => {
    const old = await predictWithArtifact(await metadata(120), [runner], 'BTC', { candles: daily }, { nowMs: NOW });
    expect(old.monitoring).toMatchObject({ modelAgeDays: 120, expiryDays: 90, expired: true, expiresAt: new Date(NOW - 30 * DAY_MS).toISOString() });
    const young = await predictWithArtifact(await metadata(10), [runner], 'BTC', { candles: daily }, { nowMs: NOW });
    expect(young.monitoring).toMatchObject({ modelAgeDays: 10, expired: false });
    const configured = await predictWithArtifact(await metadata(120), [runner], 'BTC', { candles: daily }, { nowMs: NOW, expiryDays: 180 });
    expect(configured.monitoring).toMatchObject({ modelAgeDays: 120, expiryDays: 180, expired: false });
  });

  it('refuses an expiry that is not a positive whole number of days, naming it', () => {
    expect(() => modelAge('2026-01-01T00:00:00Z', NOW, 0)).toThrow('Model expiry 0 days is invalid. Should be a positive whole number of days');
    expect(() => modelAge('yesterday', NOW)).toThrow('Cannot tell the age of a model created at "yesterday"');
  });
});

describe('population stability index', () => {
  it('matches a hand computation', () => {
    // (0.2 - 0.25) ln(0.2 / 0.25) + (0.3 - 0.25) ln(0.3 / 0.25) + (0.5 - 0.5) ln 1
    const hand = -0.05 * Math.log(0.8) + 0.05 * Math.log(1.2);
    expect(populationStabilityIndex([0.25, 0.25, 0.5], [0.2, 0.3, 0.5])).toBeCloseTo(hand, 12);
    expect(populationStabilityIndex([0.5, 0.5], [0.5, 0.5])).toBe(0);
    // an empty bin counts as PSI_EPSILON
    expect(populationStabilityIndex([0.5, 0.5], [1, 0])).toBeCloseTo(0.5 * Math.log(1 / 0.5) + (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5), 12);
    expect(() => populationStabilityIndex([1], [0.5, 0.5])).toThrow('PSI needs as many actual bins as expected ones; got 2 and 1.');
  });

  it('reads below 0.1 as stable, 0.1 to 0.25 as watch and above 0.25 as drift', () => {
    expect([0.05, 0.1, 0.25, 0.26].map((psi) => driftLevel(psi))).toEqual(['stable', 'watch', 'watch', 'drift']);
    // beside training stretches of the same length that scored 0.4 (median) and 1.2 (95th percentile)
    const chance = { days: 90, median: 0.4, p95: 1.2 };
    expect([0.3, 0.4, 1.2, 1.3].map((psi) => driftLevel(psi, chance))).toEqual(['stable', 'watch', 'watch', 'drift']);
  });

  it('bins rows by the training edges: below the first edge, between edges, at or above the last', () => {
    expect([-1, 0, 0.5, 1, 2].map((v) => binOf([0, 1], v))).toEqual([0, 1, 1, 2, 2]);
    const dist = { nWindows: 4, features: [{ name: 'f', mean: 0, std: 1, edges: [0, 1], proportions: [0.25, 0.5, 0.25] }], distance: { kind: 'rms-z' as const, median: 1, threshold: 2, max: 3, quantile: 0.99 } };
    // rows land 2, 1, 1 in the three bins: shares 0.5, 0.25, 0.25
    const [f] = featureDrift(dist, Float32Array.from([-2, -1, 0.5, 3]), 4);
    expect(f!.psi).toBeCloseTo(0.25 * Math.log(2) - 0.25 * Math.log(0.5), 12);
    expect(f!.level).toBe('drift'); // 0.347
  });

  it("compares a pooled model's trained asset with its own training rows, an asset it never saw with all of them", () => {
    // one feature, two assets: A's rows around -2, B's around +2; windows of one bar
    const n = 400;
    const x = Float32Array.from({ length: n }, (_, k) => (k < n / 2 ? -2 : 2) + ((k * 37) % 100) / 100);
    const asset = Int32Array.from({ length: n }, (_, k) => (k < n / 2 ? 0 : 1));
    const dist = fitTrainingDistribution(x, n, 1, ['f'], { symbols: ['A', 'B'], asset });
    const recentA = x.slice(0, 90); // A's own rows: nothing drifted
    expect(driftReference(dist, 'A').reference).toBe('asset');
    expect(featureDrift(dist, recentA, 90, 'A')[0]!.psi).toBeLessThan(0.1);
    // the same rows against every asset's: half the bins are empty, which reads as drift though A never changed
    expect(driftReference(dist, 'NEW').reference).toBe('all');
    expect(featureDrift(dist, recentA, 90, 'NEW')[0]!.level).toBe('drift');
  });

  it('does not call a slow feature drifted for a stretch like those of its own training history, and does call a shifted one', () => {
    // one slow feature (a 360-day cycle): every 90-day stretch covers a quarter of its range, a PSI far above 0.25
    const n = 3600;
    const x = Float32Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * k) / 360) + ((k * 7919) % 101) / 1000);
    const dist = fitTrainingDistribution(x, n, 1, ['slow']);
    const chance = dist.features[0]!.blockPsi!;
    expect(chance.days).toBe(90);
    expect(chance.median).toBeGreaterThan(0.25);
    const stretch = x.slice(900, 990); // a stretch of the training history itself
    const [same] = featureDrift(dist, stretch, 90);
    expect(same!.psi).toBeGreaterThan(0.25);
    expect(same!.level).not.toBe('drift');
    expect(same!.chance).toEqual(chance);
    const [shifted] = featureDrift(dist, stretch.map((v) => v + 5), 90);
    expect(shifted!.level).toBe('drift');
    // other lengths have no training blocks to compare with: the fixed thresholds
    expect(featureDrift(dist, x.slice(900, 960), 60)[0]!.chance).toBeUndefined();
  });

  it('finds the recent inputs of wild markets drifted and the training period itself stable', async () => {
    const m = await metadata();
    const trainEnd = ds.train.endDayMs[ds.train.n - 1]!;
    const calm = recentFeatureDrift(m, 'BTC', { candles: daily.filter((c) => c.openTimeMs <= trainEnd) }, 300)!;
    expect(calm).toMatchObject({ nRows: 300, reference: 'asset' });
    expect(Math.max(...calm.features.map((f) => f.psi))).toBeLessThan(0.25);
    const drifted = recentFeatureDrift(m, 'BTC', { candles: wild(90, 0.4) })!;
    expect(drifted.features.some((f) => f.level === 'drift')).toBe(true);
  });
});
