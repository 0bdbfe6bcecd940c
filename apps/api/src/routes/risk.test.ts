// GET /v1/risk/{symbol} through app.request() over a real PGlite store holding what the risk module computed for
// synthetic candles (stored as publish stores it, with the model of the newest day): the body, the inputs that give
// the same score from the candles, ETag / 304 and Cache-Control, 404, 400, the OpenAPI document, and the Worker's KV
// store, which answers what PUT /v1/admin/risk pushed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, saveRiskScores, toRiskScoreRecord, type Database } from '@coinsphere/data';
import { assessRiskAt, assessRiskWithModel, computeRiskPanel, DAY_MS, makeSyntheticCandles, RISK_CANDLE_DAYS, RISK_SCORE_MEANING, riskModelAt, toIsoDay, type RiskAssessment, type RiskSeries } from '@coinsphere/model/core';
import { MemoryCache } from '@coinsphere/serving';
import { ErrorSchema, RiskResponseSchema } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { DEFAULT_API_CONFIG } from '../config.ts';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';

const START = Date.UTC(2021, 0, 1);
const N_DAYS = 600;
const STORED_DAYS = 45;
const CREATED_MS = Date.UTC(2022, 7, 24, 6);

let dir: string;
let db: Database;
let assessments: Map<string, RiskAssessment[]>;
let series: RiskSeries[];
const TOKEN = 'risk-token-0123456789abcdef';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-risk-'));
  db = await openDatabase(join(dir, 'db'));
  series = [0, 1, 2, 3].map((k) => ({ symbol: `A${k}`, candles: makeSyntheticCandles(N_DAYS, k + 11, { startMs: START, volatility: 0.02 + 0.01 * k }) }));
  series.push({ symbol: 'NEW', candles: makeSyntheticCandles(10, 5, { startMs: START + (N_DAYS - 10) * DAY_MS }) });
  const panel = computeRiskPanel(series);
  assessments = new Map(panel.assets.map((a, k) => [a.symbol, Array.from({ length: Math.min(STORED_DAYS, a.days.nDays) }, (_, j) => assessRiskAt(panel, k, a.days.nDays - Math.min(STORED_DAYS, a.days.nDays) + j))]));
  const lastDay = START + (N_DAYS - 1) * DAY_MS;
  const model = { day: toIsoDay(lastDay), model: riskModelAt(panel, lastDay), series: Object.fromEntries(series.map((s) => [s.symbol, { source: 'synthetic', firstDay: toIsoDay(s.candles[0]!.openTimeMs) }])), methodVersion: 'test-method' };
  await saveRiskScores(db, [...assessments.values()].flat().map((a) => toRiskScoreRecord(a, 'test-method', CREATED_MS)), [model]);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const app = () => createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} });

describe('GET /v1/risk/{symbol}', () => {
  it('answers the latest assessment with every component, what the score means, and the last 30 days of scores', async () => {
    const res = await app().request('/v1/risk/a2'); // any case: the symbol is upper-cased
    expect(res.status).toBe(200);
    const body = RiskResponseSchema.parse(await res.json());
    const latest = assessments.get('A2')!.at(-1)!;
    expect(latest.score.ok).toBe(true);
    expect(body).toMatchObject({ symbol: 'A2', day: toIsoDay(latest.dayMs), score: latest.score, methodVersion: 'test-method', meaning: RISK_SCORE_MEANING, createdAt: new Date(CREATED_MS).toISOString() });
    expect(body.components).toEqual(latest.components);
    expect(body.meaning).toMatch(/not a recommendation/i);
    expect(body.history.map((h) => h.day)).toEqual(assessments.get('A2')!.slice(-30).map((a) => toIsoDay(a.dayMs)));
    expect(body.history.at(-1)).toEqual({ day: body.day, score: (latest.score as { value: number }).value, reason: null });
  });

  it('sends the newest day\'s model and series, from which the asset\'s recent candles give the same score', async () => {
    for (const s of series) {
      const body = RiskResponseSchema.parse(await (await app().request(`/v1/risk/${s.symbol}`)).json());
      expect(body.inputs?.candles).toEqual({ source: 'synthetic', firstDay: toIsoDay(s.candles[0]!.openTimeMs) });
      const recomputed = assessRiskWithModel(body.inputs!.model, s.symbol, s.candles.slice(-RISK_CANDLE_DAYS), Date.parse(body.inputs!.candles.firstDay));
      expect(recomputed.score.ok).toBe(body.score.ok);
      if (recomputed.score.ok && body.score.ok) expect(Math.abs(recomputed.score.value - body.score.value)).toBeLessThan(1e-9);
      else expect(recomputed.score).toEqual(body.score);
    }
  });

  it('gives the reason in place of a score for an asset with too little history', async () => {
    const body = RiskResponseSchema.parse(await (await app().request('/v1/risk/NEW')).json());
    expect(body.score).toEqual({ ok: false, reason: 'too-little-history', detail: 'volatility30d: 10 days of history; needs 30' });
    expect(body.components.volatility30d).toMatchObject({ ok: false, reason: 'too-little-history' });
    expect(body.history).toHaveLength(10);
    expect(body.history.every((h) => h.score === null && h.reason === 'too-little-history')).toBe(true);
  });

  it('sends an ETag and the latest prediction\'s Cache-Control, and 304 when the client has it', async () => {
    const a = app();
    const first = await a.request('/v1/risk/A1');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const { maxAgeSeconds } = DEFAULT_API_CONFIG;
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds * 5}`);
    const again = await a.request('/v1/risk/A1', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await a.request('/v1/risk/A0', { headers: { 'if-none-match': etag! } })).status).toBe(200); // another asset, another tag
  });

  it('answers 404 naming the symbol when it has no score, and 400 on a bad symbol', async () => {
    const missing = await app().request('/v1/risk/ZZZ');
    expect(missing.status).toBe(404);
    expect(ErrorSchema.parse(await missing.json()).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('"ZZZ"') });
    for (const bad of ['BT-C', 'A'.repeat(16)]) {
      const res = await app().request(`/v1/risk/${bad}`);
      expect(res.status).toBe(400);
      expect(ErrorSchema.parse(await res.json()).error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('symbol') });
    }
  });

  it('on the Worker (KV store) answers what PUT /v1/admin/risk pushed, as the Node API does, and 404 before a push', async () => {
    const kv = new KvStore(memoryKv());
    const edge = createApp({ store: kv, cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, logError: () => {}, admin: kv, artifacts: kv });
    const before = await edge.request('/v1/risk/A2');
    expect(before.status).toBe(404);
    expect(ErrorSchema.parse(await before.json()).error.message).toContain('publish` (with --edge for a Worker)');
    const node = new DrizzleStore(db);
    const history = await node.riskHistory('A2', 60);
    const put = (body: unknown, token = TOKEN) => edge.request('/v1/admin/risk/A2', { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ history, inputs: null }, 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await put({ history: [...history].reverse(), inputs: null })).status).toBe(400);
    expect((await put({ history: history.slice(0, -1), inputs: await node.riskInputs('A2', history.at(-1)!.day) })).status).toBe(400); // inputs of another day
    const stored = await put({ history, inputs: await node.riskInputs('A2', history.at(-1)!.day) });
    expect(await stored.json()).toEqual({ symbol: 'A2', days: STORED_DAYS, inputs: true });
    const onEdge = await (await edge.request('/v1/risk/A2')).json();
    expect(onEdge).toEqual(await (await app().request('/v1/risk/A2')).json());
  });

  it('is in the OpenAPI document with its parameter, its answer schema and its errors', async () => {
    const doc = (await (await app().request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/risk/{symbol}']?.get;
    expect(op?.parameters).toEqual([expect.objectContaining({ name: 'symbol', in: 'path' })]);
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '304', '400', '404', '429', '503']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['RiskResponse', 'RiskComponents', 'RiskReason']));
  });
});
