// GET /v1/overview?horizon= (issue #18) through app.request() over a real PGlite store: three assets (BTC with a
// model and two published predictions, A1 with candles and risk scores but no model, NEW with a few days only; BTC
// and NEW with a second source, so the source picked for each is checked). Each
// row must be what the per-asset routes answer (the last 8 daily candles, the latest prediction, the latest risk
// assessment, the served model's live record), in /v1/assets order; ETag / 304 and the latest prediction's
// Cache-Control; 400 on a bad horizon; the OpenAPI document; and the Worker's KV store after its admin pushes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, registerModel, saveRiskScores, toRiskScoreRecord, upsertCandles, type Database } from '@coinsphere/data';
import { assessRiskAt, computeRiskPanel, DAY_MS, makeSyntheticCandles, riskModelAt, toIsoDay, type RiskSeries } from '@coinsphere/model/core';
import { MemoryCache } from '@coinsphere/serving';
import { ErrorSchema, OverviewResponseSchema, servedRecordOf, TrackRecordResponseSchema, type Prediction } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../app.ts';
import { DEFAULT_API_CONFIG } from '../config.ts';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';

const START = Date.UTC(2024, 0, 1);
const N_DAYS = 120;
const TOKEN = 'overview-token-0123456789abcdef';
const CREATED_MS = START + N_DAYS * DAY_MS;
let dir: string;
let db: Database;
let series: RiskSeries[];

const prediction = (dayIndex: number, modelVersion: string): Prediction => ({
  symbol: 'BTC', horizonDays: 7, asOf: toIsoDay(START + dayIndex * DAY_MS), class: 'bullish', probabilities: { bearish: 0.2, neutral: 0.3, bullish: 0.5 }, confidence: 0.5,
  modelVersion, placeholders: [], signal: 'clear', band: { lowerReturn: -0.02, upperReturn: 0.02, lowerPrice: 98, upperPrice: 102, closeAtAsOf: 100 }, createdAt: new Date(CREATED_MS).toISOString(),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-overview-'));
  db = await openDatabase(join(dir, 'db'));
  series = [
    { symbol: 'BTC', candles: makeSyntheticCandles(N_DAYS, 3, { startMs: START }) },
    { symbol: 'A1', candles: makeSyntheticCandles(N_DAYS, 4, { startMs: START, volatility: 0.04 }) },
    { symbol: 'NEW', candles: makeSyntheticCandles(5, 5, { startMs: START + (N_DAYS - 5) * DAY_MS }) },
  ];
  await upsertCandles(db, series.flatMap((s) => s.candles.map((k) => ({ ...k, symbol: s.symbol, interval: '1d' as const, source: 'test', marketCapUsd: null }))));
  // a second source each: BTC's shorter one loses, NEW's longer one wins (the longest history, as /v1/candles picks it)
  const more = [{ symbol: 'BTC', source: 'other', candles: makeSyntheticCandles(3, 8, { startMs: START + (N_DAYS - 3) * DAY_MS }) }, { symbol: 'NEW', source: 'big', candles: makeSyntheticCandles(10, 9, { startMs: START + (N_DAYS - 10) * DAY_MS }) }];
  await upsertCandles(db, more.flatMap((m) => m.candles.map((k) => ({ ...k, symbol: m.symbol, interval: '1d' as const, source: m.source, marketCapUsd: null }))));
  const panel = computeRiskPanel(series.slice(0, 2)); // NEW has no score stored
  const lastDay = START + (N_DAYS - 1) * DAY_MS;
  const model = { day: toIsoDay(lastDay), model: riskModelAt(panel, lastDay), series: { BTC: { source: 'test', firstDay: toIsoDay(START) }, A1: { source: 'test', firstDay: toIsoDay(START) } }, methodVersion: 'test-method' };
  const scores = panel.assets.flatMap((a, k) => [a.days.nDays - 2, a.days.nDays - 1].map((j) => toRiskScoreRecord(assessRiskAt(panel, k, j), 'test-method', CREATED_MS)));
  await saveRiskScores(db, scores, [model]);
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'BTC/7d/v1', digest: 'sha256:0', metrics: {}, metadata: { thresholds: { lower: -0.02, upper: 0.02 } } });
  const published = await nodeApp().request('/v1/predictions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ predictions: [prediction(N_DAYS - 20, 'v1'), prediction(N_DAYS - 1, 'v1')] }) });
  expect(published.status, await published.clone().text()).toBe(200);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const nodeApp = () => createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, nowMs: () => CREATED_MS, logError: () => {} });
const json = async (app: OpenAPIHono, path: string) => {
  const res = await app.request(path);
  return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
};

/** Each row of the overview against what the per-asset routes of the same app answer. */
async function expectRowsOfSingleRoutes(app: OpenAPIHono, horizon: number): Promise<string[]> {
  const overview = OverviewResponseSchema.parse(await json(app, `/v1/overview?horizon=${horizon}`));
  const { assets } = (await json(app, '/v1/assets')) as { assets: unknown[] };
  expect(overview.horizonDays).toBe(horizon);
  expect(overview.rows.map((r) => r.asset)).toEqual(assets);
  for (const { asset, candles, prediction, risk, trackRecord } of overview.rows) {
    const from = toIsoDay(Date.parse(asset.lastDay!) - 7 * DAY_MS);
    expect(candles).toEqual(((await json(app, `/v1/candles/${asset.symbol}?from=${from}&to=${asset.lastDay}`)) as { candles: unknown[] }).candles);
    expect(candles.length).toBeGreaterThan(0);
    expect(prediction).toEqual(await json(app, `/v1/predictions/${asset.symbol}?horizon=${horizon}`));
    const single = await json(app, `/v1/risk/${asset.symbol}`);
    expect(risk).toEqual(single && { symbol: single.symbol, day: single.day, score: single.score, components: single.components, methodVersion: single.methodVersion, createdAt: single.createdAt });
    const records = await json(app, `/v1/track-record/${asset.symbol}?horizon=${horizon}`);
    const served = records && servedRecordOf(TrackRecordResponseSchema.parse(records).records, prediction?.modelVersion ?? null);
    expect(trackRecord).toEqual(served && { ...served, resolvedDays: [] });
  }
  return overview.rows.map((r) => r.asset.symbol);
}

describe('GET /v1/overview', () => {
  it("answers every asset's row as the per-asset routes do, in /v1/assets order", async () => {
    const app = nodeApp();
    expect(await expectRowsOfSingleRoutes(app, 7)).toEqual(['A1', 'BTC', 'NEW']);
    const rows = OverviewResponseSchema.parse(await json(app, '/v1/overview')).rows; // horizon 7 by default
    const btc = rows.find((r) => r.asset.symbol === 'BTC')!;
    expect(btc.prediction).toMatchObject({ asOf: toIsoDay(START + (N_DAYS - 1) * DAY_MS), modelVersion: 'v1', class: 'bullish' });
    expect(btc.trackRecord).toMatchObject({ modelVersion: 'v1', published: 2 });
    expect(btc.risk).toMatchObject({ symbol: 'BTC', day: toIsoDay(START + (N_DAYS - 1) * DAY_MS) }); // its newest of two stored days
    expect(rows.find((r) => r.asset.symbol === 'A1')).toMatchObject({ prediction: null, trackRecord: null });
    expect(rows.find((r) => r.asset.symbol === 'NEW')).toMatchObject({ prediction: null, risk: null, trackRecord: null });
    expect(rows.find((r) => r.asset.symbol === 'NEW')!.candles).toHaveLength(8); // its longer source's last 8 days
    expect(btc.candles.map((k) => k.close)).toEqual(series[0]!.candles.slice(-8).map((k) => k.close)); // not the 3-day source
    await expectRowsOfSingleRoutes(app, 30); // no model at 30 days: prices and risk only
    expect(OverviewResponseSchema.parse(await json(app, '/v1/overview?horizon=30')).rows.every((r) => r.prediction === null && r.trackRecord === null)).toBe(true);
  });

  it("sends an ETag and the latest prediction's Cache-Control, 304 when the client has it, another tag at another horizon", async () => {
    const app = nodeApp();
    const first = await app.request('/v1/overview?horizon=7');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const { maxAgeSeconds } = DEFAULT_API_CONFIG;
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds * 5}`);
    const again = await app.request('/v1/overview?horizon=7', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await app.request('/v1/overview?horizon=30', { headers: { 'if-none-match': etag! } })).status).toBe(200);
  });

  it('answers 400 naming the parameter on a bad horizon', async () => {
    for (const bad of ['0', 'seven', '1.5']) {
      const res = await nodeApp().request(`/v1/overview?horizon=${bad}`);
      expect(res.status).toBe(400);
      expect(ErrorSchema.parse(await res.json()).error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('horizon') });
    }
  });

  it('on the Worker (KV store) answers the rows of what the admin routes pushed, as its per-asset routes do', async () => {
    const kv = new KvStore(memoryKv());
    const edge = createApp({ store: kv, cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, nowMs: () => CREATED_MS, logError: () => {}, admin: kv, artifacts: kv });
    const put = (path: string, body: unknown) => edge.request(path, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(OverviewResponseSchema.parse(await json(edge, '/v1/overview')).rows).toEqual([]); // before any push: no assets, not an error
    const node = new DrizzleStore(db);
    for (const s of series) expect((await put(`/v1/admin/candles/${s.symbol}`, { candles: s.candles })).status).toBe(200);
    const history = await node.riskHistory('A1', 60);
    expect((await put('/v1/admin/risk/A1', { history, inputs: await node.riskInputs('A1', history.at(-1)!.day) })).status).toBe(200);
    expect(await expectRowsOfSingleRoutes(edge, 7)).toEqual(['A1', 'BTC', 'NEW']);
    const rows = OverviewResponseSchema.parse(await json(edge, '/v1/overview')).rows;
    expect(rows.find((r) => r.asset.symbol === 'A1')!.risk).toEqual(OverviewResponseSchema.parse(await json(nodeApp(), '/v1/overview')).rows.find((r) => r.asset.symbol === 'A1')!.risk);
  });

  it('is in the OpenAPI document with its query, its answer schema and its errors', async () => {
    const doc = (await (await nodeApp().request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/overview']?.get;
    expect(op?.parameters).toEqual([expect.objectContaining({ name: 'horizon', in: 'query' })]);
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '304', '400', '429', '503']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['OverviewResponse', 'OverviewRow']));
  });
});
