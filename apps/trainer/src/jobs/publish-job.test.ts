// publish end to end over a real tiny artifact: a seeded tfjs model saved in the artifact format, registered
// in PGlite beside synthetic candles; publish computes its prediction, stores it and fills the serving cache,
// and the API then serves what the tfjs reference (predictWithTfjs) gives (within 1e-5) for the same artifact and candles; serve's
// on-demand predictor (the fused engine) agrees with it on the same registry.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseApiEnv, startNodeServer } from '@coinsphere/api';
import { openDatabase, registerModel, riskScoreHistory, upsertCandles, type Database } from '@coinsphere/data';
import { MemoryCache, predictionKey } from '@coinsphere/serving';
import { DrizzleStore } from '@coinsphere/serving/node';
import { ARTIFACT_FILES, artifactDigest, buildModel, DEFAULT_TRAINING_CONFIG, loadArtifact, makeSyntheticCandles, metadataFromDataset, predictWithTfjs, prepareDataset, saveArtifact, type ModelConfig } from '@coinsphere/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IG_TOLERANCE } from '@coinsphere/model/explain';
import { renderPublished } from '../commands/publish.ts';
import { servedPredictions, publishBatch, publishJob } from './publish-job.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
let dir: string;
let db: Database;
const candles = makeSyntheticCandles(400, 4);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-publish-'));
  db = await openDatabase(join(dir, 'db'));
  await upsertCandles(db, candles.map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));
  const ds = prepareDataset(candles, { horizonDays: 7, windowBars: 10 });
  const model = buildModel(TINY, 9);
  const metadata = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: 'v-test', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null });
  const location = join(dir, 'artifacts', 'TEST', '7d', 'v-test');
  mkdirSync(location, { recursive: true });
  const saved = await saveArtifact(model, metadata, async (name, data) => writeFileSync(join(location, name), data));
  model.dispose();
  const digest = await artifactDigest(readFileSync(join(location, ARTIFACT_FILES.metadata)));
  await registerModel(db.orm, { symbol: 'TEST', horizonDays: 7, version: 'v-test', location: 'TEST/7d/v-test', digest, metrics: {}, metadata: saved as unknown as Record<string, unknown> });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('publish', () => {
  it('publishes the registry model prediction that the API then serves, and changes exactly its key', async () => {
    const batch = await servedPredictions(join(dir, 'artifacts'))(db, {});
    expect(batch).toHaveLength(1);
    const cache = new MemoryCache();
    const result = await publishBatch(db, batch, cache);
    expect(result).toEqual({ written: 1, changedKeys: [predictionKey('TEST', 7)] });

    const artifact = await loadArtifact((name) => readFile(join(dir, 'artifacts', 'TEST', '7d', 'v-test', name)).then((b) => new Uint8Array(b)));
    const expected = await predictWithTfjs(artifact, 'TEST', { candles: candles });
    artifact.models.forEach((m) => m.dispose());
    const app = createApp({ store: new DrizzleStore(db), cache, config: { rateLimit: null } });
    const served = (await (await app.request('/v1/predictions/TEST?horizon=7')).json()) as Record<string, unknown>;
    expect(served).toMatchObject({ symbol: 'TEST', horizonDays: 7, asOf: expected.asOf, class: expected.class, modelVersion: 'v-test', stale: true, staleReasons: ['data_old'] });
    for (const k of ['bearish', 'neutral', 'bullish'] as const) expect(Math.abs((served.probabilities as Record<string, number>)[k]! - expected.probabilities[k])).toBeLessThan(1e-5); // fused engine vs tfjs
    expect(served.placeholders).toEqual(Object.entries(artifact.metadata.featureStatus).filter(([, s]) => s !== 'real').map(([n]) => n));
    // the out-of-distribution flag and the model's age travel with the stored prediction (#16)
    const { outOfDistribution, expiryDays, expiresAt, expired } = expected.monitoring;
    expect(served.monitoring).toMatchObject({ outOfDistribution: { ...outOfDistribution!, flag: false }, expiryDays, expiresAt, expired });
    // and "why this call" (#18): every feature's attribution toward the served class, summing to its probability's
    // move from the training-mean baseline
    const why = served.attributions as { class: string; probability: number; baselineProbability: number; completenessGap: number; features: Array<{ name: string; attribution: number }> };
    expect(why.class).toBe(served.class);
    expect(why.features.map((f) => f.name)).toEqual(artifact.metadata.featureNames);
    expect(Math.abs(why.probability - (served.probabilities as Record<string, number>)[why.class]!)).toBeLessThan(1e-6);
    const sum = why.features.reduce((acc, f) => acc + f.attribution, 0);
    expect(Math.abs(sum - (why.probability - why.baselineProbability))).toBeLessThanOrEqual(IG_TOLERANCE);
    expect(Math.abs(sum - (why.probability - why.baselineProbability) - why.completenessGap)).toBeLessThan(1e-9);

    const again = await publishBatch(db, await servedPredictions(join(dir, 'artifacts'))(db, { horizons: [7] }), cache);
    expect(again.changedKeys).toEqual([]); // same model, same candles: nothing to invalidate
    expect(await servedPredictions(join(dir, 'artifacts'))(db, { symbols: ['BTC'] })).toEqual([]);
  });

  it('then stores the risk assessments of every asset: one asset alone has no cross-section, so a reason and no score', async () => {
    const { batch, result } = await publishJob(db, { filter: {}, redisUrl: undefined, artifactsRoot: join(dir, 'artifacts') }, servedPredictions(join(dir, 'artifacts')));
    expect(batch).toHaveLength(1);
    expect(result.risk).toMatchObject({ assets: 1, scored: [], rows: 90 });
    expect(result.monitoring).toEqual({ summaries: 1 }); // GET /v1/monitoring/TEST?horizon=7 now answers
    expect((await createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null } }).request('/v1/monitoring/TEST?horizon=7')).status).toBe(200);
    expect(result.risk!.unscored).toEqual([expect.objectContaining({ symbol: 'TEST', reason: expect.stringMatching(/^(too-few-assets|model-not-fitted)$/) })]);
    const stored = await riskScoreHistory(db.orm, 'TEST', 90);
    expect(stored).toHaveLength(90);
    expect(stored.every((r) => r.score === null && r.reason !== null)).toBe(true); // never a number made of missing data
    expect(renderPublished(batch, result)).toMatch(/\nRisk scores \(.+\): 0 of 1 assets scored on their newest day; 90 asset-days stored; no score: TEST \(/);
  });

  it("serve's POST /v1/predict runs the fused engine on the registry artifact and agrees with tfjs within 1e-5", async () => {
    const artifact = await loadArtifact((name) => readFile(join(dir, 'artifacts', 'TEST', '7d', 'v-test', name)).then((b) => new Uint8Array(b)));
    const expected = await predictWithTfjs(artifact, 'TEST', { candles: candles });
    artifact.models.forEach((m) => m.dispose());
    // serve's own predictor: the fused engine in worker threads, with MODEL_EXPIRY_DAYS carried into them
    const server = await startNodeServer({ db, artifactsRoot: join(dir, 'artifacts'), port: 0, env: parseApiEnv({ MODEL_EXPIRY_DAYS: '30', PREDICT_THREADS: '1', LOG_LEVEL: 'warn' }) }); // warn: no log line per request in the test output
    try {
      const res = await fetch(`${server.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'TEST', horizonDays: 7, candles }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { class: string; probabilities: Record<string, number>; modelVersion: string };
      for (const k of ['bearish', 'neutral', 'bullish'] as const) expect(Math.abs(body.probabilities[k]! - expected.probabilities[k])).toBeLessThan(1e-5);
      expect(body).toMatchObject({ class: expected.class, modelVersion: 'v-test', monitoring: { outOfDistribution: expected.monitoring.outOfDistribution, expired: false, expiryDays: 30 } });
    } finally {
      await server.close();
    }
  });
});
