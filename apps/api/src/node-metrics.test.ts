// GET /metrics and the request log of the real Node entry (node.ts over PGlite, on a port): requests sent through
// HTTP move the counters by exactly what was sent, under the route's pattern whether the fast path or Hono answered,
// random paths collapse into one `unmatched` series, and the text parses with a Prometheus text-format parser
// (prom2javascript). The request id is the client's when sane, echoed in the header, the error body and the log line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { openDatabase, registerModel, saveMonitoringSummaries, upsertCandles, type Database } from '@coinsphere/data';
import { makeSyntheticCandles } from '@coinsphere/model/core';
import { getMetricsFromStream, type PromData, type PromHistogramData, type PromMetrics } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiEnv } from './env.ts';
import { startNodeServer, type NodeServer } from './node.ts';
import { createLogger, requestLogger, ROUTINE_MAX_MS } from './node/request-log.ts';

const TOKEN = 'metrics-api-token-0123456789';
const METRICS_TOKEN = 'metrics-scrape-token-0123456789';
const LATEST = '/v1/predictions/{symbol}';
const PREDICTION = { symbol: 'BTC', horizonDays: 7, asOf: '2024-06-01', class: 'bullish', probabilities: { bearish: 0.21, neutral: 0.3, bullish: 0.49 }, confidence: 0.49, modelVersion: 'v1', placeholders: [], signal: 'clear', band: null, createdAt: '2024-06-01T00:05:00.000Z' };
const CREATED_MS = Date.UTC(2024, 5, 1);

let dir: string;
let db: Database;
let server: NodeServer;
const logLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-metrics-'));
  db = await openDatabase(join(dir, 'db'));
  const candles = makeSyntheticCandles(30, 7, { startMs: Date.UTC(2024, 4, 1) }); // an asset is listed (and its model served) once it has candles
  await upsertCandles(db, candles.map((k) => ({ ...k, symbol: 'BTC', interval: '1d' as const, source: 'synthetic' })));
  await registerModel(db.orm, { symbol: 'BTC', horizonDays: 7, version: 'v1', location: 'artifacts/BTC/7d/v1', digest: 'd', metrics: {}, metadata: {}, createdAtMs: CREATED_MS });
  // a monitoring summary as publish stores it: the server reads it into the drift gauges when it starts
  const drift = { recentDays: 90, nRows: 90, reference: 'asset', features: [{ feature: 'ret_1d', psi: 0.04, level: 'stable' }, { feature: 'log_vol_30d', psi: 0.41, level: 'drift' }] };
  const summary = { symbol: 'ETH', horizonDays: 14, modelVersion: 'v1', trainedAt: '2024-06-01T00:00:00.000Z', modelAgeDays: 1, expiryDays: 90, expiresAt: '2024-08-30T00:00:00.000Z', expired: false, trainingDistribution: true, drift, driftNote: null, drifting: ['log_vol_30d'], newestPrediction: null, computedAt: '2024-06-02T00:00:00.000Z' };
  await saveMonitoringSummaries(db, [{ symbol: 'ETH', horizonDays: 14, summary, computedAtMs: Date.UTC(2024, 5, 2) }]);
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
  const env = { ...parseApiEnv({ COINSPHERE_API_TOKEN: TOKEN, METRICS_TOKEN, RATE_LIMIT_BURST: '0', CACHE_FRESH_SECONDS: '3600', PREDICT_THREADS: '1' }), port: 0 };
  server = await startNodeServer({ db, env, logDestination: destination });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

async function scrape(): Promise<PromMetrics> {
  const res = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  // prom2javascript reads no NaN sample (the format allows one: the event loop's lag before its first sample is NaN),
  // so those lines are held to the format's sample grammar here and the parser reads the rest; it rejects a bad line
  const nan = /^[a-zA-Z_:][\w:]*(\{[^}]*\})? NaN$/;
  const lines = text.split('\n');
  for (const line of lines.filter((l) => / Na[Nn]$/.test(l))) expect(line).toMatch(nan);
  return getMetricsFromStream(Readable.from([lines.filter((l) => !nan.test(l)).join('\n')]));
}

/** The value of `name`'s series whose labels include `labels` (0 when there is none). */
function value(m: PromMetrics, name: string, labels: Record<string, string> = {}): number {
  const series = (m[name]?.data ?? []) as PromData[];
  return series.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? 0;
}

describe('GET /metrics on the Node entry', () => {
  it('counts requests by route pattern, fast path and Hono alike, with latency, cache reads, the pool and model age', async () => {
    const before = await scrape();
    const published = await fetch(`${server.url}/v1/predictions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ predictions: [PREDICTION] }) });
    expect(published.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get('/v1/predictions/BTC')).status).toBe(200); // the fast path's cached read
    expect((await get('/v1/predictions/BTC?horizon=7&x=1')).status).toBe(200); // a query the fast path leaves to Hono's route
    expect((await get('/v1/predictions/ETH')).status).toBe(404); // no prediction: the route's own 404
    const m = await scrape();

    const delta = (labels: Record<string, string>) => value(m, 'http_requests_total', labels) - value(before, 'http_requests_total', labels);
    expect(delta({ route: LATEST, method: 'GET', status: '200' })).toBe(4);
    expect(delta({ route: LATEST, method: 'GET', status: '404' })).toBe(1);
    expect(delta({ route: '/v1/predictions', method: 'POST', status: '200' })).toBe(1);
    expect(value(m, 'http_requests_total', { route: '/metrics', method: 'GET', status: '200' })).toBe(1); // the first scrape
    const latency = (m.http_request_duration_seconds?.data ?? []) as PromHistogramData[];
    const latest = latency.find((s) => s.labels.route === LATEST && s.labels.method === 'GET')!;
    expect(latest.count).toBe(5);
    expect(latest.buckets['+Inf']).toBe(5);
    expect(latest.sum).toBeGreaterThan(0);

    const hits = value(m, 'coinsphere_cache_reads_total', { result: 'hit' });
    const misses = value(m, 'coinsphere_cache_reads_total', { result: 'miss' });
    expect(hits).toBeGreaterThanOrEqual(4); // each BTC read found the published entry
    expect(misses).toBeGreaterThanOrEqual(1); // ETH's did not
    expect(value(m, 'coinsphere_cache_hit_ratio')).toBeCloseTo(hits / (hits + misses), 12);
    expect(value(m, 'coinsphere_predict_queue_depth')).toBe(0);
    expect(value(m, 'coinsphere_predict_in_flight')).toBe(0);
    expect(value(m, 'coinsphere_predict_threads')).toBe(1);
    expect(value(m, 'coinsphere_predict_shed_total')).toBe(0);
    const age = value(m, 'coinsphere_model_age_seconds', { symbol: 'BTC', horizon: '7', version: 'v1' });
    expect(age).toBeGreaterThan((Date.now() - CREATED_MS) / 1000 - 60);
    expect(age).toBeLessThanOrEqual((Date.now() - CREATED_MS) / 1000);
    expect(m.process_cpu_user_seconds_total?.type).toBe('counter'); // prom-client's process metrics
  });

  it('keeps one unmatched series however many random paths are asked for', async () => {
    const before = await scrape();
    const paths = Array.from({ length: 30 }, (_, i) => (i % 2 ? `/v1/nope-${i}/${Math.random().toString(36).slice(2)}` : `/random-${i}-${Math.random().toString(36).slice(2)}`));
    for (const p of paths) expect((await get(p)).status).toBe(404);
    for (const method of ['PROPFIND', 'MKCOL', 'PURGE']) await fetch(`${server.url}/v1/nope`, { method }); // methods Node's parser knows; it refuses others itself
    const m = await scrape();
    expect(((m.http_requests_total?.data ?? []) as PromData[]).filter((s) => !['GET', 'POST', 'OTHER'].includes(s.labels.method!))).toEqual([]);
    expect(value(m, 'http_requests_total', { route: 'unmatched', method: 'OTHER', status: '404' })).toBe(3);
    expect(value(m, 'http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }) - value(before, 'http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(30);
    const routes = new Set(((m.http_requests_total?.data ?? []) as PromData[]).map((s) => s.labels.route));
    expect([...routes].filter((r) => r?.includes('nope') || r?.includes('random'))).toEqual([]);
    expect(routes.size).toBeLessThan(12);
  });

  it('exposes as drift gauges the monitoring summaries publish stored', async () => {
    const m = await scrape();
    expect(value(m, 'coinsphere_feature_drift_psi', { symbol: 'ETH', horizon: '14', feature: 'log_vol_30d' })).toBe(0.41);
    expect(value(m, 'coinsphere_feature_drift_psi', { symbol: 'ETH', horizon: '14', feature: 'ret_1d' })).toBe(0.04);
  });

  it('exposes the drift gauges the monitor sets', async () => {
    server.metrics!.setFeatureDrift('BTC', 7, [{ feature: 'rsi_14', psi: 0.31 }, { feature: 'log_return', psi: 0.02 }]);
    const m = await scrape();
    expect(value(m, 'coinsphere_feature_drift_psi', { symbol: 'BTC', horizon: '7', feature: 'rsi_14' })).toBe(0.31);
    expect(value(m, 'coinsphere_feature_drift_psi', { symbol: 'BTC', horizon: '7', feature: 'log_return' })).toBe(0.02);
    server.metrics!.setFeatureDrift('BTC', 7, [{ feature: 'rsi_14', psi: 0.05 }]); // a new measure replaces the slot's
    const after = await scrape();
    expect(((after.coinsphere_feature_drift_psi?.data ?? []) as PromData[]).filter((s) => s.labels.symbol === 'BTC').map((s) => [s.labels.feature, s.value])).toEqual([['rsi_14', 0.05]]);
  });

  it('refuses a scrape without METRICS_TOKEN with a JSON 401', async () => {
    const res = await get('/metrics', { authorization: 'Bearer wrong-token-0123456789' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('METRICS_TOKEN'), requestId: res.headers.get('x-request-id') } });
  });
});

describe('the request log and request ids', () => {
  const lineOf = (id: string) => logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === id);

  it("echoes a sane X-Request-Id and writes a JSON line with it, the route pattern, status and duration, at info for what is not a routine read", async () => {
    const fast = await get('/v1/predictions/BTC', { 'x-request-id': 'trace-abc.123' });
    expect(fast.headers.get('x-request-id')).toBe('trace-abc.123');
    const missing = await get('/v1/predictions/ETH', { 'x-request-id': 'trace-404' });
    expect(((await missing.json()) as { error: { requestId: string } }).error.requestId).toBe('trace-404');
    await expect.poll(() => lineOf('trace-404')).toBeTruthy();
    expect(lineOf('trace-404')).toMatchObject({ level: 30, method: 'GET', route: LATEST, status: 404, ms: expect.any(Number), msg: 'request' });
    expect(lineOf('trace-abc.123')).toBeUndefined(); // a routine read: at debug, below this server's LOG_LEVEL (info)
  });

  it('writes routine reads at debug: a line for each with LOG_LEVEL=debug, none at info', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
    const rec = (status: number, durationMs: number, method = 'GET') => ({ requestId: `r-${status}-${durationMs}-${method}`, method, route: LATEST, status, durationMs });
    for (const level of ['debug', 'info'] as const) {
      const log = requestLogger(createLogger(level, sink));
      for (const r of [rec(200, 1), rec(304, 2), rec(200, ROUTINE_MAX_MS + 1), rec(404, 1), rec(200, 1, 'POST')]) log.request(r);
    }
    const seen = lines.map((l) => JSON.parse(l) as { reqId: string; level: number });
    expect(seen.map((l) => [l.reqId, l.level])).toEqual([
      ['r-200-1-GET', 20], ['r-304-2-GET', 20], [`r-200-${ROUTINE_MAX_MS + 1}-GET`, 30], ['r-404-1-GET', 30], ['r-200-1-POST', 30], // debug: all
      [`r-200-${ROUTINE_MAX_MS + 1}-GET`, 30], ['r-404-1-GET', 30], ['r-200-1-POST', 30], // info: all but the routine reads
    ]);
  });

  it('replaces an id that is too long or has unsafe characters with a generated one', async () => {
    for (const bad of ['x'.repeat(129), 'a b', 'id"}{']) {
      const res = await get('/v1/health', { 'x-request-id': bad });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    }
    const generated = (await get('/v1/predictions/NOPE')).headers.get('x-request-id')!; // a 404: logged at info
    expect(generated).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    await expect.poll(() => lineOf(generated)).toBeTruthy();
  });

  it('never writes a token, a query string or a body into the log', async () => {
    await get('/v1/predictions/BTC?horizon=7', { authorization: `Bearer ${TOKEN}` });
    await fetch(`${server.url}/v1/predictions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{"predictions":[{"secret-body-marker":1}]}' });
    await expect.poll(() => logLines.some((l) => l.includes('"status":400'))).toBe(true);
    const all = logLines.join('\n');
    for (const secret of [TOKEN, METRICS_TOKEN, 'secret-body-marker', 'horizon=7']) expect(all).not.toContain(secret);
  });
});
