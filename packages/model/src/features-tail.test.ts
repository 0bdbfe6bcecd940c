// A prediction computes only its window's feature rows (computeFeatureSetTail, newestWindow); these tests hold those
// rows and windows bit for bit (Object.is) against every day's features (computeFeatureSet, windowsFor), the path
// training and evaluation still take, over both feature sets, every input a set reads (hourly candles, a sentiment
// provider, the market, sources without volume, market cap or high/low) and windows of 1 to 90 days.
import { describe, expect, it } from 'vitest';

import { type ReadArtifactFile } from './artifact-files.ts';
import { readArtifact, writeArtifact } from './artifact-io.ts';
import { metadataFromDataset, type ArtifactMetadata } from './artifact-metadata.ts';
import type { Candle } from './candle.ts';
import { prepareDataset } from './dataset.ts';
import { computeFeatureSet, computeFeatureSetTail, FEATURE_SETS, type FeatureInputs, type FeatureSetName } from './feature-sets.ts';
import { newestWindow, predictWithArtifact, windowsFor, type NetworkRunner } from './inference.ts';
import { initWeights } from './init-weights.ts';
import { fitNormalizer } from './normalizer.ts';
import { makeRng } from './random.ts';
import type { SentimentProvider } from './sentiment-provider.ts';
import { makeSyntheticCandles, makeSyntheticHourly } from './synthetic-candles.ts';
import { DEFAULT_TRAINING_CONFIG } from './training-config.ts';

/** Indices where two arrays differ as bits: empty when identical. */
function differences(a: Float32Array, b: Float32Array): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/** A provider with a reading on most days (and none on some), so the social columns vary. */
const sentiment: SentimentProvider = {
  name: 'test',
  kind: 'real',
  readingAt: (dayMs) => (dayMs % 7 === 0 ? null : { socialScore: (dayMs / 86_400_000) % 100, sentimentPos: 40 + ((dayMs / 86_400_000) % 13), sentimentNeg: 20 }),
};

/** Daily series the features meet in practice: full OHLCV, price only, volume starting late with gaps, flat prices. */
function dailySeries(): { name: string; daily: Candle[] }[] {
  const rng = makeRng(11);
  return [
    { name: 'full', daily: makeSyntheticCandles(400, 3) },
    { name: 'short', daily: makeSyntheticCandles(60, 4) },
    { name: 'price only', daily: makeSyntheticCandles(300, 5).map((c) => ({ ...c, open: null, high: null, low: null, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null })) },
    { name: 'late, gappy volume and cap', daily: makeSyntheticCandles(300, 6).map((c, i) => ({ ...c, baseVolume: i < 120 || rng() < 0.1 ? null : c.baseVolume, marketCapUsd: i < 200 ? null : c.close * 1e7 })) },
    { name: 'flat', daily: makeSyntheticCandles(150, 7).map((c) => ({ ...c, open: 2, high: 2, low: 2, close: 2 })) },
  ];
}

describe('computeFeatureSetTail', () => {
  const market = makeSyntheticCandles(900, 8, { startMs: Date.UTC(2019, 6, 1) });
  const cases: { set: FeatureSetName; inputs: (daily: Candle[]) => FeatureInputs; what: string }[] = [
    { set: 'spec', inputs: () => ({}), what: 'spec' },
    { set: 'spec', inputs: (daily) => ({ hourly: makeSyntheticHourly(daily.slice(-40), 2), sentiment }), what: 'spec with hourly candles and sentiment' },
    { set: 'v2', inputs: () => ({}), what: 'v2 without the market' },
    { set: 'v2', inputs: () => ({ market }), what: 'v2 with the market' },
  ];

  for (const { set, inputs, what } of cases) {
    it(`gives the rows of every day's features from any row on: ${what}`, () => {
      for (const { name, daily } of dailySeries()) {
        const full = computeFeatureSet(set, daily, inputs(daily));
        const nf = full.rows.length / Math.max(1, full.nDays);
        for (const fromRow of [0, 1, 19, 49, 50, daily.length - 90, daily.length - 10, daily.length - 1, daily.length]) {
          const tail = computeFeatureSetTail(set, daily, inputs(daily), fromRow);
          expect(tail.firstValidIndex, `${name} from ${fromRow}`).toBe(full.firstValidIndex);
          expect(tail.fromRow).toBe(Math.min(daily.length, Math.max(0, fromRow)));
          expect(differences(tail.rows, full.rows.subarray(tail.fromRow * nf)), `${name} from ${fromRow}`).toEqual([]);
        }
      }
    });
  }

  it('refuses what every day\'s features refuse, with the same message', () => {
    const daily = makeSyntheticCandles(100, 9);
    const unsorted = [...daily.slice(0, 50), daily[10]!, ...daily.slice(51)];
    for (const set of ['spec', 'v2'] as const) {
      expect(() => computeFeatureSetTail(set, unsorted, {}, 90)).toThrow(/candle 50 .* is not after candle 49/);
      expect(() => computeFeatureSet(set, unsorted, {})).toThrow(/candle 50 .* is not after candle 49/);
    }
  });
});

describe('newestWindow', () => {
  const daily = makeSyntheticCandles(500, 12);

  /** The metadata of a seeded `set` model of `windowBars` on `daily` with a normalisation of `kind`. */
  async function metadataOf(set: FeatureSetName, windowBars: number, kind: 'asset' | 'global'): Promise<ArtifactMetadata> {
    const config = { windowBars, nFeatures: 20, lstmUnits: [4, 4, 4] as [number, number, number], denseUnits: 4, nClasses: 3, dropout: 0.2 };
    const ds = prepareDataset(daily, { horizonDays: 7, windowBars });
    const input = metadataFromDataset(ds, { symbol: 'BTC', modelVersion: 'v1', dataSource: 'synthetic', modelConfig: config, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, featureSet: set });
    const features = computeFeatureSet(set, daily, { market: daily }); // the set's own columns and training statistics
    const normalizer = fitNormalizer(features.rows, 20, features.firstValidIndex, features.nDays);
    const normalization = kind === 'global' ? { kind: 'global' as const, normalizer } : { kind: 'asset' as const, bySymbol: { BTC: normalizer } };
    const files = new Map<string, Uint8Array | string>();
    const metadata = { ...input, featureNames: [...FEATURE_SETS[set].names], featureStatus: features.featureStatus, featureCoverage: features.featureCoverage, normalization, trainingDistribution: undefined }; // the spec dataset's distribution would name other features
    await writeArtifact(metadata, [initWeights(config, 1)], [1], async (name, data) => void files.set(name, data));
    const read: ReadArtifactFile = async (name) => files.get(name)!;
    return (await readArtifact(read)).metadata;
  }

  for (const set of ['spec', 'v2'] as const) {
    it(`gives windowsFor's newest window bit for bit: ${set}, windows of 1 to 90 days, each normalisation`, async () => {
      for (const windowBars of [1, 10, 90]) {
        for (const kind of ['asset', 'global'] as const) {
          const m = await metadataOf(set, windowBars, kind);
          expect(m.featureSet).toBe(set);
          for (const [symbol, candles] of [['BTC', daily], ['BTC', daily.slice(0, 200)], ['ETH', daily.slice(0, 300)]] as const) {
            const x = newestWindow(m, symbol, { candles });
            expect(x.length).toBe(windowBars * 20);
            expect(differences(x, windowsFor(m, symbol, { candles }, [candles.length - 1])), `${windowBars} ${kind} ${symbol} ${candles.length}`).toEqual([]);
          }
        }
      }
    });
  }

  it('hands the networks the window windowsFor makes, and refuses too short a history as windowsFor does', async () => {
    const m = await metadataOf('spec', 10, 'asset');
    const seen: Float32Array[] = [];
    const runner: NetworkRunner = { predict: (x, n) => (seen.push(x.slice()), new Float32Array(n * 3).fill(1 / 3)) };
    await predictWithArtifact(m, [runner], 'BTC', { candles: daily });
    expect(differences(seen[0]!, windowsFor(m, 'BTC', { candles: daily }, [daily.length - 1]))).toEqual([]);
    const short = daily.slice(0, 55);
    expect(() => newestWindow(m, 'BTC', { candles: short })).toThrow('Not enough history for BTC: 55 days available, 59 required');
    expect(() => windowsFor(m, 'BTC', { candles: short }, [54])).toThrow('Not enough history for BTC: 55 days available, 59 required');
  });
});
