// GET /v1/candles/{symbol}?source= through app.request() over a real PGlite store holding one symbol from two
// sources: without `source` the longest history answers, with it exactly the asked series (what the dashboard
// needs to feed its model the candles the model was trained on); an unknown source is a 404 naming the real ones.
// With interval=1h, the hourly candles of whole UTC days from..to, and a range over MAX_HOURLY_DAYS is refused.
import { openDatabase, upsertCandles, type Database } from '@coinsphere/data';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../app.ts';
import { MemoryCache } from '@coinsphere/serving';
import { DrizzleStore } from '@coinsphere/serving/node';
import { MAX_HOURLY_DAYS } from '@coinsphere/serving/contract';

const DAY = 86_400_000;
const HOUR = 3_600_000;
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
    // Hourly: the last three days (27..29) of January at 1000 + hour, for change_1h.
    ...Array.from({ length: 72 }, (_, i) => ({ ...row('binance', 0, 1000 + i), interval: '1h' as const, openTimeMs: T0 + 27 * DAY + i * HOUR })),
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
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'No daily candles of BTC from source "coingecko". Sources with data: binance, long-history.', requestId: expect.any(String) } });
    expect((await app.request('/v1/candles/DOGE?source=binance')).status).toBe(404);
    for (const bad of ['a.b', 'my exchange', 'x'.repeat(41), '']) {
      const res = await app.request(`/v1/candles/BTC?${range}&source=${encodeURIComponent(bad)}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/source/);
    }
  });
});

describe('GET /v1/candles/{symbol}?interval=1h', () => {
  it('answers the hourly candles of whole UTC days from..to, and the daily ones without it', async () => {
    const app = createApp(deps);
    const res = await app.request('/v1/candles/BTC?interval=1h&from=2024-01-29&to=2024-01-29');
    expect(res.status).toBe(200);
    const day29 = ((await res.json()) as Body).candles;
    expect(day29.map((k) => k.openTimeMs)).toEqual(Array.from({ length: 24 }, (_, h) => T0 + 28 * DAY + h * HOUR)); // 00:00 to 23:00
    expect(day29.map((k) => k.close)).toEqual(Array.from({ length: 24 }, (_, h) => 1024 + h));
    const all = ((await (await app.request(`/v1/candles/BTC?interval=1h&${range}`)).json()) as Body).candles;
    expect(all).toHaveLength(72);
    const daily = ((await (await app.request(`/v1/candles/BTC?interval=1d&${range}`)).json()) as Body).candles;
    expect(daily).toHaveLength(30);
    const none = await app.request('/v1/candles/BTC?interval=1h&from=2024-01-01&to=2024-01-20');
    expect(none.status).toBe(200);
    expect(((await none.json()) as Body).candles).toEqual([]);
  });

  it('refuses a range over MAX_HOURLY_DAYS naming the limit, an unknown interval, and answers 404 for an unknown symbol', async () => {
    const app = createApp(deps);
    expect((await app.request('/v1/candles/BTC?interval=1h&from=2023-01-01&to=2024-02-04')).status).toBe(200); // 400 days: the limit itself
    const wide = await app.request('/v1/candles/BTC?interval=1h&from=2023-01-01&to=2024-02-05');
    expect(wide.status).toBe(400);
    expect(((await wide.json()) as { error: { message: string } }).error.message).toBe(`Hourly candles are served for at most ${MAX_HOURLY_DAYS} days per request, and 2023-01-01..2024-02-05 is 401; narrow from/to.`);
    expect((await app.request(`/v1/candles/BTC?interval=5m&${range}`)).status).toBe(400);
    expect((await app.request(`/v1/candles/DOGE?interval=1h&${range}`)).status).toBe(404);
  });
});
