// GET /v1/candles/{symbol}?source= through app.request() over a real PGlite store holding one symbol from two
// sources: without `source` the longest history answers, with it exactly the asked series (what the dashboard
// needs to feed its model the candles the model was trained on); an unknown source is a 404 naming the real ones.
import { openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app.ts';
import { MemoryCache } from '@coinsphere/serving';
import { DrizzleStore } from '@coinsphere/serving/node';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

let dir: string;
let db: Database;
let deps: AppDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-api-candles-'));
  db = await openDatabase(join(dir, 'db'));
  // BTC: 'long-history' has 30 days at ~100, 'binance' the last 10 of them at ~200, so the two never look alike.
  const row = (source: string, i: number, close: number) => ({ symbol: 'BTC', interval: '1d' as const, source, openTimeMs: T0 + i * DAY, open: null, high: null, low: null, close, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null });
  await upsertCandles(db, [
    ...Array.from({ length: 30 }, (_, i) => row('long-history', i, 100 + i)),
    ...Array.from({ length: 10 }, (_, i) => row('binance', 20 + i, 200 + i)),
  ]);
  deps = { store: new DrizzleStore(db), cache: new MemoryCache(), config: { rateLimit: null }, logError: () => {} };
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Body = { candles: Array<{ openTimeMs: number; close: number }> };
const range = 'from=2024-01-01&to=2024-02-01';

describe('GET /v1/candles/{symbol}?source=', () => {
  it('reads the longest history by default and exactly the asked source with ?source=', async () => {
    const app = createApp(deps);
    const byDefault = (await (await app.request(`/v1/candles/BTC?${range}`)).json()) as Body;
    expect(byDefault.candles.map((k) => k.close)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    const res = await app.request(`/v1/candles/BTC?${range}&source=binance`);
    expect(res.status).toBe(200);
    const binance = (await res.json()) as Body;
    expect(binance.candles.map((k) => k.close)).toEqual(Array.from({ length: 10 }, (_, i) => 200 + i));
    expect(binance.candles[0]!.openTimeMs).toBe(T0 + 20 * DAY);
    // Different bodies, different ETags: a cached default never answers for a source.
    expect(res.headers.get('etag')).not.toBe((await app.request(`/v1/candles/BTC?${range}`)).headers.get('etag'));
    // A known source with nothing in the range is an empty list, not an error.
    const empty = await app.request('/v1/candles/BTC?from=2024-01-01&to=2024-01-05&source=binance');
    expect(empty.status).toBe(200);
    expect(((await empty.json()) as Body).candles).toEqual([]);
    // Sources are stored lowercase; the name as a user typed it at ingest finds them too.
    const typed = await app.request(`/v1/candles/BTC?${range}&source=Binance`);
    expect(typed.status).toBe(200);
    expect(((await typed.json()) as Body).candles.map((k) => k.close)).toEqual(binance.candles.map((k) => k.close));
  });

  it('answers 404 naming the sources that exist for an unknown source, and 400 for a malformed one', async () => {
    const app = createApp(deps);
    const unknown = await app.request(`/v1/candles/BTC?${range}&source=coingecko`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'No daily candles of BTC from source "coingecko". Sources with data: binance, long-history.' } });
    expect((await app.request('/v1/candles/DOGE?source=binance')).status).toBe(404);
    for (const bad of ['a.b', 'my exchange', 'x'.repeat(41), '']) {
      const res = await app.request(`/v1/candles/BTC?${range}&source=${encodeURIComponent(bad)}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/source/);
    }
  });
});
