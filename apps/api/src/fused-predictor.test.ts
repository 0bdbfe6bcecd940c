// POST /v1/predict on the fused engine through app.request(): the probabilities equal tfjs (predictWithTfjs) on
// the same artifact and candles (temperature applied), the attributions when asked (explain: true), the engine is loaded once per model version and replaced
// (and disposed) by a newer one, and bad artifacts (a 503 naming the model, seen by /v1/health) and windows are
// refused. A seeded tiny model saved in the real artifact format; the registry and files sit in the Worker's KvStore
// over an in-memory KV. Also the request half's kept store reads (cacheStoreReads: TTL, one read in flight, failures
// forgotten).
import { loadFusedLstm } from '@coinsphere/engine/node';
import { ARTIFACT_FILES, artifactDigest, buildModel, DEFAULT_TRAINING_CONFIG, loadArtifact, makeSyntheticCandles, metadataFromDataset, predictWithTfjs, prepareDataset, saveArtifact, type ModelConfig } from '@coinsphere/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { parseApiEnv } from './env.ts';
import { MemoryCache } from '@coinsphere/serving';
import { cacheStoreReads, createFusedPredictor, newestModel } from './fused-predictor.ts';
import type { ModelRecord } from './store.ts';
import { KvStore } from './worker/kv-store.ts';
import { memoryKv } from './worker/memory-kv.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const candles = makeSyntheticCandles(300, 5);

/** Saves a seeded tiny model as an artifact into `kv` and registers it; returns its files. */
async function publishTiny(kv: ReturnType<typeof memoryKv>, version: string, seed: number, createdAt: string, temperature: number, trainedAt?: string): Promise<Map<string, Uint8Array>> {
  const ds = prepareDataset(candles, { horizonDays: 7, windowBars: TINY.windowBars });
  const model = buildModel(TINY, seed);
  const metadata = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: version, dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, temperature, createdAt: trainedAt });
  const files = new Map<string, Uint8Array>();
  const saved = await saveArtifact(model, metadata, async (name, data) => void files.set(name, typeof data === 'string' ? new TextEncoder().encode(data) : data));
  model.dispose();
  for (const [name, bytes] of files) await kv.put(`artifact:TEST:7:${version}:${name}`, bytes);
  const models = JSON.parse((await kv.get('db:models', 'text')) ?? '[]') as ModelRecord[];
  const digest = await artifactDigest(files.get(ARTIFACT_FILES.metadata)!);
  models.push({ id: models.length + 1, scope: 'asset', symbol: 'TEST', horizonDays: 7, version, location: `kv:${version}`, metrics: {}, metadata: saved as unknown as Record<string, unknown>, digest, createdAt });
  await kv.put('db:models', JSON.stringify(models));
  return files;
}

async function tfjsPrediction(files: Map<string, Uint8Array>, window = candles) {
  const artifact = await loadArtifact(async (name) => files.get(name)!);
  try {
    return await predictWithTfjs(artifact, 'TEST', { candles: window });
  } finally {
    artifact.models.forEach((m) => m.dispose());
  }
}

let kv: ReturnType<typeof memoryKv>;
let store: KvStore;
let v1Files: Map<string, Uint8Array>;
let created: Array<{ disposed: boolean }>;

function setup(loadRetryMs?: number) {
  created = [];
  const predictor = createFusedPredictor({
    findModel: async (symbol, h) => newestModel(await store.listModels(), symbol, h),
    artifacts: store,
    loadRetryMs,
    createEngine: async (config) => {
      const engine = await loadFusedLstm(config, 1);
      const seen = { disposed: false };
      created.push(seen);
      return Object.assign(Object.create(engine) as typeof engine, { dispose: () => { seen.disposed = true; engine.dispose(); } });
    },
  });
  const app = createApp({ store, cache: new MemoryCache(), predictor, modelHealth: () => predictor.health(), config: { rateLimit: null }, logError: () => {} });
  const post = (body: unknown) => app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { predictor, post, app };
}

beforeAll(async () => {
  kv = memoryKv();
  store = new KvStore(kv);
  v1Files = await publishTiny(kv, 'v1', 9, '2024-06-01T00:00:00.000Z', 1.5);
});

describe('POST /v1/predict on the fused engine', () => {
  it('says the model expired past MODEL_EXPIRY_DAYS (the predictor\'s expiryDays, default 90), with its age', async () => {
    const oldKv = memoryKv();
    const oldStore = new KvStore(oldKv);
    await publishTiny(oldKv, 'old', 9, '2024-06-01T00:00:00.000Z', 1, new Date(Date.now() - 120 * 86_400_000).toISOString());
    const answer = async (expiryDays?: number) => {
      const predictor = createFusedPredictor({ findModel: async (symbol, h) => newestModel(await oldStore.listModels(), symbol, h), artifacts: oldStore, createEngine: (config) => loadFusedLstm(config, 1), expiryDays });
      const app = createApp({ store: oldStore, cache: new MemoryCache(), predictor, config: { rateLimit: null }, logError: () => {} });
      const res = await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'TEST', horizonDays: 7, candles }) });
      predictor.dispose();
      return ((await res.json()) as { monitoring: { modelAgeDays: number; expiryDays: number; expired: boolean } }).monitoring;
    };
    expect(await answer()).toMatchObject({ modelAgeDays: 120, expiryDays: 90, expired: true });
    expect(await answer(365)).toMatchObject({ modelAgeDays: 120, expiryDays: 365, expired: false });
    expect(() => parseApiEnv({ MODEL_EXPIRY_DAYS: '0' })).toThrow('MODEL_EXPIRY_DAYS must be above 0');
    expect(parseApiEnv({ MODEL_EXPIRY_DAYS: '30' }).modelExpiryDays).toBe(30);
  });

  it('gives the probabilities of tfjs predictDirection on the same artifact and candles within 1e-5', async () => {
    const { post, predictor } = setup();
    const windows = [candles, candles.slice(0, 200), candles.slice(50, 260)];
    for (const window of windows) {
      const res = await post({ symbol: 'test', horizonDays: 7, candles: window });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { class: string; probabilities: Record<string, number>; confidence: number; modelVersion: string; placeholders: string[] };
      const expected = await tfjsPrediction(v1Files, window);
      for (const k of ['bearish', 'neutral', 'bullish'] as const) expect(Math.abs(body.probabilities[k]! - expected.probabilities[k])).toBeLessThan(1e-5);
      expect(body).toMatchObject({ class: expected.class, modelVersion: 'v1' });
      expect(Math.abs(body.confidence - expected.confidence)).toBeLessThan(1e-5);
      expect(body.placeholders.length).toBeGreaterThan(0); // synthetic data: sentiment etc. are placeholders
    }
    expect(created).toHaveLength(1); // one engine for three requests
    expect(predictor.loaded()).toEqual(['TEST:7:v1']);
    predictor.dispose();
    expect(created[0]!.disposed).toBe(true);
  });

  it('answers the attributions of the call only when asked (explain: true): for the class it called, summing to its probability above the baseline', async () => {
    const { post, predictor } = setup();
    const plain = (await (await post({ symbol: 'TEST', horizonDays: 7, candles })).json()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty('attributions'); // off by default: they cost several predictions' time
    const res = await post({ symbol: 'TEST', horizonDays: 7, candles, explain: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { class: string; probabilities: Record<string, number>; attributions: { class: string; probability: number; baselineProbability: number; completenessGap: number; features: Array<{ name: string; attribution: number }> } };
    const why = body.attributions;
    expect(why.class).toBe(body.class);
    expect(Math.abs(why.probability - body.probabilities[body.class]!)).toBeLessThan(1e-5); // the answer's own probability
    expect(why.features).toHaveLength(TINY.nFeatures);
    const sum = why.features.reduce((a, f) => a + f.attribution, 0);
    expect(Math.abs(sum - (why.probability - why.baselineProbability) - why.completenessGap)).toBeLessThan(1e-6);
    expect(Math.abs(why.completenessGap)).toBeLessThan(5e-4); // IG_TOLERANCE: faithful to the network
    expect(why.features.some((f) => Math.abs(f.attribution) > 1e-6)).toBe(true);
    const bad = await post({ symbol: 'TEST', horizonDays: 7, candles, explain: 'yes' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('explain');
    predictor.dispose();
  });

  it('replaces the engine when a newer version is registered and disposes the old one', async () => {
    const { post, predictor } = setup();
    expect((await post({ symbol: 'TEST', horizonDays: 7, candles })).status).toBe(200);
    const v2Files = await publishTiny(kv, 'v2', 11, '2024-07-01T00:00:00.000Z', 1);
    const res = await post({ symbol: 'TEST', horizonDays: 7, candles });
    const body = (await res.json()) as { modelVersion: string; probabilities: Record<string, number> };
    expect(body.modelVersion).toBe('v2');
    const expected = await tfjsPrediction(v2Files);
    expect(Math.abs(body.probabilities.bullish! - expected.probabilities.bullish)).toBeLessThan(1e-5);
    expect(created.map((c) => c.disposed)).toEqual([true, false]);
    expect(predictor.loaded()).toEqual(['TEST:7:v2']);
    predictor.dispose();
  });

  it('answers a damaged or missing artifact with a JSON 503 naming the model and the fix, says so in /v1/health, and serves it once repaired', async () => {
    const { post, predictor, app } = setup(150);
    const latest = newestModel(await store.listModels(), 'TEST', 7)!;
    const key = `artifact:TEST:7:${latest.version}:group1-shard1of1.bin`;
    const good = kv.data.get(key)!;
    const bad = good.slice();
    bad[0] = bad[0]! ^ 1;
    type Health = { status: string; models: { ok: boolean; loaded: string[]; failed: Array<{ model: string; message: string }> } };
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      kv.data.set(key, bad);
      const damaged = await post({ symbol: 'TEST', horizonDays: 7, candles });
      expect(damaged.status).toBe(503);
      expect(damaged.headers.get('retry-after')).toBe('1');
      const { error } = (await damaged.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('model_unavailable');
      expect(error.message).toMatch(new RegExp(`^Model TEST 7d ${latest.version} cannot be loaded: Artifact file group1-shard1of1.bin has sha256 .* Re-publish its artifact files .* or retrain it`));
      expect(predictor.loaded()).toEqual([]);
      const health = await app.request('/v1/health');
      expect(health.status).toBe(503); // the server cannot do its job: a load balancer sees it
      expect(await health.json()).toMatchObject({ status: 'degraded', models: { ok: false, failed: [{ model: `TEST:7:${latest.version}`, message: error.message }] } });

      await wait(150);
      kv.data.delete(key); // now missing: tried again once the failure's retry time passed
      const missing = (await (await post({ symbol: 'TEST', horizonDays: 7, candles })).json()) as { error: { code: string; message: string } };
      expect(missing.error).toMatchObject({ code: 'model_unavailable', message: expect.stringMatching(/group1-shard1of1\.bin is missing/) });
    } finally {
      kv.data.set(key, good);
    }
    await wait(150);
    const repaired = await app.request('/v1/health'); // health tries a failed model again once its retry time passed
    expect(repaired.status).toBe(200);
    expect(((await repaired.json()) as Health).models).toEqual({ ok: true, loaded: [`TEST:7:${latest.version}`], failed: [] });
    expect((await post({ symbol: 'TEST', horizonDays: 7, candles })).status).toBe(200);
    predictor.dispose();
  });

  it('refuses an artifact whose metadata.json was edited after registration (the temperature), naming the model and the fix', async () => {
    const logged: unknown[] = [];
    const predictor = createFusedPredictor({ findModel: async (symbol, h) => newestModel(await store.listModels(), symbol, h), artifacts: store, createEngine: (config) => loadFusedLstm(config, 1) });
    const app = createApp({ store, cache: new MemoryCache(), predictor, config: { rateLimit: null }, logError: (e) => logged.push(e) });
    const latest = newestModel(await store.listModels(), 'TEST', 7)!;
    const key = `artifact:TEST:7:${latest.version}:${ARTIFACT_FILES.metadata}`;
    const good = kv.data.get(key)!;
    const edited = JSON.parse(new TextDecoder().decode(good)) as { temperature: number };
    edited.temperature = 0.05; // sharper probabilities: the confidence an attacker wants shown
    kv.data.set(key, new TextEncoder().encode(JSON.stringify(edited, null, 2)));
    try {
      const res = await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'TEST', horizonDays: 7, candles }) });
      expect(res.status).toBe(503); // never a prediction from the edited file: model_unavailable, as for any broken artifact
      expect(predictor.loaded()).toEqual([]);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('model_unavailable');
      expect(logged).toEqual([expect.stringMatching(/^model_unavailable on POST \/v1\/predict: /)]); // one line for the operator
      const message = error.message;
      expect(message).toContain(`TEST 7d ${latest.version}`);
      expect(message).toMatch(/metadata\.json .* has sha256 [0-9a-f]{64} but the registry records [0-9a-f]{64}/);
      expect(message).toMatch(/temperature \(registered [\d.]+, now 0\.05\)/);
      expect(message).toMatch(/re-publish/);
    } finally {
      kv.data.set(key, good);
      predictor.dispose();
    }
  });

  it('answers 404 without a model and 400 for too short a window', async () => {
    const { post, predictor } = setup();
    const none = await post({ symbol: 'DOGE', horizonDays: 7, candles });
    expect(none.status).toBe(404);
    const short = await post({ symbol: 'TEST', horizonDays: 7, candles: candles.slice(0, 20) });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { message: string } }).error.message).toMatch(/Not enough history for TEST: 20 days available/);
    predictor.dispose();
  });

  it('keeps served-model lookups and market candles for the TTL, one read in flight per key, and forgets failures', async () => {
    let clock = 0;
    const calls = { find: 0, market: 0 };
    const reads = cacheStoreReads({
      findModel: async (symbol, h) => (calls.find++, newestModel(await store.listModels(), symbol, h)),
      marketCandles: async (toMs) => {
        calls.market++;
        if (toMs < 0) throw new Error('store unreachable');
        return candles.filter((k) => k.openTimeMs <= toMs);
      },
    }, 1000, () => clock);
    const [a, b] = await Promise.all([reads.findModel('TEST', 7), reads.findModel('TEST', 7)]);
    expect(a?.symbol).toBe('TEST');
    expect(b).toBe(a);
    expect(await reads.findModel('NONE', 7)).toBeNull();
    expect(calls.find).toBe(2); // one per key
    clock = 999;
    await reads.findModel('TEST', 7);
    expect(calls.find).toBe(2);
    clock = 1000; // expired: a promotion elsewhere is seen now
    await reads.findModel('TEST', 7);
    expect(calls.find).toBe(3);
    const last = candles.at(-1)!.openTimeMs;
    expect(await reads.marketCandles!(last)).toHaveLength(candles.length);
    await reads.marketCandles!(last);
    expect(calls.market).toBe(1);
    await expect(reads.marketCandles!(-1)).rejects.toThrow('store unreachable');
    await expect(reads.marketCandles!(-1)).rejects.toThrow('store unreachable');
    expect(calls.market).toBe(3); // a failure is not kept
  });
});
