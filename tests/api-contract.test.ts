// The dashboard's client against the real API app: every route the client calls, answered by createApp over a real
// PGlite store holding what the trainer writes (a published batch, an evaluation summarised by the trainer's own
// code, a registered model's files), is parsed by the client with the contract's schemas. If the API sent something
// the client does not expect, or the client expected something the API does not send, a read here throws
// `bad_shape`. The client's fetch is the app's own request(): no server, no mock of either side.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@coinsphere/api';
import { openDatabase, registerModel, saveEvaluation, upsertCandles, type Database } from '@coinsphere/data';
import { artifactDigest, DEFAULT_MODEL_CONFIG, DEFAULT_TRAINING_CONFIG, type AssetResult, type EvaluationConfig, type EvaluationResult } from '@coinsphere/model/core';
import { MemoryCache } from '@coinsphere/serving';
import { EvaluationAssetSchema, EvaluationSchema, type Prediction, type PublishBatch } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { ApiResponseError, createApiClient, type ApiClient } from '../apps/web/src/api-client.ts';
import { FsArtifacts } from '../apps/api/src/node/fs-artifacts.ts';
import type { FoldOutcome } from '../apps/trainer/src/evaluation/fold-task.ts';
import { summarizeEvaluation } from '../apps/trainer/src/evaluation/summarize.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TOKEN = 'contract-token-0123456789';
const BASE = 'http://api.test';

/** A deterministic stream in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** What `coinsphere evaluate` stores for one asset at one horizon: the trainer's summarizeEvaluation over two folds
 *  of made-up model outputs (the numbers are noise; the shape is the trainer's). */
function evaluationResult(symbol: string, horizonDays: number): EvaluationResult {
  const rand = uniform(7);
  const opts: EvaluationConfig = {
    symbols: [symbol], horizons: [horizonDays], foldDays: 20, minTrainDays: 40, pooled: false, jobs: 1,
    modelConfig: DEFAULT_MODEL_CONFIG, training: DEFAULT_TRAINING_CONFIG,
    trading: { minConfidence: 0.4, feeBps: 10, slippageBps: 5, allowShort: true }, bootstrapIterations: 20, preset: 'quick',
  };
  const probs = (n: number) => Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 0 ? 0.2 + rand() * 0.3 : 0.25 + rand() * 0.2));
  const folds = [0, 1].map((k) => ({ testStartDayMs: T0 + (40 + k * 20) * DAY, testEndDayMs: T0 + (59 + k * 20) * DAY }));
  const outcomes: FoldOutcome[] = folds.map((f, k) => {
    const testDayMs = Array.from({ length: 20 }, (_, i) => f.testStartDayMs + i * DAY);
    const p = () => probs(testDayMs.length);
    return {
      id: `${symbol}-${horizonDays}-${k}`, kind: 'asset', horizonDays, foldIndex: k, temperature: 1.2, valEce: { before: 0.1, after: 0.05 }, epochsRun: 3, bestEpoch: 1, wallMs: 1, cpuMs: 1,
      assets: [{ symbol, testDayMs, y: testDayMs.map(() => Math.floor(rand() * 3)), nextDayReturn: testDayMs.map(() => (rand() - 0.5) / 50), probs: { model: p(), uncalibrated: p(), logistic: p(), momentum: p(), persistence: p(), majority: p() }, nTrain: 40, nVal: 8 }],
    };
  });
  const plans = { [horizonDays]: { [symbol]: folds.map((f, index) => ({ index, train: { start: 0, end: 0 }, val: { start: 0, end: 0 }, test: { start: 0, end: 0 }, trainStartDayMs: T0, trainEndDayMs: T0, valEndDayMs: T0, ...f })) } };
  return summarizeEvaluation(outcomes, plans, opts, { [symbol]: { source: 'test', first: iso(T0), last: iso(T0 + 99 * DAY), days: 100 } });
}

function prediction(asOf: string, cls: Prediction['class'], close: number): Prediction {
  const probabilities = cls === 'bullish' ? { bearish: 0.2, neutral: 0.3, bullish: 0.5 } : { bearish: 0.5, neutral: 0.3, bullish: 0.2 };
  return {
    symbol: 'BTC', horizonDays: 7, asOf, class: cls, probabilities, confidence: 0.5, modelVersion: 'v1', placeholders: ['sentiment_score'], signal: 'clear',
    band: { lowerReturn: -0.02, upperReturn: 0.02, lowerPrice: close * 0.98, upperPrice: close * 1.02, closeAtAsOf: close }, createdAt: new Date(T0 + 100 * DAY).toISOString(),
  };
}

const METADATA_JSON = JSON.stringify({ modelVersion: 'v1', horizonDays: 7, temperature: 1.2 });
let dir: string;
let db: Database;
let app: ReturnType<typeof createApp>;
let client: ApiClient;
const close = (i: number) => 100 * 1.01 ** i;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-contract-'));
  db = await openDatabase(join(dir, 'db'));
  await upsertCandles(db, Array.from({ length: 100 }, (_, i) => ({ symbol: 'BTC', interval: '1d' as const, source: 'test', openTimeMs: T0 + i * DAY, open: close(i), high: close(i) * 1.01, low: close(i) * 0.99, close: close(i), baseVolume: 10, quoteVolumeUsd: 1000, marketCapUsd: null })));
  const location = join(dir, 'artifacts', 'BTC', '7d', 'v1');
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, 'metadata.json'), METADATA_JSON);
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'BTC/7d/v1', digest: await artifactDigest(METADATA_JSON), metrics: { accuracy: 0.4 }, metadata: { thresholds: { lower: -0.02, upper: 0.02 } } });
  const result = evaluationResult('BTC', 7);
  await saveEvaluation(db.orm, { symbols: ['BTC'], horizons: [7], config: { ...result.config }, report: { ...result } }); // as `coinsphere evaluate` saves it
  app = createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), artifacts: new FsArtifacts(join(dir, 'artifacts')), config: { apiToken: TOKEN, rateLimit: null }, logError: () => {} });
  const batch: PublishBatch = { predictions: [prediction(iso(T0 + 80 * DAY), 'bullish', close(80)), prediction(iso(T0 + 99 * DAY), 'bearish', close(99))] };
  const published = await app.request('/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(batch) });
  expect(published.status).toBe(200);
  client = createApiClient(BASE, (input, init) => Promise.resolve(app.request(String(input), init)));
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard client reads every route it calls from the real API', () => {
  it('assets and candles', async () => {
    expect(await client.assets()).toEqual([{ symbol: 'BTC', firstDay: iso(T0), lastDay: iso(T0 + 99 * DAY), horizons: [7] }]);
    const candles = await client.candles('BTC', iso(T0 + 10 * DAY), iso(T0 + 19 * DAY), 'test');
    expect(candles.map((k) => k.openTimeMs)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (10 + i) * DAY));
    expect(candles[0]).toMatchObject({ close: close(10), baseVolume: 10, marketCapUsd: null });
  });

  it('the latest prediction, with its signal, band and staleness; null where there is none', async () => {
    const p = await client.prediction('BTC', 7);
    expect(p).toMatchObject({ asOf: iso(T0 + 99 * DAY), class: 'bearish', signal: 'clear', stale: true, staleReasons: ['data_old'] });
    expect(p?.band?.closeAtAsOf).toBeCloseTo(close(99), 9);
    expect(await client.prediction('BTC', 14)).toBeNull(); // the API's 404, read through the error schema
  });

  it('the history with realised outcomes', async () => {
    const history = await client.history('BTC', 7, iso(T0), iso(T0 + 99 * DAY));
    expect(history.map((h) => h.asOf)).toEqual([iso(T0 + 80 * DAY), iso(T0 + 99 * DAY)]);
    expect(history[0]!.outcome).toMatchObject({ endDay: iso(T0 + 87 * DAY), class: 'bullish', correct: true }); // 1% a day for 7 days
    expect(history[1]!.outcome).toBeNull(); // the horizon has not passed within the candles
  });

  it('the latest evaluation as the trainer summarised it; null where there is none', async () => {
    const e = await client.evaluation('BTC', 7);
    expect(e).not.toBeNull();
    expect(e!.asset.folds).toHaveLength(2);
    expect(Object.keys(e!.asset.overall.predictors)).toEqual(expect.arrayContaining(['model', 'logistic', 'majority']));
    expect(e!.config).toEqual({ foldDays: 20, trading: { feeBps: 10, slippageBps: 5 } }); // what the model card reads of it
    expect(await client.evaluation('BTC', 30)).toBeNull();
  });

  it('the served artifact files', async () => {
    const bytes = await client.artifactReader('BTC', 7)('metadata.json');
    expect(Buffer.from(bytes).toString('utf8')).toBe(readFileSync(join(dir, 'artifacts', 'BTC', '7d', 'v1', 'metadata.json'), 'utf8'));
  });

  it('refuses a metadata.json that differs from the digest registered with the model: edited on disk (the API refuses) or on the way (the client does)', async () => {
    const path = join(dir, 'artifacts', 'BTC', '7d', 'v1', 'metadata.json');
    const edited = METADATA_JSON.replace('"temperature":1.2', '"temperature":0.05');
    writeFileSync(path, edited);
    try {
      const refused = await client.artifactReader('BTC', 7)('metadata.json').catch((e: unknown) => e as ApiResponseError);
      expect(refused).toBeInstanceOf(ApiResponseError);
      expect(refused).toMatchObject({ status: 503, code: 'model_unavailable', message: expect.stringMatching(/BTC 7d v1 has sha256 .* but the registry records/) });
    } finally {
      writeFileSync(path, METADATA_JSON);
    }
    const onTheWay: typeof fetch = async (input, init) => {
      const res = await app.request(String(input), init);
      return new Response(String(input).endsWith('metadata.json') ? edited : res.body, { status: res.status, headers: res.headers });
    };
    const read = createApiClient(BASE, onTheWay).artifactReader('BTC', 7)('metadata.json');
    await expect(read).rejects.toThrow(/metadata\.json of model BTC 7d has sha256 [0-9a-f]{64} but the registry records [0-9a-f]{64}/);
  });

  it('fails with bad_shape when an answer lacks what the contract requires (so the reads above check something)', async () => {
    const dropSignal: typeof fetch = async (input, init) => {
      const res = await app.request(String(input), init);
      const { signal: _dropped, ...rest } = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rest), { status: res.status, headers: res.headers });
    };
    const read = createApiClient(BASE, dropSignal).prediction('BTC', 7);
    await expect(read).rejects.toBeInstanceOf(ApiResponseError);
    await expect(read).rejects.toMatchObject({ code: 'bad_shape', message: expect.stringMatching(/^\/v1\/predictions\/BTC\?horizon=7 answered in an unexpected shape/) });
  });
});

describe('the stored evaluation types fit the contract', () => {
  it("the model package's AssetResult and EvaluationConfig are what the contract's evaluation reads (checked by tsc)", () => {
    expectTypeOf<AssetResult>().toMatchTypeOf<z.input<typeof EvaluationAssetSchema>>();
    expectTypeOf<EvaluationConfig>().toMatchTypeOf<z.input<typeof EvaluationSchema>['config']>();
  });
});
