// Every route and error path of the app through app.request(), without a server, over a real PGlite store,
// the real LRU cache and real artifact files in a temp folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, registerModel, upsertCandles, type Database } from '@coinsphere/data';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from './app.ts';
import { MemoryCache, predictionKey } from '@coinsphere/serving';
import { PREDICT_MAX_BODY_BYTES, type Prediction, type PredictRequest } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { DEFAULT_API_CONFIG } from './config.ts';
import { artifactDigest, type ModelPrediction } from '@coinsphere/model/core';
import { FsArtifacts } from './node/fs-artifacts.ts';

const TOKEN = 'test-token-0123456789';
const METADATA_JSON = '{ "thresholds": { "lower": -0.02, "upper": 0.02 } }\n';
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function prediction(symbol: string, asOf: string, cls: Prediction['class'], extra: Partial<Prediction> = {}): Prediction {
  const probabilities = { bearish: 0.2, neutral: 0.3, bullish: 0.5 };
  if (cls === 'bearish') Object.assign(probabilities, { bearish: 0.6, bullish: 0.1 });
  return { symbol, horizonDays: 7, asOf, class: cls, probabilities, confidence: Math.max(...Object.values(probabilities)), modelVersion: 'v1', placeholders: ['sentiment_score'], signal: 'clear', band: null, createdAt: new Date(T0).toISOString(), ...extra };
}

/** What a predictor returns for `req`, with the given call (a stand-in for the model's numbers, not for our code). */
function answer(req: PredictRequest, call: Pick<ModelPrediction, 'class' | 'probabilities' | 'confidence'>): ModelPrediction {
  const close = req.candles.at(-1)!.close;
  return {
    symbol: req.symbol, horizonDays: req.horizonDays, asOf: new Date(req.candles.at(-1)!.openTimeMs).toISOString().slice(0, 10), ...call, signal: 'clear', modelVersion: 'v1', placeholders: [],
    band: { lowerReturn: -0.05, upperReturn: 0.05, lowerPrice: close * 0.95, upperPrice: close * 1.05, closeAtAsOf: close },
    monitoring: { outOfDistribution: null, modelAgeDays: 1, expiryDays: 90, expiresAt: new Date(T0 + 90 * 86_400_000).toISOString(), expired: false },
  };
}

let dir: string;
let db: Database;
let deps: AppDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-'));
  db = await openDatabase(join(dir, 'db'));
  // 40 daily BTC candles rising 1% a day; ETH exists with candles but no model.
  const rows = (symbol: string, base: number) =>
    Array.from({ length: 40 }, (_, i) => ({ symbol, interval: '1d' as const, source: 'test', openTimeMs: T0 + i * DAY, open: null, high: null, low: null, close: base * 1.01 ** i, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null }));
  await upsertCandles(db, [...rows('BTC', 100), ...rows('ETH', 10)]);
  const location = join(dir, 'artifacts', 'BTC', '7d', 'v1');
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, 'model.json'), JSON.stringify({ format: 'layers-model' }));
  writeFileSync(join(location, 'weights.bin'), new Uint8Array([1, 2, 3, 4]));
  writeFileSync(join(location, 'metadata.json'), METADATA_JSON);
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'BTC/7d/v1', digest: await artifactDigest(METADATA_JSON), metrics: { accuracy: 0.4 }, metadata: { thresholds: { lower: -0.02, upper: 0.02 } } });
  deps = { store: new DrizzleStore(db), cache: new MemoryCache(), artifacts: new FsArtifacts(join(dir, 'artifacts')), config: { apiToken: TOKEN, corsOrigins: ['https://dash.example'], rateLimit: null }, logError: () => {} };
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const publish = (app: ReturnType<typeof createApp>, body: unknown, token: string | null = TOKEN) =>
  app.request('/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('publish and read predictions', () => {
  it('publishes a batch, then serves the latest with ETag, 304 and placeholders', async () => {
    const app = createApp(deps);
    const res = await publish(app, { predictions: [prediction('BTC', '2024-01-10', 'bullish'), prediction('BTC', '2024-01-20', 'bearish'), prediction('ETH', '2024-01-20', 'bullish')] });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { written: number; changedKeys: string[] };
    expect(out.written).toBe(3);
    expect(out.changedKeys.sort()).toEqual([predictionKey('BTC', 7), predictionKey('ETH', 7)]);

    const read = await app.request('/v1/predictions/btc?horizon=7');
    expect(read.status).toBe(200);
    const body = (await read.json()) as Prediction & { stale: boolean };
    // 2024's data are old at today's clock: the prediction says so (see 'data freshness' below for a fresh one)
    expect(body).toMatchObject({ symbol: 'BTC', asOf: '2024-01-20', class: 'bearish', stale: true, staleReasons: ['data_old'], placeholders: ['sentiment_score'] });
    expect(read.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = read.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await app.request('/v1/predictions/BTC', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('republishing an unchanged batch changes no keys, and an older as-of day leaves the latest alone', async () => {
    const app = createApp(deps);
    const res = await publish(app, { predictions: [prediction('BTC', '2024-01-20', 'bearish'), prediction('BTC', '2024-01-05', 'neutral')] });
    expect(((await res.json()) as { changedKeys: string[] }).changedKeys).toEqual([]);
  });

  it('reads several symbols at once and lists the missing ones', async () => {
    const res = await createApp(deps).request('/v1/predictions?symbols=BTC,eth,DOGE&horizon=7');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: Prediction[]; missing: string[] };
    expect(body.predictions.map((p) => p.symbol)).toEqual(['BTC', 'ETH']);
    expect(body.missing).toEqual(['DOGE']);
  });

  it('serves history with the realised outcome once the horizon has passed', async () => {
    const res = await createApp(deps).request('/v1/predictions/BTC/history?horizon=7&from=2024-01-01&to=2024-12-31');
    expect(res.status).toBe(200);
    const { predictions } = (await res.json()) as { predictions: Array<Prediction & { outcome: { returnPct: number; class: string; correct: boolean; endDay: string } | null }> };
    expect(predictions.map((p) => p.asOf)).toEqual(['2024-01-05', '2024-01-10', '2024-01-20']);
    const first = predictions[0]!;
    expect(first.outcome?.endDay).toBe('2024-01-12');
    expect(first.outcome?.returnPct).toBeCloseTo((1.01 ** 7 - 1) * 100, 6); // candles rise 1% a day
    expect(first.outcome?.class).toBe('bullish');
    expect(first.outcome?.correct).toBe(false); // it predicted neutral
    expect(predictions[1]!.outcome?.correct).toBe(true);
  });

  it('answers 404 for unknown symbols and 400 for bad parameters', async () => {
    const app = createApp(deps);
    const cases: Array<[string, number, string]> = [
      ['/v1/predictions/DOGE', 404, 'not_found'],
      ['/v1/predictions/BTC?horizon=14', 404, 'not_found'],
      ['/v1/predictions/BTC?horizon=abc', 400, 'invalid_request'],
      ['/v1/predictions/BTC?horizon=0', 400, 'invalid_request'],
      ['/v1/predictions/BT$C', 400, 'invalid_request'],
      ['/v1/predictions?symbols=', 400, 'invalid_request'],
      ['/v1/predictions/DOGE/history', 404, 'not_found'],
      ['/v1/predictions/BTC/history?from=2024-02-01&to=2024-01-01', 400, 'invalid_request'],
      ['/v1/predictions/BTC/history?from=2024-13-45', 400, 'invalid_request'],
      ['/v1/nothing-here', 404, 'not_found'],
    ];
    for (const [url, status, code] of cases) {
      const res = await app.request(url);
      expect([url, res.status]).toEqual([url, status]);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe('data freshness, judged when served by the server clock', () => {
  const asOf = '2024-05-01';
  let now = Date.parse('2024-05-02T10:00:00Z');
  const served = async (res: Response) => ({ status: res.status, etag: res.headers.get('etag'), body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null });

  it('marks a prediction stale once its data are more than 2 days old, on the fast path and the validated route, with an ETag of its own', async () => {
    const cached = createApp({ ...deps, cache: new MemoryCache(), nowMs: () => now });
    const revalidating = createApp({ ...deps, cache: new MemoryCache(), nowMs: () => now, config: { ...deps.config, cacheFreshSeconds: 0 } });
    await publish(cached, { predictions: [prediction('SOL', asOf, 'bullish')] });
    for (const app of [cached, revalidating]) {
      now = Date.parse('2024-05-03T23:00:00Z'); // two days: still fresh
      const fresh = await served(await app.request('/v1/predictions/SOL'));
      expect(fresh.body).toMatchObject({ symbol: 'SOL', asOf, stale: false, staleReasons: [] });
      expect((await app.request('/v1/predictions/SOL', { headers: { 'if-none-match': fresh.etag! } })).status).toBe(304);
      now = Date.parse('2024-05-04T00:30:00Z'); // three days
      const old = await served(await app.request('/v1/predictions/SOL', { headers: { 'if-none-match': fresh.etag! } }));
      expect(old.status).toBe(200); // not 304: what the client holds says fresh
      expect(old.body).toMatchObject({ asOf, stale: true, staleReasons: ['data_old'] });
      expect(old.etag).not.toBe(fresh.etag);
      const many = (await (await app.request('/v1/predictions?symbols=SOL')).json()) as { predictions: Array<{ stale: boolean }> };
      expect(many.predictions.map((p) => p.stale)).toEqual([true]);
    }
  });

  it('says the same in the history and in POST /v1/predict, for the day of the data they rest on', async () => {
    now = Date.parse('2024-05-02T10:00:00Z');
    const app = createApp({ ...deps, nowMs: () => now, predictor: async (req) => answer(req, { class: 'neutral', probabilities: { bearish: 0.2, neutral: 0.6, bullish: 0.2 }, confidence: 0.6 }) });
    const history = (await (await app.request('/v1/predictions/SOL/history?from=2024-04-01&to=2024-05-02')).json()) as { predictions: Array<Record<string, unknown>> };
    expect(history.predictions).toEqual([expect.objectContaining({ asOf, stale: false, staleReasons: [] })]);
    const candles = Array.from({ length: 3 }, (_, i) => ({ openTimeMs: Date.parse('2024-04-29T00:00:00Z') + i * DAY, open: 1, high: 1, low: 1, close: 1, baseVolume: 1, quoteVolumeUsd: 1, marketCapUsd: null }));
    const predict = async () => (await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'SOL', horizonDays: 7, candles }) })).json();
    expect(await predict()).toMatchObject({ asOf: '2024-05-01', stale: false, staleReasons: [] });
    now = Date.parse('2024-06-01T00:00:00Z');
    expect(await predict()).toMatchObject({ asOf: '2024-05-01', stale: true, staleReasons: ['data_old'] });
    const later = (await (await app.request('/v1/predictions/SOL/history?from=2024-04-01&to=2024-05-02')).json()) as { predictions: Array<Record<string, unknown>> };
    expect(later.predictions).toEqual([expect.objectContaining({ stale: true, staleReasons: ['data_old'] })]);
  });
});

describe("model age and expiry, judged when served by the server clock (#16)", () => {
  const trainedAt = Date.parse('2024-03-01T06:00:00Z');
  const publishedAt = Date.parse('2024-03-11T08:00:00Z'); // 10 days after training
  const monitoring = { outOfDistribution: { flag: false, distance: 1.1, threshold: 2.4 }, modelAgeDays: 10, expiryDays: 90, expiresAt: new Date(trainedAt + 90 * DAY).toISOString(), expired: false };
  const aged = (days: number, expired: boolean, expiryDays = 90) => ({ ...monitoring, modelAgeDays: days, expiryDays, expiresAt: new Date(trainedAt + expiryDays * DAY).toISOString(), expired });

  it('a prediction published fresh says expired once its model passes its expiry, on the fast path, the validated route, several and history', async () => {
    let now = publishedAt;
    const cached = createApp({ ...deps, cache: new MemoryCache(), nowMs: () => now });
    const revalidating = createApp({ ...deps, cache: new MemoryCache(), nowMs: () => now, config: { ...deps.config, cacheFreshSeconds: 0 } });
    await publish(cached, { predictions: [prediction('ADA', '2024-03-10', 'bullish', { monitoring })] });
    for (const app of [cached, revalidating]) {
      now = publishedAt;
      const fresh = await app.request('/v1/predictions/ADA');
      expect(((await fresh.json()) as Prediction).monitoring).toEqual(monitoring);
      now = trainedAt + 89 * DAY + 12 * 3_600_000; // the last day before expiry, noon (expiry is at 06:00 on day 90)
      expect(((await (await app.request('/v1/predictions/ADA')).json()) as Prediction).monitoring).toEqual(aged(89, false));
      now = trainedAt + 200 * DAY;
      const old = await app.request('/v1/predictions/ADA', { headers: { 'if-none-match': fresh.headers.get('etag')! } });
      expect(old.status).toBe(200); // not 304: what the client holds says the model is fresh
      expect(((await old.json()) as Prediction).monitoring).toEqual(aged(200, true));
      expect(old.headers.get('etag')).not.toBe(fresh.headers.get('etag'));
      const many = (await (await app.request('/v1/predictions?symbols=ADA')).json()) as { predictions: Prediction[] };
      expect(many.predictions.map((p) => p.monitoring)).toEqual([aged(200, true)]);
      const history = (await (await app.request('/v1/predictions/ADA/history?from=2024-03-01&to=2024-03-20')).json()) as { predictions: Prediction[] };
      expect(history.predictions.map((p) => p.monitoring)).toEqual([aged(200, true)]);
    }
  });

  it("judges expiry by the server's MODEL_EXPIRY_DAYS, not the one in force at publish", async () => {
    const now = trainedAt + 200 * DAY;
    const lenient = createApp({ ...deps, cache: new MemoryCache(), nowMs: () => now, config: { ...deps.config, modelExpiryDays: 365 } });
    await publish(lenient, { predictions: [prediction('XRP', '2024-03-10', 'bullish', { monitoring })] });
    for (const pass of ['validated route', 'cached fast path']) { // the second answer comes from the fresh cache
      const body = (await (await lenient.request('/v1/predictions/XRP')).json()) as Prediction;
      expect(body.monitoring, pass).toEqual(aged(200, false, 365));
    }
  });
});

describe('writes need the bearer token', () => {
  it('refuses a wrong or missing token with 401 and writes disabled without a configured token', async () => {
    const batch = { predictions: [prediction('BTC', '2024-02-01', 'bullish')] };
    const app = createApp(deps);
    expect((await publish(app, batch, 'wrong-token-0123456789')).status).toBe(401);
    expect((await publish(app, batch, null)).status).toBe(401);
    const closed = createApp({ ...deps, config: { ...deps.config, apiToken: null } });
    const res = await publish(closed, batch);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('writes_disabled');
    expect((await app.request('/v1/predictions/BTC/history?from=2024-02-01&to=2024-02-01')).status).toBe(200);
    const hist = (await (await app.request('/v1/predictions/BTC/history?from=2024-02-01&to=2024-02-01')).json()) as { predictions: unknown[] };
    expect(hist.predictions).toHaveLength(0); // nothing was written
  });

  it('refuses an invalid batch whole with 400 and a too-large body with 413', async () => {
    const app = createApp(deps);
    const bad = await publish(app, { predictions: [prediction('BTC', '2024-02-02', 'bullish'), { ...prediction('ETH', '2024-02-02', 'bullish'), confidence: 2 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('confidence');
    const notJson = await app.request('/v1/predictions', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    const big = await publish(app, { predictions: [prediction('BTC', '2024-02-03', 'bullish')], pad: 'x'.repeat(3 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const hist = (await (await app.request('/v1/predictions/BTC/history?from=2024-02-02&to=2024-02-03')).json()) as { predictions: unknown[] };
    expect(hist.predictions).toHaveLength(0);
  });
});

describe('assets, candles, models, health, openapi', () => {
  it('lists assets with ranges and horizons', async () => {
    const res = await createApp(deps).request('/v1/assets');
    const { assets } = (await res.json()) as { assets: Array<{ symbol: string; firstDay: string; lastDay: string; horizons: number[] }> };
    expect(assets).toEqual([
      { symbol: 'BTC', firstDay: '2024-01-01', lastDay: '2024-02-09', horizons: [7] },
      { symbol: 'ETH', firstDay: '2024-01-01', lastDay: '2024-02-09', horizons: [] },
    ]);
  });

  it('serves daily candles in a range, 404 for an unknown symbol, 304 on a matching ETag', async () => {
    const app = createApp(deps);
    const res = await app.request('/v1/candles/ETH?from=2024-01-03&to=2024-01-05');
    expect(res.status).toBe(200);
    const { candles } = (await res.json()) as { candles: Array<{ openTimeMs: number; close: number }> };
    expect(candles.map((k) => k.openTimeMs)).toEqual([2, 3, 4].map((i) => T0 + i * DAY));
    expect((await app.request('/v1/candles/ETH?from=2024-01-03&to=2024-01-05', { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
    expect((await app.request('/v1/candles/DOGE')).status).toBe(404);
    expect((await app.request('/v1/candles/ETH?from=2024-02-01&to=2024-01-01')).status).toBe(400);
  });

  it('lists models and serves their artifact files, refusing traversal', async () => {
    const app = createApp(deps);
    const { models } = (await (await app.request('/v1/models')).json()) as { models: Array<{ symbol: string; version: string; files: string }> };
    expect(models).toEqual([expect.objectContaining({ symbol: 'BTC', version: 'v1', files: '/v1/models/BTC/7/latest/' })]);
    const json = await app.request('/v1/models/BTC/7/latest/model.json');
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ format: 'layers-model' });
    const bin = await app.request('/v1/models/BTC/7/latest/weights.bin');
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect((await app.request('/v1/models/BTC/7/latest/nope.json')).status).toBe(404);
    expect((await app.request('/v1/models/BTC/30/latest/model.json')).status).toBe(404);
    expect((await app.request('/v1/models/BTC/7/latest/..%2F..%2Fdb')).status).toBe(400);
    const meta = await app.request('/v1/models/BTC/7/latest/metadata.json');
    expect(meta.headers.get('x-artifact-digest')).toBe(await artifactDigest(METADATA_JSON)); // what the browser checks it by
  });

  it('reports health with counts', async () => {
    const body = (await (await createApp(deps).request('/v1/health')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', store: { kind: 'pglite', ok: true }, cache: { backend: 'memory', ok: true }, modelCount: 1 });
    expect(body.newestPredictionAt).toBe(new Date(T0).toISOString());
  });

  it('publishes a valid OpenAPI 3 document covering every route', async () => {
    const doc = (await (await createApp(deps).request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    type Schema = { properties?: Record<string, unknown>; allOf?: Array<{ $ref?: string } & Schema> };
    const schemas = (doc as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
    const fields = (s: Schema): string[] => [...Object.keys(s.properties ?? {}), ...(s.allOf ?? []).flatMap((p) => fields(p.$ref ? schemas[p.$ref.split('/').at(-1)!]! : p))];
    for (const name of ['ServedPrediction', 'PredictResult']) expect(fields(schemas[name]!)).toEqual(expect.arrayContaining(['asOf', 'stale', 'staleReasons']));
    expect(fields(schemas.ServedPrediction!)).toContain('attributions'); // "why this call" (#18)
    const why = (schemas.Prediction!.properties!.attributions ?? {}) as Schema;
    expect(Object.keys(why.properties ?? {})).toEqual(expect.arrayContaining(['class', 'baseline', 'completenessGap', 'features']));
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/v1/assets', '/v1/candles/{symbol}', '/v1/evaluations/{symbol}/{horizon}/latest', '/v1/health', '/v1/models', '/v1/models/{symbol}/{horizon}/decisions', '/v1/models/{symbol}/{horizon}/latest/{file}', '/v1/monitoring/{symbol}', '/v1/overview', '/v1/predict', '/v1/predictions', '/v1/predictions/{symbol}', '/v1/predictions/{symbol}/history', '/v1/risk/{symbol}', '/v1/track-record/{symbol}'].sort(),
    );
  });
});

describe('predict, limits, CORS and errors', () => {
  const candles = Array.from({ length: 30 }, (_, i) => ({ openTimeMs: T0 + i * DAY, open: 1, high: 2, low: 0.5, close: 1 + i / 100, baseVolume: 1, quoteVolumeUsd: 1, marketCapUsd: null }));
  const post = (app: ReturnType<typeof createApp>, body: string) => app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('runs the injected predictor on a validated window', async () => {
    const seen: number[] = [];
    const app = createApp({
      ...deps,
      predictor: async (req) => {
        seen.push(req.candles.length);
        const up = req.candles.at(-1)!.close > req.candles[0]!.close;
        return answer(req, { class: up ? 'bullish' : 'bearish', probabilities: { bearish: up ? 0.1 : 0.8, neutral: 0.1, bullish: up ? 0.8 : 0.1 }, confidence: 0.8 });
      },
    });
    const res = await post(app, JSON.stringify({ symbol: 'btc', horizonDays: 7, candles }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ symbol: 'BTC', horizonDays: 7, asOf: '2024-01-30', class: 'bullish', stale: true, staleReasons: ['data_old'] });
    expect(seen).toEqual([30]);
    expect((await post(app, JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: [...candles].reverse() }))).status).toBe(400);
    expect((await post(app, JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: [{ close: 'x' }] }))).status).toBe(400);
    const tooBig = await post(app, JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles, pad: 'x'.repeat(4 * 1024 * 1024) }));
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(seen).toEqual([30]);
  });

  it('answers 503 when no predictor is configured', async () => {
    const res = await post(createApp(deps), JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles }));
    expect(res.status).toBe(503);
  });

  it('rate-limits each client with a token bucket and answers 429 with Retry-After', async () => {
    let now = 1_000_000;
    const app = createApp({ ...deps, config: { ...deps.config, rateLimit: { capacity: 3, refillPerSecond: 1 } }, nowMs: () => now });
    const get = (ip: string) => app.request('/v1/assets', { headers: { 'x-forwarded-for': ip } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('10.0.0.1')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get('10.0.0.1');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await get('10.0.0.2')).status).toBe(200); // another client has its own bucket
    now += 1000;
    expect((await get('10.0.0.1')).status).toBe(200); // one token refilled
  });

  it('rate-limits writes in their own bucket, before the token is checked', async () => {
    const app = createApp({ ...deps, config: { ...deps.config, rateLimit: { capacity: 2, refillPerSecond: 0.001 } } });
    const write = () => app.request('/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-guess-000', 'x-forwarded-for': '10.0.9.1' }, body: '{}' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await write()).status);
    expect(statuses).toEqual([401, 401, 429]); // guessing the token costs tokens too
    const limited = await write();
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await app.request('/v1/assets', { headers: { 'x-forwarded-for': '10.0.9.1' } })).status).toBe(200); // reads have their own bucket
  });

  it('allows CORS only for configured origins', async () => {
    const app = createApp(deps);
    const ok = await app.request('/v1/assets', { headers: { origin: 'https://dash.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const latest = await app.request('/v1/predictions/BTC', { headers: { origin: 'https://dash.example' } });
    expect(latest.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await app.request('/v1/assets', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('turns unexpected failures into a generic 500 without internals', async () => {
    const logged: unknown[] = [];
    const app = createApp({ ...deps, artifacts: { read: async () => { throw new Error('EACCES /secret/path at line 42'); } }, logError: (e) => logged.push(e) });
    const res = await app.request('/v1/models/BTC/7/latest/model.json');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: expect.any(String), requestId: expect.any(String) } });
    expect(logged).toHaveLength(1);
  });
});

describe('cached reads when the store is down', () => {
  it('answers from cache marked stale, and 503 for what is not cached, logging why in one line (#14 row 3)', async () => {
    const cache = new MemoryCache();
    const dir2 = mkdtempSync(join(tmpdir(), 'cs-api-down-'));
    const db2 = await openDatabase(join(dir2, 'db'));
    const nowMs = () => Date.parse('2024-03-02T08:00:00Z'); // the data are a day old: fresh
    const logged: unknown[] = [];
    const app = createApp({ ...deps, store: new DrizzleStore(db2), cache, config: { ...deps.config, cacheFreshSeconds: 0 }, nowMs, logError: (e) => logged.push(e) });
    await publish(app, { predictions: [prediction('BTC', '2024-03-01', 'bullish')] });
    expect(await (await app.request('/v1/predictions/BTC')).json()).toMatchObject({ stale: false, staleReasons: [] });
    await db2.close(); // the store is gone
    const res = await app.request('/v1/predictions/BTC');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ symbol: 'BTC', asOf: '2024-03-01', stale: true, staleReasons: ['store_unreachable'] });
    expect(res.headers.get('cache-control')).toBe('public, max-age=5');
    const miss = await app.request('/v1/predictions/ETH');
    expect(miss.status).toBe(503);
    const history = await app.request('/v1/predictions/BTC/history?from=2024-01-01&to=2024-01-31');
    expect(history.status).toBe(503);
    expect(((await history.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    // one line each, naming the route and the store's error (describeError keeps credentials out: errors.test.ts)
    expect(logged).toEqual([expect.stringMatching(/^store_unavailable on GET \/v1\/predictions\/ETH: \S[^\n]*$/), expect.stringMatching(/^store_unavailable on GET \/v1\/predictions\/BTC\/history: \S[^\n]*$/)]);
    const healthRes = await app.request('/v1/health');
    expect(healthRes.status).toBe(503); // it cannot do its whole job: a load balancer or orchestrator sees it
    expect(await healthRes.json()).toMatchObject({ status: 'degraded', store: { ok: false, detail: expect.stringMatching(/DATABASE_URL/) } });
    rmSync(dir2, { recursive: true, force: true });
  });
});

describe('impossible days, repeated keys and probabilities that do not sum to 1 (#14 rows 3 and 10)', () => {
  it('refuses a day that is not on the calendar with 400 naming the value and the expected form', async () => {
    const app = createApp(deps);
    const cases: Array<[string, string]> = [
      ['/v1/predictions/BTC/history?from=2026-02-30', '2026-02-30'],
      ['/v1/predictions/BTC/history?from=0000-01-01', '0000-01-01'],
      ['/v1/predictions/BTC/history?to=2023-02-29', '2023-02-29'],
      ['/v1/candles/BTC?from=2024-04-31', '2024-04-31'],
      ['/v1/candles/BTC?to=1969-12-31', '1969-12-31'],
      ['/v1/predictions/BTC/history?from=2024-1-05', '2024-1-05'],
    ];
    for (const [url, day] of cases) {
      const res = await app.request(url);
      expect([url, res.status]).toEqual([url, 400]);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain(day);
      expect(error.message).toContain('YYYY-MM-DD');
    }
    expect((await app.request('/v1/predictions/BTC/history?from=2024-02-29&to=2024-03-01')).status).toBe(200); // a leap day is real
  });

  it('refuses a publish batch that repeats a (symbol, horizon, asOf, model) key with 400 naming it, writing nothing', async () => {
    const app = createApp(deps);
    const batch = [prediction('BTC', '2024-02-05', 'bullish'), prediction('ETH', '2024-02-05', 'bullish'), prediction('BTC', '2024-02-05', 'bearish')];
    const res = await publish(app, { predictions: batch });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^predictions\.2: Duplicate of predictions\.0: both are BTC 7d 2024-02-05 v1/);
    const hist = (await (await app.request('/v1/predictions/BTC/history?from=2024-02-05&to=2024-02-05')).json()) as { predictions: unknown[] };
    expect(hist.predictions).toHaveLength(0);
  });

  it('refuses probabilities that do not sum to 1 with 400 saying what they sum to', async () => {
    const res = await publish(createApp(deps), { predictions: [prediction('BTC', '2024-02-06', 'bullish', { probabilities: { bearish: 0.9, neutral: 0.9, bullish: 0.9 }, confidence: 0.9 })] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^predictions\.0\.probabilities: Expected probabilities summing to 1 .*= 2\.7/);
  });
});

describe('POST /v1/predict refuses candles it cannot score as daily (#14 rows 10 and 12)', () => {
  const HOUR = 3_600_000;
  const candle = (t: number, close: number) => ({ openTimeMs: t, open: close * 0.99, high: close * 1.02, low: close * 0.98, close, baseVolume: 5, quoteVolumeUsd: 500, marketCapUsd: null });
  const series = (n: number, stepMs: number) => Array.from({ length: n }, (_, i) => candle(T0 + i * stepMs, 100 + i));
  type Candles = ReturnType<typeof series>;
  const edit = (cs: Candles, i: number, change: Partial<Candles[number]>) => cs.map((k, j) => (j === i ? { ...k, ...change } : k));

  it('answers 400 naming the first candle that is hourly, gapped, repeated, out of order or not a sane OHLC bar, and never predicts', async () => {
    let called = 0;
    const app = createApp({ ...deps, predictor: async (req) => (called++, answer(req, { class: 'neutral', probabilities: { bearish: 0.3, neutral: 0.4, bullish: 0.3 }, confidence: 0.4 })) });
    const daily = series(20, DAY);
    const cases: Array<[string, Partial<PredictRequest>, RegExp]> = [
      ['hourly candles as daily', { candles: series(20, HOUR) }, /^candles\.1: Expected daily candles 1 day apart.* is 1 h after/],
      ['a missing day', { candles: [...daily.slice(0, 5), ...daily.slice(6)] }, /^candles\.5: Expected daily candles 1 day apart.* is 48 h after/],
      ['a repeated day', { candles: [...daily.slice(0, 4), daily[3]!, ...daily.slice(4)] }, /^candles\.4: .*(strictly increasing|1 day apart)/],
      ['a negative close', { candles: edit(daily, 2, { close: -1 }) }, /^candles\.2\.close: Expected close to be a positive price in USD; got -1/],
      ['a zero open', { candles: edit(daily, 2, { open: 0 }) }, /^candles\.2\.open: Expected open to be a positive price/],
      ['high below the close', { candles: edit(daily, 4, { high: 50 }) }, /^candles\.4: Inconsistent candle .*high 50 is below max\(open, close\)/],
      ['low above the open', { candles: edit(daily, 6, { low: 200 }) }, /^candles\.6: Inconsistent candle .*low 200 is above min\(open, close\)/],
      ['a negative volume', { candles: edit(daily, 7, { baseVolume: -3 }) }, /^candles\.7\.baseVolume: Expected baseVolume to be 0 or more/],
      ['hourly candles 2 h apart', { candles: daily, hourly: [...series(3, HOUR), candle(T0 + 4 * HOUR, 1)] }, /^hourly\.3: Expected hourly candles 1 hour apart.* is 2 h after/],
      ['market candles with a gap', { candles: daily, market: [daily[0]!, daily[2]!] }, /^market\.1: Expected daily candles 1 day apart/],
    ];
    for (const [what, change, message] of cases) {
      const res = await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: daily, ...change }) });
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect([what, res.status, error.code]).toEqual([what, 400, 'invalid_request']);
      expect(error.message, what).toMatch(message);
    }
    expect(called).toBe(0);
    const ok = await app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: daily, hourly: series(48, HOUR) }) });
    expect(ok.status).toBe(200);
    expect(called).toBe(1);
  });

  it('takes the body limit from the schema: the largest valid body fits, one byte more is 413, one candle more is 400', async () => {
    expect(DEFAULT_API_CONFIG.maxBodyBytes).toBe(PREDICT_MAX_BODY_BYTES);
    let called = 0;
    const app = createApp({ ...deps, predictor: async (req) => (called++, answer(req, { class: 'neutral', probabilities: { bearish: 0.3, neutral: 0.4, bullish: 0.3 }, confidence: 0.4 })) });
    const LONG = 1.2345678901234567e300; // 23 characters as JSON, the longest a positive number gets
    const start = Date.UTC(9999, 0, 1) - 2000 * DAY; // 15-digit times, the longest a valid openTimeMs gets
    const longest = (n: number, stepMs: number) => Array.from({ length: n }, (_, i) => ({ openTimeMs: start + i * stepMs, open: LONG, high: LONG, low: LONG, close: LONG, baseVolume: LONG, quoteVolumeUsd: LONG, marketCapUsd: LONG }));
    const request = (n: number) => JSON.stringify({ symbol: 'ABCDEFGHIJKLMNO', horizonDays: 365, candles: longest(n, DAY), hourly: longest(n, HOUR), market: longest(n, DAY), explain: false });
    const body = request(2000);
    expect(body.length).toBe(PREDICT_MAX_BODY_BYTES); // the limit is the schema's largest body, not a guess with room to spare
    const post = (text: string) => app.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    const atLimit = await post(body);
    expect(atLimit.status, await atLimit.clone().text()).toBe(200);
    expect(called).toBe(1);
    const over = await post(body.padEnd(PREDICT_MAX_BODY_BYTES + 1, ' '));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { message: string } }).error.message).toContain(String(PREDICT_MAX_BODY_BYTES));
    const tooMany = JSON.stringify({ symbol: 'BTC', horizonDays: 7, candles: series(2001, DAY) });
    const refused = await post(tooMany);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('candles: Expected at most 2000 candles.');
    expect(called).toBe(1);
  });
});
