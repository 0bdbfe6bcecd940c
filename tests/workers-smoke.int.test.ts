// The Worker entry in the real Workers runtime (workerd through Miniflare, as `wrangler dev` runs it) with
// local KV and the Cache API: bundle with `wrangler deploy --dry-run`, then publish, read, 304, auth failure,
// cache purge on publish and the cron handler; then `publish --edge` of a real tiny artifact (registry, files,
// candles, batch) after which the Worker serves them and POST /v1/predict runs the fused engine at the edge with
// tfjs's probabilities.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCache } from '@coinsphere/serving';
import { openDatabase, registerModel, upsertCandles, type Database } from '@coinsphere/data';
import { ARTIFACT_FILES, artifactDigest, buildModel, DEFAULT_TRAINING_CONFIG, loadArtifact, makeSyntheticCandles, metadataFromDataset, predictWithTfjs, prepareDataset, saveArtifact, type ModelConfig } from '@coinsphere/model';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleStore } from '@coinsphere/serving/node';
import { EDGE_CANDLE_DAYS, servedPredictions, publishBatch, publishJob } from '../apps/trainer/src/jobs/publish-job.ts';

const TOKEN = 'edge-token-0123456789abcdef';
let mf: Miniflare;
let outDir: string;

function prediction(asOf: string, cls: 'bearish' | 'neutral' | 'bullish') {
  return { symbol: 'BTC', horizonDays: 7, asOf, class: cls, probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5, modelVersion: 'v1', placeholders: [], signal: 'clear', band: null, createdAt: `${asOf}T01:00:00.000Z` };
}

const publish = (body: unknown, token = TOKEN) =>
  mf.dispatchFetch('http://localhost/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cs-worker-'));
  // The same offline bundling as a deploy, no login needed.
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outDir], { cwd: join(import.meta.dirname, '..'), stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(outDir, 'worker.js'),
    modulesRoot: outDir,
    compatibilityDate: '2025-04-01',
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }], // as wrangler bundles the engine's .wasm
    kvNamespaces: ['PREDICTIONS'],
    // As [[ratelimits]] in wrangler.toml, with a small predict limit so the test can reach it.
    ratelimits: { RATE_LIMIT_READ: { simple: { limit: 1000, period: 60 } }, RATE_LIMIT_PREDICT: { simple: { limit: 10, period: 60 } } },
    bindings: { COINSPHERE_API_TOKEN: TOKEN, CACHE_MAX_AGE_SECONDS: '60' },
  });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(outDir, { recursive: true, force: true });
});

describe('the Worker in workerd', () => {
  it('bundles offline: the engine .wasm beside the script, and no tfjs', () => {
    const script = statSync(join(outDir, 'worker.js')).size;
    expect(script).toBeGreaterThan(10_000);
    expect(script).toBeLessThan(900 * 1024); // tfjs alone would add ~1 MB
    expect(readdirSync(outDir).filter((f) => f.endsWith('.wasm')).map((f) => statSync(join(outDir, f)).size)).toEqual([expect.any(Number)]);
    expect(readFileSync(join(outDir, 'worker.js'), 'utf8')).not.toMatch(/tensorflow|tfjs-core|registerKernel/);
  });

  it('limits POST /v1/predict per client through the rate-limiting binding, answering 429 as JSON', async () => {
    const ask = (ip: string) =>
      mf.dispatchFetch('http://localhost/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: '{}' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await ask('198.51.100.7')).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true); // within the limit: the body is validated
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await ask('198.51.100.7');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await ask('198.51.100.8')).status).toBe(400); // another client has its own count
  });

  it('refuses a publish with a wrong token and stores nothing', async () => {
    const res = await publish({ predictions: [prediction('2024-05-01', 'bullish')] }, 'wrong-token-0123456789abcdef');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await mf.dispatchFetch('http://localhost/v1/predictions/BTC')).status).toBe(404);
  });

  it('publishes to KV, reads through the Cache API, answers 304, and sees the next publish at once', async () => {
    const first = await publish({ predictions: [prediction('2024-05-01', 'bullish')] });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { changedKeys: string[] }).changedKeys).toEqual(['cs:v1:pred:BTC:7']);
    const kv = (await mf.getKVNamespace('PREDICTIONS')) as unknown as { get(key: string): Promise<string | null> };
    expect(JSON.parse((await kv.get('db:latest:BTC:7')) ?? 'null')).toMatchObject({ asOf: '2024-05-01' });

    const read = await mf.dispatchFetch('http://localhost/v1/predictions/BTC?horizon=7');
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ symbol: 'BTC', asOf: '2024-05-01', class: 'bullish', stale: true, staleReasons: ['data_old'] }); // 2024 is old now
    const etag = read.headers.get('etag')!;
    const cached = await mf.dispatchFetch('http://localhost/v1/predictions/btc');
    expect(cached.headers.get('x-edge-cache')).toBe('hit');
    await cached.arrayBuffer();
    const notModified = await mf.dispatchFetch('http://localhost/v1/predictions/BTC', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);

    await publish({ predictions: [prediction('2024-05-02', 'bearish')] });
    const after = await mf.dispatchFetch('http://localhost/v1/predictions/BTC');
    expect(await after.json()).toMatchObject({ asOf: '2024-05-02', class: 'bearish' });
    const history = (await (await mf.dispatchFetch('http://localhost/v1/predictions/BTC/history?from=2024-05-01&to=2024-05-31')).json()) as { predictions: Array<{ asOf: string }> };
    expect(history.predictions.map((p) => p.asOf)).toEqual(['2024-05-01', '2024-05-02']);
  });

  it("judges a published model's age and expiry when it serves, by the Worker's own clock (#16)", async () => {
    const DAY = 86_400_000;
    const trainedAt = Date.now() - 200 * DAY - 3_600_000; // 200 days and an hour ago
    const expiresAt = new Date(trainedAt + 90 * DAY).toISOString();
    const monitoring = { outOfDistribution: null, modelAgeDays: 1, expiryDays: 90, expiresAt, expired: false }; // as published the day after training
    expect((await publish({ predictions: [{ ...prediction('2024-04-01', 'neutral'), symbol: 'AGE', monitoring }] })).status).toBe(200);
    for (const pass of ['validated route', 'edge cache']) {
      const served = (await (await mf.dispatchFetch('http://localhost/v1/predictions/AGE?horizon=7')).json()) as { monitoring: unknown };
      expect(served.monitoring, pass).toEqual({ outOfDistribution: null, modelAgeDays: 200, expiryDays: 90, expiresAt, expired: true });
    }
  });

  it('answers health and openapi, and runs the cron refresh', async () => {
    const health = (await (await mf.dispatchFetch('http://localhost/v1/health')).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ store: { kind: 'kv', ok: true }, cache: { backend: 'kv', ok: true }, newestPredictionAt: '2024-05-02T01:00:00.000Z' });
    expect(((await (await mf.dispatchFetch('http://localhost/openapi.json')).json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const worker = (await mf.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> };
    const result = await worker.scheduled({ cron: '*/15 * * * *' });
    expect(result.outcome).toBe('ok');
  });
});

describe('publish --edge, then the Worker serves the registry, artifacts and candles and predicts with the fused engine', () => {
  const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
  const candles = makeSyntheticCandles(900, 6); // more than EDGE_CANDLE_DAYS: the push keeps the newest
  let dir: string;
  let db: Database;
  let location: string;
  let edgeUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-edge-'));
    db = await openDatabase(join(dir, 'db'));
    await upsertCandles(db, candles.map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));
    const ds = prepareDataset(candles, { horizonDays: 7, windowBars: TINY.windowBars });
    const model = buildModel(TINY, 5);
    const metadata = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: 'v-edge', dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, temperature: 1.3 });
    location = join(dir, 'artifacts', 'TEST', '7d', 'v-edge');
    mkdirSync(location, { recursive: true });
    const saved = await saveArtifact(model, metadata, async (name, data) => writeFileSync(join(location, name), data));
    model.dispose();
    const digest = await artifactDigest(readFileSync(join(location, ARTIFACT_FILES.metadata)));
    await registerModel(db.orm, { symbol: 'TEST', horizonDays: 7, version: 'v-edge', location: 'TEST/7d/v-edge', digest, metrics: { accuracy: 0.5 }, metadata: saved as unknown as Record<string, unknown> });
    edgeUrl = (await mf.ready).toString();
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown) => mf.dispatchFetch('http://localhost/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.50' }, body: JSON.stringify(body) });

  it('refuses admin writes without the token and a registry entry whose files are missing', async () => {
    const put = await mf.dispatchFetch('http://localhost/v1/admin/candles/TEST', { method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-0123456789abcdef' }, body: JSON.stringify({ candles: [] }) });
    expect(put.status).toBe(401);
    const register = await mf.dispatchFetch('http://localhost/v1/admin/models', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ symbol: 'TEST', horizonDays: 7, version: 'v-none', metrics: {}, metadata: {}, digest: '0'.repeat(64), createdAt: '2024-01-01T00:00:00.000Z' }) });
    expect(register.status).toBe(400);
    expect(((await register.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_artifact', message: expect.stringMatching(/metadata\.json is missing/) });
    expect((await mf.dispatchFetch('http://localhost/v1/models/TEST/7/latest/metadata.json')).status).toBe(404);
  });

  it('pushes models, candles and predictions; the Worker then answers them and predicts like tfjs', async () => {
    const batch = await servedPredictions(join(dir, 'artifacts'))(db, {});
    const result = await publishBatch(db, batch, new MemoryCache(), { url: edgeUrl, token: TOKEN, root: join(dir, 'artifacts') });
    expect(result.edge).toMatchObject({ models: ['TEST/7/v-edge'], candles: { TEST: EDGE_CANDLE_DAYS }, changedKeys: ['cs:v1:pred:TEST:7'] });

    const models = (await (await mf.dispatchFetch('http://localhost/v1/models')).json()) as { models: Array<{ symbol: string; version: string; metrics: unknown }> };
    expect(models.models.filter((m) => m.symbol === 'TEST')).toEqual([expect.objectContaining({ version: 'v-edge', metrics: { accuracy: 0.5 } })]);
    const meta = await mf.dispatchFetch('http://localhost/v1/models/TEST/7/latest/metadata.json');
    expect(meta.status).toBe(200);
    expect(await meta.text()).toBe(readFileSync(join(location, 'metadata.json'), 'utf8'));
    const weights = await mf.dispatchFetch('http://localhost/v1/models/TEST/7/latest/group1-shard1of1.bin');
    expect(new Uint8Array(await weights.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(location, 'group1-shard1of1.bin'))));

    const recent = candles.slice(-EDGE_CANDLE_DAYS);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const served = (await (await mf.dispatchFetch(`http://localhost/v1/candles/TEST?from=2000-01-01&to=${day(recent.at(-1)!.openTimeMs)}`)).json()) as { candles: Array<{ openTimeMs: number; close: number }> };
    expect(served.candles.map((k) => k.openTimeMs)).toEqual(recent.map((k) => k.openTimeMs));
    expect(served.candles.at(-1)!.close).toBe(recent.at(-1)!.close);
    const assets = (await (await mf.dispatchFetch('http://localhost/v1/assets')).json()) as { assets: Array<{ symbol: string; firstDay: string | null; horizons: number[] }> };
    expect(assets.assets.find((a) => a.symbol === 'TEST')).toMatchObject({ firstDay: day(recent[0]!.openTimeMs), horizons: [7] });
    expect(await (await mf.dispatchFetch('http://localhost/v1/predictions/TEST')).json()).toMatchObject({ modelVersion: 'v-edge', asOf: batch[0]!.asOf });

    const artifact = await loadArtifact((name) => Promise.resolve(new Uint8Array(readFileSync(join(location, name)))));
    try {
      for (const window of [candles, candles.slice(0, 400)]) {
        const res = await post({ symbol: 'TEST', horizonDays: 7, candles: window });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { class: string; probabilities: Record<string, number>; modelVersion: string };
        const expected = await predictWithTfjs(artifact, 'TEST', { candles: window });
        for (const k of ['bearish', 'neutral', 'bullish'] as const) expect(Math.abs(body.probabilities[k]! - expected.probabilities[k])).toBeLessThan(1e-5);
        expect(body).toMatchObject({ class: expected.class, modelVersion: 'v-edge', asOf: expected.asOf, stale: true, staleReasons: ['data_old'] });
      }
    } finally {
      artifact.models.forEach((m) => m.dispose());
    }
    expect((await post({ symbol: 'DOGE', horizonDays: 7, candles })).status).toBe(404);
    expect((await post({ symbol: 'TEST', horizonDays: 7, candles: candles.slice(0, 15) })).status).toBe(400);

    const again = await publishBatch(db, batch, new MemoryCache(), { url: edgeUrl, token: TOKEN, root: join(dir, 'artifacts') });
    expect(again.edge?.models).toEqual([]); // the edge already has this version: no upload
  });

  it('publish --edge pushes the live track record and the monitoring summaries, and the Worker answers them as the database holds them', async () => {
    const { result } = await publishJob(db, { filter: {}, redisUrl: undefined, edge: { url: edgeUrl, token: TOKEN, root: join(dir, 'artifacts') } }, servedPredictions(join(dir, 'artifacts')));
    expect(result.edge?.trackRecord).toEqual(['TEST']);
    const res = await mf.dispatchFetch('http://localhost/v1/track-record/TEST?horizon=7');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; records: unknown[] };
    expect(body).toMatchObject({ symbol: 'TEST', horizonDays: 7, kind: 'live' });
    expect(body.records).toEqual(await new DrizzleStore(db).trackRecord('TEST', 7));
    // and the monitoring summary publish stored (#16): the Worker answers what the Node store holds
    expect(result.edge?.monitoring).toEqual(['TEST']);
    const monitoring = await mf.dispatchFetch('http://localhost/v1/monitoring/TEST?horizon=7');
    expect(monitoring.status).toBe(200);
    expect(await monitoring.json()).toEqual(await new DrizzleStore(db).monitoringSummary('TEST', 7));
  });
});
