// Local HTTP servers on 127.0.0.1 speaking the documented public APIs of Binance (GET /api/v3/ping, /api/v3/klines,
// /api/v3/exchangeInfo) and CoinGecko (GET /api/v3/ping, /api/v3/coins/markets, /api/v3/coins/{id}/market_chart), for tests of what the product
// asks them; and a CoinGecko market-list entry with its 7-day hourly prices. One fake of each, shared by the tests.
import { makeRng, randomNormal, type Candle } from '@coinsphere/model/core';
import { createServer, type Server } from 'node:http';

const DAY = 86_400_000;

/** Listens on a free port of 127.0.0.1; resolves with the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/**
 * Binance's ping, klines (closed and open bars alike: the client drops the open ones) and exchangeInfo, for the
 * `<SYM>USDT` pairs of `bySymbol` (each TRADING); `asked` (when given) records each path and query.
 */
export function binanceServer(bySymbol: ReadonlyMap<string, readonly Candle[]>, asked?: string[]): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    asked?.push(url.pathname + url.search);
    const ok = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v3/ping') return ok({});
    if (url.pathname === '/api/v3/exchangeInfo') {
      return ok({ timezone: 'UTC', serverTime: Date.now(), symbols: [...bySymbol.keys()].map((s) => ({ symbol: `${s}USDT`, status: 'TRADING', baseAsset: s, quoteAsset: 'USDT', isSpotTradingAllowed: true })) });
    }
    const candles = bySymbol.get((url.searchParams.get('symbol') ?? '').replace(/USDT$/, ''));
    if (url.pathname !== '/api/v3/klines' || !candles) return void res.writeHead(400).end('{"code":-1121,"msg":"Invalid symbol."}');
    const start = Number(url.searchParams.get('startTime'));
    const rows = candles.filter((c) => c.openTimeMs >= start).slice(0, Number(url.searchParams.get('limit') ?? 500))
      .map((c) => [c.openTimeMs, String(c.open), String(c.high), String(c.low), String(c.close), String(c.baseVolume), c.openTimeMs + DAY - 1, String(c.quoteVolumeUsd), 1, '0', '0', '0']);
    ok(rows);
  });
}

/** What the fake CoinGecko answers to /api/v3/coins/markets: a status and a JSON body. */
export type MarketsAnswer = { status: number; body: unknown };

/**
 * CoinGecko's ping, markets (the answer `markets()` gives, so a test can change it) and the daily market_chart of the
 * coin ids in `charts` (each close stamped at the next day's 00:00, as CoinGecko does); other paths 404.
 */
export function coingeckoServer(markets: () => MarketsAnswer, opts: { asked?: string[]; charts?: ReadonlyMap<string, readonly Candle[]> } = {}): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    opts.asked?.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v3/ping') return send(200, { gecko_says: '(V3) To the Moon!' });
    if (url.pathname === '/api/v3/coins/markets') {
      const { status, body } = markets();
      return send(status, body);
    }
    const chart = /^\/api\/v3\/coins\/([^/]+)\/market_chart$/.exec(url.pathname);
    const candles = chart ? opts.charts?.get(decodeURIComponent(chart[1]!)) : undefined;
    if (candles) {
      const points = (value: (c: Candle) => number | null) => candles.map((c) => [c.openTimeMs + DAY, value(c)]);
      return send(200, { prices: points((c) => c.close), market_caps: points((c) => c.marketCapUsd), total_volumes: points((c) => c.quoteVolumeUsd) });
    }
    send(404, { error: 'coin not found' });
  });
}

/** A hand-made coin of the market list: its 7-day hourly prices follow `path` (168 relative moves, 1 = flat) from `price`. */
export interface MarketCoin {
  id: string;
  symbol: string;
  name: string;
  marketCapUsd: number;
  price: number;
  path: readonly number[];
}

/** 168 hourly relative prices of a random walk with `dailyVol` per day (a stablecoin: 0.001; a coin: 0.03). */
export function hourlyPath(dailyVol: number, seed: number): number[] {
  const rng = makeRng(seed);
  let level = 1;
  return Array.from({ length: 168 }, () => (level *= Math.exp((dailyVol / Math.sqrt(24)) * randomNormal(rng))));
}

/** The markets entries of `coins`, in CoinGecko's documented shape, ranked in the given order. */
export function marketsBody(coins: readonly MarketCoin[]): unknown[] {
  return coins.map((c, i) => ({
    id: c.id, symbol: c.symbol.toLowerCase(), name: c.name, image: `https://example.invalid/${c.id}.png`,
    current_price: c.price * c.path.at(-1)!, market_cap: c.marketCapUsd, market_cap_rank: i + 1, total_volume: c.marketCapUsd / 30,
    price_change_percentage_24h: 0, last_updated: new Date().toISOString(),
    sparkline_in_7d: { price: c.path.map((p) => c.price * p) },
  }));
}
