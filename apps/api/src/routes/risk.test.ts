// GET /v1/risk/{symbol} through app.request() over a real PGlite store holding what the risk module computed for
// synthetic candles (stored as publish stores it): the body, ETag / 304 and Cache-Control, 404, 400, the OpenAPI
// document, and the Worker's KV store, which holds no risk scores and says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, saveRiskScores, toRiskScoreRecord, type Database } from '@coinsphere/data';
import { assessRiskAt, computeRiskPanel, DAY_MS, makeSyntheticCandles, RISK_SCORE_MEANING, toIsoDay, type RiskAssessment } from '@coinsphere/model/core';
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-risk-'));
  db = await openDatabase(join(dir, 'db'));
  const series = [0, 1, 2, 3].map((k) => ({ symbol: `A${k}`, candles: makeSyntheticCandles(N_DAYS, k + 11, { startMs: START, volatility: 0.02 + 0.01 * k }) }));
  series.push({ symbol: 'NEW', candles: makeSyntheticCandles(10, 5, { startMs: START + (N_DAYS - 10) * DAY_MS }) });
  const panel = computeRiskPanel(series);
  assessments = new Map(panel.assets.map((a, k) => [a.symbol, Array.from({ length: Math.min(STORED_DAYS, a.days.nDays) }, (_, j) => assessRiskAt(panel, k, a.days.nDays - Math.min(STORED_DAYS, a.days.nDays) + j))]));
  await saveRiskScores(db, [...assessments.values()].flat().map((a) => toRiskScoreRecord(a, 'test-method', CREATED_MS)));
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

  it('on the Worker (KV store, no risk scores pushed) answers 404 saying publish --edge has not pushed them', async () => {
    const edge = createApp({ store: new KvStore(memoryKv()), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} });
    const res = await edge.request('/v1/risk/BTC');
    expect(res.status).toBe(404);
    expect(ErrorSchema.parse(await res.json()).error).toMatchObject({ code: 'risk_not_published', message: expect.stringContaining('publish --edge has not pushed risk scores') });
  });

  it('is in the OpenAPI document with its parameter, its answer schema and its errors', async () => {
    const doc = (await (await app().request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/risk/{symbol}']?.get;
    expect(op?.parameters).toEqual([expect.objectContaining({ name: 'symbol', in: 'path' })]);
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '304', '400', '404', '429', '503']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['RiskResponse', 'RiskComponents', 'RiskReason']));
  });
});
