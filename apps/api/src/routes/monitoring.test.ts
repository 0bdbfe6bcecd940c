// GET /v1/monitoring/{symbol} through app.request() over a real PGlite store holding a monitoring summary as
// publish stores it (saveMonitoringSummaries): the summary, ETag / 304 and Cache-Control, 404 before any publish and
// 400, the OpenAPI document, and the Worker's KV store, which answers what PUT /v1/admin/monitoring pushed exactly
// as the Node API answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, saveMonitoringSummaries, type Database } from '@coinsphere/data';
import { MemoryCache } from '@coinsphere/serving';
import { ErrorSchema, MonitoringSummarySchema, type MonitoringSummary } from '@coinsphere/serving/contract';
import { DrizzleStore } from '@coinsphere/serving/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { KvStore } from '../worker/kv-store.ts';
import { memoryKv } from '../worker/memory-kv.ts';

const TOKEN = 'monitor-token-0123456789abcdef';
const summary: MonitoringSummary = {
  symbol: 'BTC',
  horizonDays: 7,
  modelVersion: 'v1',
  trainedAt: '2024-01-01T00:00:00.000Z',
  modelAgeDays: 100,
  expiryDays: 90,
  expiresAt: '2024-03-31T00:00:00.000Z',
  expired: true,
  trainingDistribution: true,
  drift: {
    recentDays: 90,
    nRows: 90,
    reference: 'asset',
    features: [
      { feature: 'ret_1d', psi: 0.04, level: 'stable' },
      { feature: 'log_vol_30d', psi: 0.41, level: 'drift', chance: { days: 90, median: 0.1, p95: 0.3 } },
    ],
  },
  driftNote: null,
  drifting: ['log_vol_30d'],
  newestPrediction: { asOf: '2024-04-09', outOfDistribution: { flag: true, distance: 3.2, threshold: 2.1 } },
  computedAt: '2024-04-10T06:00:00.000Z',
};
let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-monitoring-'));
  db = await openDatabase(join(dir, 'db'));
  await saveMonitoringSummaries(db, [{ symbol: 'BTC', horizonDays: 7, summary, computedAtMs: Date.parse(summary.computedAt) }]);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const AT_COMPUTE = () => Date.parse(summary.computedAt); // the clock publish computed the summary at
const app = (nowMs = AT_COMPUTE, modelExpiryDays?: number) =>
  createApp({ store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null, ...(modelExpiryDays ? { modelExpiryDays } : {}) }, logError: () => {}, nowMs });

describe('GET /v1/monitoring/{symbol}', () => {
  it('answers the stored summary (age, expiry, drift per feature, the newest flag), with ETag and the latest Cache-Control', async () => {
    const res = await app().request('/v1/monitoring/btc?horizon=7');
    expect(res.status).toBe(200);
    expect(MonitoringSummarySchema.parse(await res.json())).toEqual(summary);
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
    const etag = res.headers.get('etag')!;
    expect((await app().request('/v1/monitoring/BTC?horizon=7', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await app().request('/v1/monitoring/BTC')).headers.get('etag')).toBe(etag); // horizon defaults to 7
  });

  it("says the model's age and expiry as of the server's clock and expiry setting, not as of publish", async () => {
    const later = Date.parse('2024-07-09T12:00:00Z'); // 91 days after computedAt
    const aged = MonitoringSummarySchema.parse(await (await app(() => later).request('/v1/monitoring/BTC')).json());
    expect(aged).toEqual({ ...summary, modelAgeDays: 190 });
    const lenient = MonitoringSummarySchema.parse(await (await app(() => later, 365).request('/v1/monitoring/BTC')).json());
    expect(lenient).toMatchObject({ modelAgeDays: 190, expiryDays: 365, expiresAt: '2024-12-31T00:00:00.000Z', expired: false, drift: summary.drift });
  });

  it('answers 404 naming the symbol and horizon before any publish stored one, and 400 on a bad symbol or horizon', async () => {
    const missing = await app().request('/v1/monitoring/ETH?horizon=7');
    expect(missing.status).toBe(404);
    expect(ErrorSchema.parse(await missing.json()).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('"ETH" at 7 days') });
    for (const bad of ['/v1/monitoring/BT-C', '/v1/monitoring/BTC?horizon=0', '/v1/monitoring/BTC?horizon=x']) expect((await app().request(bad)).status).toBe(400);
  });

  it('on the Worker (KV store) answers what PUT /v1/admin/monitoring pushed, as the Node API does, and 404 before a push', async () => {
    const kv = new KvStore(memoryKv());
    const edge = createApp({ store: kv, cache: new MemoryCache(), config: { rateLimit: null, apiToken: TOKEN }, logError: () => {}, admin: kv, artifacts: kv, nowMs: AT_COMPUTE });
    expect((await edge.request('/v1/monitoring/BTC?horizon=7')).status).toBe(404);
    const stored = (await new DrizzleStore(db).monitoringSummary('BTC', 7))!;
    const put = (symbol: string, body: unknown, token = TOKEN) => edge.request(`/v1/admin/monitoring/${symbol}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('BTC', { summaries: [stored] }, 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await put('ETH', { summaries: [stored] })).status).toBe(400); // BTC's summary under ETH
    expect((await put('BTC', { summaries: [stored, stored] })).status).toBe(400); // two at one horizon
    expect((await put('BTC', { summaries: [{ ...stored, drift: { ...stored.drift, reference: 'other' } }] })).status).toBe(400);
    expect(await (await put('BTC', { summaries: [stored] })).json()).toEqual({ symbol: 'BTC', summaries: 1 });
    expect(await (await edge.request('/v1/monitoring/BTC?horizon=7')).json()).toEqual(await (await app().request('/v1/monitoring/BTC?horizon=7')).json());
    expect((await edge.request('/v1/monitoring/BTC?horizon=14')).status).toBe(404);
  });

  it('is in the OpenAPI document with its parameters, its answer schema and its errors', async () => {
    const doc = (await (await app().request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/monitoring/{symbol}']?.get;
    expect(op?.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:symbol', 'query:horizon']);
    expect(Object.keys(op!.responses).sort()).toEqual(['200', '304', '400', '404', '429', '503']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['MonitoringSummary', 'FeatureDrift']));
  });
});
