import { describe, expect, it } from 'vitest';

import type { ReadArtifactFile } from './artifact-files.ts';
import { readArtifact, readArtifactMetadata, writeArtifact } from './artifact-io.ts';
import { metadataFromDataset, type ArtifactMetadata } from './artifact-metadata.ts';
import { prepareDataset } from './dataset.ts';
import { FEATURE_NAMES, N_FEATURES } from './features.ts';
import { predictPast, predictWithArtifact, windowsFor, type NetworkRunner } from './inference.ts';
import { initWeights } from './init-weights.ts';
import type { ModelConfig } from './lstm-model-config.ts';
import { makeSyntheticCandles } from './synthetic-candles.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';

const TINY: ModelConfig = { windowBars: 30, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const daily = makeSyntheticCandles(600, 3);
const ds = prepareDataset(daily, { horizonDays: 7, windowBars: 30 });

async function artifact(extra: Partial<ArtifactMetadata> = {}, members = 1): Promise<{ files: Map<string, Uint8Array | string>; read: ReadArtifactFile }> {
  const files = new Map<string, Uint8Array | string>();
  const input = { ...metadataFromDataset(ds, { symbol: 'BTC', modelVersion: 'v1', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null }), ...extra };
  const weights = Array.from({ length: members }, (_, i) => initWeights(TINY, 7 + i));
  await writeArtifact(input, weights, weights.map((_, i) => 7 + i), async (name, data) => void files.set(name, data));
  return { files, read: async (name) => files.get(name) ?? Promise.reject(new Error(`no ${name}`)) };
}

/** A runner that answers fixed probabilities and records the windows it saw. */
function fixed(p: [number, number, number], seen: Float32Array[] = []): NetworkRunner {
  return { predict: (x, n) => (seen.push(x.slice()), Float32Array.from({ length: n * 3 }, (_, i) => p[i % 3]!)) };
}

describe('windowsFor', () => {
  it('gives the normalised window a training sample of the same day had', async () => {
    const { metadata } = await readArtifact((await artifact()).read);
    const lastTest = ds.test.endDayMs[ds.test.n - 1]!;
    const cut = daily.filter((c) => c.openTimeMs <= lastTest);
    const x = windowsFor(metadata, 'BTC', { candles: cut }, [cut.length - 1]);
    expect(Array.from(x)).toEqual(Array.from(ds.test.x.subarray((ds.test.n - 1) * 30 * N_FEATURES)));
  });

  it('refuses too little history naming the symbol, days available and days required', async () => {
    const { metadata } = await readArtifact((await artifact()).read);
    expect(() => windowsFor(metadata, 'BTC', { candles: daily.slice(0, 60) }, [59])).toThrow('Not enough history for BTC: 60 days available, 79 required');
  });
});

describe('predictWithArtifact', () => {
  it('averages the members, applies the temperature, and says "no clear signal" below the threshold', async () => {
    const { metadata } = await readArtifact((await artifact({ temperature: 2, abstainBelow: 0.4 }, 2)).read);
    const p = await predictWithArtifact(metadata, [fixed([0.6, 0.3, 0.1]), fixed([0.2, 0.3, 0.5])], 'BTC', { candles: daily });
    // mean (0.4, 0.3, 0.3), tempered by T = 2: proportional to sqrt of each.
    const s = Math.sqrt(0.4) + 2 * Math.sqrt(0.3);
    expect(p.probabilities.bearish).toBeCloseTo(Math.sqrt(0.4) / s, 6);
    expect(p.class).toBe('bearish');
    expect(p.signal).toBe('none'); // 0.366 < 0.4
    expect(p.asOf).toBe(new Date(daily.at(-1)!.openTimeMs).toISOString().slice(0, 10));
    expect(p.band.lowerPrice).toBeCloseTo(daily.at(-1)!.close * (1 + ds.thresholds.lower), 6);
    await expect(predictWithArtifact(metadata, [fixed([1, 0, 0])], 'BTC', { candles: daily })).rejects.toThrow('The artifact has 2 networks but 1 runners were given.');
  });

  it('normalises an asset the model never saw with its own history, and an asset it knows with its training statistics', async () => {
    const { metadata } = await readArtifact((await artifact()).read);
    const seenKnown: Float32Array[] = [];
    const seenNew: Float32Array[] = [];
    await predictWithArtifact(metadata, [fixed([0.3, 0.3, 0.4], seenKnown)], 'BTC', { candles: daily });
    await predictWithArtifact(metadata, [fixed([0.3, 0.3, 0.4], seenNew)], 'NEW', { candles: daily });
    expect(Array.from(seenNew[0]!)).not.toEqual(Array.from(seenKnown[0]!));
    // Its own z-scores have mean ~0 over its history; the window's last row is finite.
    expect(seenNew[0]!.every(Number.isFinite)).toBe(true);
  });

  it('scores past windows against what happened, under the band of each day', async () => {
    const { metadata } = await readArtifact((await artifact()).read);
    const past = await predictPast(metadata, [fixed([0.1, 0.2, 0.7])], 'BTC', { candles: daily }, 20);
    expect(past).toHaveLength(20);
    expect(past.at(-1)!.asOf).toBe(new Date(daily.at(-8)!.openTimeMs).toISOString().slice(0, 10));
    for (const r of past) expect(r.correct).toBe(r.outcome === 'bullish');
  });
});

describe('artifact files', () => {
  it('refuses a feature schema this code does not compute, naming the column', async () => {
    const names: string[] = [...FEATURE_NAMES];
    names[3] = 'spread';
    const { files, read } = await artifact();
    const meta = JSON.parse(files.get('metadata.json') as string);
    files.set('metadata.json', JSON.stringify({ ...meta, featureNames: names }));
    await expect(readArtifactMetadata(read)).rejects.toThrow(/column 3.*"spread".*"hl_spread"/);
  });

  it('refuses a weight file that differs from its recorded hash, and an older schema with a way out', async () => {
    const { files, read } = await artifact();
    const bytes = (files.get('group1-shard1of1.bin') as Uint8Array).slice();
    bytes[5] = bytes[5]! ^ 1;
    files.set('group1-shard1of1.bin', bytes);
    await expect(readArtifact(read)).rejects.toThrow(/group1-shard1of1.bin has sha256 .* but metadata.json records/);
    files.set('metadata.json', JSON.stringify({ ...JSON.parse(files.get('metadata.json') as string), schemaVersion: 1 }));
    await expect(readArtifact(read)).rejects.toThrow('metadata.json has schemaVersion 1; this code reads version 2. Retrain the model with this version (coinsphere train).');
  });

  it('writes one model.json and weight file per member, the first under tfjs names', async () => {
    const { files } = await artifact({}, 3);
    expect([...files.keys()].sort()).toEqual(['group1-shard1of1.bin', 'metadata.json', 'model-1.bin', 'model-1.json', 'model-2.bin', 'model-2.json', 'model.json']);
  });
});
