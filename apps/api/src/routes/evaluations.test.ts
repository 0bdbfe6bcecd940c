// GET /v1/evaluations/{symbol}/{horizon}/latest through app.request() over a real PGlite store: the newest
// evaluation covering the asset and horizon, cut to that asset; 404 that says how to make one; 400 on bad input.
import { openDatabase, saveEvaluation, type Database } from '@coinsphere/data';
import { summarizeImportance } from '@coinsphere/model/core';
import { FeatureImportanceSchema } from '@coinsphere/serving/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app.ts';
import { MemoryCache } from '@coinsphere/serving';
import { DrizzleStore } from '@coinsphere/serving/node';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

/** A horizon's importance as `coinsphere evaluate` summarises it (two features, the second one shuffled at no cost). */
const IMPORTANCE = summarizeImportance([{ fold: '0', dayMs: [0, 1, 2, 3].map((d) => T0 + d * DAY), importance: { features: ['ret_7d', 'rsi_14'], rows: [0, 1, 2, 3], logLoss: [[0.03, 0.05, 0.04, 0.02], [0.01, -0.01, 0, 0]], accuracy: [[0, 1, 0, 0], [0, 0, 0, 0]], repeats: 1 } }], { blockLength: 2, iterations: 50 });

/** A stored result in the shape `coinsphere evaluate` writes, with one marker value per asset and horizon. */
function report(symbols: string[], horizons: number[], tag: string) {
  return {
    generatedAt: new Date(T0).toISOString(),
    preset: 'quick',
    config: { foldDays: 60, trading: { feeBps: 10, slippageBps: 5 } },
    data: Object.fromEntries(symbols.map((s) => [s, { source: 'synthetic', first: '2020-01-01', last: '2021-10-01', days: 640 }])),
    horizons: horizons.map((h) => ({
      horizonDays: h,
      assets: Object.fromEntries(symbols.map((s) => [s, { symbol: s, horizonDays: h, marker: `${tag}:${s}:${h}`, folds: [{ index: 0 }] }])),
      pooledAssets: { n: 1 },
      ...(tag === 'new' ? { importance: IMPORTANCE } : {}),
    })),
    targets: symbols.flatMap((s) => horizons.map((h) => ({ symbol: s, horizonDays: h, metric: 'accuracy', target: '>= 72%', measured: 0.5, lower: 0.4, upper: 0.6, pass: false }))),
    notes: ['how to read it'],
  };
}

let dir: string;
let db: Database;
let deps: AppDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-eval-'));
  db = await openDatabase(join(dir, 'db'));
  const save = (symbols: string[], horizons: number[], tag: string, ms: number) =>
    saveEvaluation(db.orm, { symbols, horizons, config: { tag }, report: report(symbols, horizons, tag), createdAtMs: ms });
  await save(['BTC', 'ETH'], [7, 14], 'old', T0);
  await save(['BTC'], [7], 'new', T0 + 60_000);
  deps = { store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} };
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/evaluations/{symbol}/{horizon}/latest', () => {
  it('serves the newest evaluation of the asset and horizon, cut to that asset, with caching headers and 304', async () => {
    const app = createApp(deps);
    const res = await app.request('/v1/evaluations/btc/7/latest');
    expect(res.status).toBe(200);
    const { evaluation } = (await res.json()) as { evaluation: Record<string, unknown> & { asset: { marker: string }; targets: Array<{ symbol: string; horizonDays: number }> } };
    expect(evaluation).toMatchObject({ symbols: ['BTC'], horizons: [7], config: { tag: 'new' }, preset: 'quick', createdAt: new Date(T0 + 60_000).toISOString(), data: { BTC: { source: 'synthetic' } }, notes: ['how to read it'] });
    expect(evaluation.asset.marker).toBe('new:BTC:7');
    expect(evaluation.importance).toEqual(IMPORTANCE); // the horizon's, over every asset of the run
    expect((evaluation.importance as typeof IMPORTANCE)!.features.map((f) => f.name)).toEqual(['ret_7d', 'rsi_14']);
    expect(FeatureImportanceSchema.parse(evaluation.importance)).toEqual(IMPORTANCE); // as the contract describes it
    expect(evaluation.targets.map((t) => `${t.symbol} ${t.horizonDays}`)).toEqual(['BTC 7']);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await app.request('/v1/evaluations/BTC/7/latest', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);

    // An older evaluation still answers for what the newer one did not cover.
    const eth = (await (await app.request('/v1/evaluations/ETH/14/latest')).json()) as { evaluation: { asset: { marker: string }; data: Record<string, unknown> } };
    expect(eth.evaluation.asset.marker).toBe('old:ETH:14');
    expect((eth.evaluation as { importance?: unknown }).importance).toBeNull(); // run before importance was measured
    expect(Object.keys(eth.evaluation.data)).toEqual(['ETH']);
  });

  it('answers 404 naming the command that makes one, and 400 for a bad symbol or horizon', async () => {
    const app = createApp(deps);
    const missing = await app.request('/v1/evaluations/SOL/7/latest');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No evaluation of SOL at horizon 7 days yet. Run one: npx coinsphere evaluate --symbols SOL --horizon 7', requestId: expect.any(String) } });
    expect((await app.request('/v1/evaluations/BTC/30/latest')).status).toBe(404);
    // ?missing=empty: the dashboard's normal state, a 200 without an evaluation (no 404 in the browser's console)
    const empty = await app.request('/v1/evaluations/SOL/7/latest?missing=empty');
    expect([empty.status, await empty.json()]).toEqual([200, { evaluation: null }]);
    expect((await app.request('/v1/evaluations/SOL/7/latest?missing=never')).status).toBe(400);
    for (const url of ['/v1/evaluations/BT$C/7/latest', '/v1/evaluations/BTC/0/latest', '/v1/evaluations/BTC/seven/latest']) {
      const res = await app.request(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
  });

  it('answers 503 when the store is unreachable', async () => {
    const down = Object.create(deps.store) as DrizzleStore;
    down.latestEvaluation = () => Promise.reject(new Error('connection refused'));
    const res = await createApp({ ...deps, store: down }).request('/v1/evaluations/BTC/7/latest');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  });
});
