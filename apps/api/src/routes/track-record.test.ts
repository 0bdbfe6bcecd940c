// GET /v1/track-record/{symbol} through app.request() over a real PGlite store holding published predictions with
// their baselines and outcomes (as publish and `coinsphere outcomes` store them): the record, ETag / 304 and
// Cache-Control, 404 and 400, the OpenAPI document, and the Worker's KV store, which answers what
// PUT /v1/admin/track-record pushed exactly as the Node API answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, registerModel, saveBaselines, saveOutcomes, savePredictions, upsertCandles, type Database, type PredictionRecord } from '@coinsphere/data';
import { addDays, MemoryCache } from '@coinsphere/serving';
import { ErrorSchema, TrackRecordResponseSchema } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';

const TOKEN = 'track-token-0123456789abcdef';
const band = { lowerReturn: -0.02, upperReturn: 0.02, lowerPrice: 98, upperPrice: 102, closeAtAsOf: 100 };
const calls = ['bullish', 'bearish', 'neutral', 'bullish'] as const;
const realised = ['bullish', 'bullish', 'neutral'] as const; // the fourth is pending
let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-track-'));
  db = await openDatabase(join(dir, 'db'));
  const preds: PredictionRecord[] = calls.map((c, i) => ({
    symbol: 'BTC', horizonDays: 7, asOf: addDays('2024-03-01', i), class: c, confidence: 0.6, modelVersion: 'v1', placeholders: [], signal: 'clear', band,
    probabilities: { bearish: 0.2, neutral: 0.2, bullish: 0.2, [c]: 0.6 }, createdAtMs: Date.UTC(2024, 2, 1 + i, 6),
  }));
  await savePredictions(db, preds);
  await saveBaselines(db, preds.map((p) => ({ ...p, baselines: { persistence: { bearish: 0, neutral: 0, bullish: 1 }, majority: { bearish: 0.3, neutral: 0.4, bullish: 0.3 } } })));
  // closes: 100 on each as-of day, 105 a week after the first (bullish under the band, +5% > +2%)
  await upsertCandles(db, Array.from({ length: 12 }, (_, i) => ({ symbol: 'BTC', interval: '1d' as const, source: 'synthetic', openTimeMs: Date.UTC(2024, 2, 1 + i), open: 100, high: 106, low: 99, close: i === 7 ? 105 : 100, baseVolume: 1, quoteVolumeUsd: 100, marketCapUsd: null })));
  // a longer series of another source, where the week after 03-01 fell: the history must not judge v1 on it
  await upsertCandles(db, Array.from({ length: 20 }, (_, i) => ({ symbol: 'BTC', interval: '1d' as const, source: 'longer', openTimeMs: Date.UTC(2024, 1, 20 + i), open: 100, high: 101, low: 89, close: i === 16 ? 90 : 100, baseVolume: 1, quoteVolumeUsd: 100, marketCapUsd: null })));
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'BTC/7d/v1', digest: null, metrics: {}, metadata: { dataSources: { BTC: 'synthetic' } } });
  await saveOutcomes(db, realised.map((r, i) => ({ ...preds[i]!, endDay: addDays(preds[i]!.asOf, 7), closeAtAsOf: 100, closeAtEnd: r === 'bullish' ? 105 : 100, realisedClass: r })));
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const app = () => createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} });

describe('GET /v1/track-record/{symbol}', () => {
  it('answers the live record of each model version beside its baselines, with ETag and the latest Cache-Control', async () => {
    const res = await app().request('/v1/track-record/btc?horizon=7');
    expect(res.status).toBe(200);
    const body = TrackRecordResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ symbol: 'BTC', horizonDays: 7, kind: 'live' });
    expect(body.records[0]).toMatchObject({ modelVersion: 'v1', liveSince: '2024-03-01', published: 4, resolved: 3, pending: 1 });
    const live = body.records[0]!.windows.find((w) => w.window === 'live')!;
    expect(live.model!.accuracy.estimate).toBeCloseTo(2 / 3, 12); // bullish right, bearish wrong, neutral right
    expect(live.baselines.persistence!.accuracy.estimate).toBeCloseTo(2 / 3, 12); // always bullish
    expect(live.baselines.majority!.accuracy.estimate).toBeCloseTo(1 / 3, 12); // always neutral
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
    const etag = res.headers.get('etag')!;
    expect((await app().request('/v1/track-record/BTC?horizon=7', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await app().request('/v1/track-record/BTC')).headers.get('etag')).toBe(etag); // horizon defaults to 7
  });

  it('answers 404 naming the symbol and horizon when nothing was published, and 400 on a bad symbol or horizon', async () => {
    const missing = await app().request('/v1/track-record/ETH?horizon=7');
    expect(missing.status).toBe(404);
    expect(ErrorSchema.parse(await missing.json()).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('"ETH" at 7 days') });
    for (const bad of ['/v1/track-record/BT-C', '/v1/track-record/BTC?horizon=0', '/v1/track-record/BTC?horizon=x']) expect((await app().request(bad)).status).toBe(400);
  });

  it('on the Worker (KV store) answers what PUT /v1/admin/track-record pushed, as the Node API does, and 404 before a push', async () => {
    const kv = new KvStore(memoryKv());
    const edge = createApp({ store: kv, cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, logError: () => {}, admin: kv, artifacts: kv });
    expect((await edge.request('/v1/track-record/BTC?horizon=7')).status).toBe(404);
    const records = await new DrizzleStore(db).trackRecord('BTC', 7);
    const put = (symbol: string, body: unknown, token = TOKEN) => edge.request(`/v1/admin/track-record/${symbol}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('BTC', { records }, 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await put('ETH', { records })).status).toBe(400); // BTC's records under ETH
    expect((await put('BTC', { records: [{ ...records[0], kind: 'backtest' }] })).status).toBe(400); // live only
    expect(await (await put('BTC', { records })).json()).toEqual({ symbol: 'BTC', records: 1 });
    expect(await (await edge.request('/v1/track-record/BTC?horizon=7')).json()).toEqual(await (await app().request('/v1/track-record/BTC?horizon=7')).json());
    expect((await edge.request('/v1/track-record/BTC?horizon=14')).status).toBe(404);
  });

  it('judges the history route\'s outcomes by the band stored with each prediction, on the series its model read (not the longest)', async () => {
    const res = await app().request('/v1/predictions/BTC/history?horizon=7&from=2024-03-01&to=2024-03-04');
    const { predictions } = (await res.json()) as { predictions: Array<{ asOf: string; outcome: { class: string | null; correct: boolean | null } | null }> };
    expect(predictions[0]).toMatchObject({ asOf: '2024-03-01', outcome: { class: 'bullish', correct: true } });
    expect(predictions[1]).toMatchObject({ asOf: '2024-03-02', outcome: { class: 'neutral', correct: false } }); // 100 -> 100: neutral; it said bearish
  });

  it('computes the record once per version of its rows: a new outcome, prediction or baseline rewrite (from any writer) is in the next answer', async () => {
    const store = new DrizzleStore(db);
    const api = createApp({ store, cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} });
    const read = async () => TrackRecordResponseSchema.parse(await (await api.request('/v1/track-record/BTC?horizon=7')).json()).records[0]!;
    const first = await store.trackRecord('BTC', 7);
    expect(await store.trackRecord('BTC', 7)).toBe(first); // memoised: not computed again
    expect(await read()).toMatchObject({ resolved: 3, pending: 1 });
    const p4 = { symbol: 'BTC', horizonDays: 7, asOf: addDays('2024-03-01', 3), modelVersion: 'v1' };
    await saveOutcomes(db, [{ ...p4, endDay: addDays(p4.asOf, 7), closeAtAsOf: 100, closeAtEnd: 105, realisedClass: 'bullish' }]); // as `coinsphere outcomes` would, beside the server
    const resolved = await read();
    expect(resolved).toMatchObject({ resolved: 4, pending: 0 });
    expect(resolved.windows.find((w) => w.window === 'live')!.model!.accuracy.estimate).toBeCloseTo(3 / 4, 12);
    const logistic = { bearish: 0.1, neutral: 0.1, bullish: 0.8 };
    const persistence = { bearish: 0, neutral: 0, bullish: 1 };
    await saveBaselines(db, calls.map((_, i) => ({ ...p4, asOf: addDays('2024-03-01', i), baselines: { persistence, majority: { bearish: 0.3, neutral: 0.4, bullish: 0.3 }, logistic } })));
    expect((await read()).windows.find((w) => w.window === 'live')!.baselines.logistic!.accuracy.estimate).toBeCloseTo(3 / 4, 12);
    await savePredictions(db, [{ ...p4, asOf: addDays('2024-03-01', 4), class: 'bearish', confidence: 0.6, placeholders: [], signal: 'clear', band, probabilities: { bearish: 0.6, neutral: 0.2, bullish: 0.2 }, createdAtMs: Date.UTC(2024, 2, 5, 6) }]);
    expect(await read()).toMatchObject({ published: 5, resolved: 4, pending: 1 });
  });

  it('on the Worker parses a pushed record once and answers a new push at once', async () => {
    const kv = new KvStore(memoryKv());
    const edge = createApp({ store: kv, cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, logError: () => {}, admin: kv, artifacts: kv });
    const records = await new DrizzleStore(db).trackRecord('BTC', 7);
    await kv.replaceTrackRecord('BTC', { records });
    const held = await kv.trackRecord('BTC', 7);
    expect(await kv.trackRecord('BTC', 7)).toBe(held);
    const put = (body: unknown) => edge.request('/v1/admin/track-record/BTC', { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ records: [{ ...records[0]!, published: 99 }] })).status).toBe(200);
    expect(TrackRecordResponseSchema.parse(await (await edge.request('/v1/track-record/BTC?horizon=7')).json()).records[0]!.published).toBe(99);
  });

  it('is in the OpenAPI document with its parameters, its answer schema and its errors', async () => {
    const doc = (await (await app().request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/track-record/{symbol}']?.get;
    expect(op?.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:symbol', 'query:horizon']);
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '304', '400', '404', '429', '503']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['TrackRecordResponse', 'TrackRecord', 'TrackWindow', 'TrackFigures']));
  });
});
