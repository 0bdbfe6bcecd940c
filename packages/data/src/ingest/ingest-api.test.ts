// Binance and CoinGecko clients against a local HTTP server on 127.0.0.1 speaking each API's documented format
// (klines arrays; market_chart {prices, market_caps, total_volumes}), including 429 with Retry-After, 5xx and
// error bodies. Writes go to PGlite; the same queries run on PostgreSQL in candles.int.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCandles } from '../candles.ts';
import type { Database } from '../database.ts';
import { openDatabase } from '../open-database.ts';
import { getJson, retryAfterMs } from './http-json.ts';
import { ingestFromBinance, ingestFromCoingecko } from './ingest-api.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2021, 0, 1);
const NOW = T0 + 2500 * DAY + 5 * 3_600_000; // day 2500, 05:00: bar 2500 is still open

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler;
const requests: string[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Binance klines for BTCUSDT: one bar a day from T0 up to and including the open one at NOW. */
const binance: Handler = (_req, url, res) => {
  if (url.pathname !== '/api/v3/klines') return json(res, 404, { code: -1, msg: 'not found' });
  if (url.searchParams.get('symbol') !== 'BTCUSDT') return json(res, 400, { code: -1121, msg: 'Invalid symbol.' });
  const start = Number(url.searchParams.get('startTime'));
  const limit = Number(url.searchParams.get('limit'));
  const out: unknown[] = [];
  for (let t = Math.max(start, T0); t <= T0 + 2500 * DAY && out.length < limit; t += DAY) {
    const i = (t - T0) / DAY;
    const c = 100 + (i % 50);
    out.push([t, String(c - 1), String(c + 2), String(c - 2), String(c), '10.5', t + DAY - 1, String(10.5 * c), 42, '5', '50', '0']);
  }
  json(res, 200, out);
};

function chart(days: number): { prices: number[][]; market_caps: number[][]; total_volumes: number[][] } {
  const stamps = Array.from({ length: days }, (_, i) => T0 + (i + 1) * DAY);
  stamps.push(T0 + days * DAY + 5 * 3_600_000); // "now" point during the last day: provisional
  return {
    prices: stamps.map((t, i) => [t, 1000 + i]),
    market_caps: stamps.map((t, i) => [t, i === 0 ? 0 : 1e9 + i]),
    total_volumes: stamps.map((t, i) => [t, 5e6 + i]),
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    handler(req, url, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  requests.length = 0;
});

describe('getJson retries', () => {
  it('honours Retry-After on 429, backs off on 503, then returns the JSON', async () => {
    let calls = 0;
    handler = (_req, _url, res) => {
      calls++;
      if (calls === 1) return json(res, 429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '7' });
      if (calls === 2) return json(res, 503, { msg: 'busy' });
      json(res, 200, { ok: true });
    };
    const waits: number[] = [];
    const body = await getJson(`${baseUrl}/x`, { baseDelayMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(body).toEqual({ ok: true });
    expect(waits).toEqual([7000, 20]); // Retry-After in seconds, then the doubled backoff
  });

  it('gives up after the retries with a message naming the URL and the last status', async () => {
    handler = (_req, _url, res) => json(res, 500, { msg: 'down' });
    await expect(getJson(`${baseUrl}/down`, { retries: 2, sleep: async () => undefined })).rejects.toThrow(/failed after 3 tries \(last: status 500\)/);
  });

  it('times out a silent server', async () => {
    handler = () => undefined; // never answers
    await expect(getJson(`${baseUrl}/silent`, { retries: 0, timeoutMs: 100 })).rejects.toThrow(/no answer within 100 ms/);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs(null)).toBeNull();
  });
});

describe('API ingest', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-api-'));
    db = await openDatabase(join(dir, 'db'));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages Binance klines from --since, drops the open bar, and fetches only newer bars next time', async () => {
    let limited = false;
    handler = (req, url, res) => {
      if (!limited) {
        limited = true;
        return json(res, 429, { code: -1003, msg: 'Too much request weight used' }, { 'retry-after': '1' });
      }
      binance(req, url, res);
    };
    const waits: number[] = [];
    const http = { sleep: async (ms: number) => void waits.push(ms) };
    const [first] = await ingestFromBinance(db, { symbols: ['btc'], sinceMs: T0, baseUrl, nowMs: NOW, http });
    expect(waits).toEqual([1000]);
    expect(first).toMatchObject({ symbol: 'BTC', source: 'binance', fetched: 2500, written: { inserted: 2500, updated: 0, unchanged: 0 } });
    expect(requests.filter((r) => r.startsWith('/api/v3/klines')).length).toBe(4); // 429 + 3 pages of ≤1000
    const read = await readCandles(db, { symbol: 'BTC', interval: '1d', source: 'binance' });
    expect(read.candles.at(-1)?.openTimeMs).toBe(T0 + 2499 * DAY);
    expect(read.candles[0]).toMatchObject({ openTimeMs: T0, open: 99, high: 102, low: 98, close: 100, baseVolume: 10.5, quoteVolumeUsd: 1050 });

    requests.length = 0;
    const [next] = await ingestFromBinance(db, { symbols: ['BTC'], baseUrl, nowMs: NOW + DAY, http });
    expect(requests).toEqual([`/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=${T0 + 2500 * DAY}&limit=1000`]);
    expect(next).toMatchObject({ fetched: 1, written: { inserted: 1, updated: 0, unchanged: 0 } });
  });

  it('names the bad symbol from Binance\'s error body', async () => {
    handler = binance;
    await expect(ingestFromBinance(db, { symbols: ['NOPE'], baseUrl, sinceMs: T0, nowMs: NOW })).rejects.toThrow(/Binance refused NOPEUSDT 1d: Invalid symbol\. \(code -1121\)/);
  });

  it('refuses a symbol that breaks the symbol rule before asking either API', async () => {
    handler = binance;
    const before = requests.length;
    await expect(ingestFromBinance(db, { symbols: ['BTC', '<img src=x>'], baseUrl, sinceMs: T0, nowMs: NOW })).rejects.toThrow(/Bad --symbols entry: symbol "<img src=x>" is not a ticker: it should be 1 to 15 letters or digits/);
    await expect(ingestFromCoingecko(db, { symbols: ['../../x'], baseUrl, coingeckoIds: { '../../X': 'x' }, nowMs: NOW })).rejects.toThrow(/symbol "\.\.\/\.\.\/x" is not a ticker/);
    expect(requests.length).toBe(before);
  });

  it('merges CoinGecko prices, market caps and volumes by UTC day, a day earlier, without the provisional point', async () => {
    let limited = false;
    handler = (_req, url, res) => {
      if (!limited) {
        limited = true;
        return json(res, 429, { status: { error_code: 429, error_message: "You've exceeded the Rate Limit." } }, { 'retry-after': '2' });
      }
      if (url.pathname !== '/api/v3/coins/bitcoin/market_chart') return json(res, 404, { error: 'coin not found' });
      json(res, 200, chart(10));
    };
    const waits: number[] = [];
    const [report] = await ingestFromCoingecko(db, { symbols: ['BTC'], baseUrl, http: { sleep: async (ms) => void waits.push(ms) }, nowMs: T0 + 10 * DAY });
    expect(waits).toEqual([2000]);
    expect(requests.at(-1)).toBe('/api/v3/coins/bitcoin/market_chart?vs_currency=usd&days=max&interval=daily');
    expect(report).toMatchObject({ source: 'coingecko', candles: 10 });
    const read = await readCandles(db, { symbol: 'BTC', interval: '1d', source: 'coingecko' });
    expect(read.candles[0]).toEqual({ openTimeMs: T0, open: null, high: null, low: null, close: 1000, baseVolume: null, quoteVolumeUsd: 5e6, marketCapUsd: null });
    expect(read.candles.at(-1)).toMatchObject({ openTimeMs: T0 + 9 * DAY, close: 1009, marketCapUsd: 1e9 + 9 });

    await expect(ingestFromCoingecko(db, { symbols: ['ETH'], baseUrl, coingeckoIds: { ETH: 'nothing' } })).rejects.toThrow(/CoinGecko refused nothing: no coin with id "nothing"/);
  });
});
