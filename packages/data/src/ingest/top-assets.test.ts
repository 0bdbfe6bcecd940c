// The top 20 against local servers speaking CoinGecko's markets and Binance's exchangeInfo (tests/support/market-servers.ts):
// stablecoins, a wrapped, a staked and a bridged-by-price copy, and a coin Binance does not list are left out with
// their reasons; a failing or odd CoinGecko gives the static list with the problem named; offline, the held assets.
import { makeSyntheticCandles, type Candle } from '@coinsphere/model/core';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceServer, coingeckoServer, hourlyPath, listen, marketsBody, type MarketCoin, type MarketsAnswer } from '../../../../tests/support/market-servers.ts';
import { upsertCandles } from '../candles.ts';
import { openDatabase } from '../open-database.ts';
import { KNOWN_ASSETS } from './known-assets.ts';
import { describeTopAssets, fetchTopAssets, STATIC_TOP_ASSETS, topHeldAssets } from './top-assets.ts';

const btc = hourlyPath(0.03, 1);
const eth = hourlyPath(0.04, 2);
const coin = (symbol: string, name: string, cap: number, price: number, path: readonly number[], id = name.toLowerCase().replace(/ /g, '-')): MarketCoin => ({ id, symbol, name, marketCapUsd: cap, price, path });
let seed = 10;
const plain = (symbol: string, name: string, cap: number, price = 5) => coin(symbol, name, cap, price, hourlyPath(0.04, seed++));
const stable = (symbol: string, name: string, cap: number) => coin(symbol, name, cap, 1, hourlyPath(0.0005, seed++));
const copyOf = (path: readonly number[], ratio: number) => hourlyPath(0.0003, seed++).map((n, i) => path[i]! * ratio * n);

/** CoinGecko's top 28 as this test sees them, largest first. */
const COINS: MarketCoin[] = [
  coin('BTC', 'Bitcoin', 1.8e12, 90_000, btc), coin('ETH', 'Ethereum', 4e11, 3000, eth), stable('USDT', 'Tether', 1.8e11),
  plain('XRP', 'XRP', 1.2e11, 2), plain('BNB', 'BNB', 1.1e11, 900), plain('SOL', 'Solana', 8e10, 140), stable('USDC', 'USDC', 7.5e10),
  coin('STETH', 'Lido Staked Ether', 2.5e10, 3000, copyOf(eth, 1), 'staked-ether'), plain('TRX', 'TRON', 2.4e10, 0.28), plain('DOGE', 'Dogecoin', 2.2e10, 0.14),
  plain('ADA', 'Cardano', 1.5e10, 0.98), // near $1 but moving 4% a day: a coin, not a stablecoin
  coin('WBTC', 'Wrapped Bitcoin', 1.1e10, 90_000, copyOf(btc, 1), 'wrapped-bitcoin'), plain('HYPE', 'Hyperliquid', 1e10, 30), plain('LINK', 'Chainlink', 9e9, 13),
  coin('RETH', 'Rocket Pool ETH', 8e9, 3400, copyOf(eth, 1.13), 'rocket-pool-eth'), // no telling word in its name: found by its price path
  plain('BCH', 'Bitcoin Cash', 7.9e9, 500), plain('XLM', 'Stellar', 7.8e9, 0.25), stable('DAI', 'Dai', 5e9), plain('ZEC', 'Zcash', 4.9e9, 300),
  plain('SUI', 'Sui', 4.8e9, 1.6), plain('HBAR', 'Hedera', 4.7e9, 0.13), plain('LTC', 'Litecoin', 4.6e9, 80), plain('AVAX', 'Avalanche', 4.5e9, 13),
  plain('SHIB', 'Shiba Inu', 4.4e9, 0.000008), plain('TON', 'Toncoin', 4.3e9, 1.6), plain('DOT', 'Polkadot', 4.2e9, 2.1), plain('UNI', 'Uniswap', 4.1e9, 5.5),
  plain('NEAR', 'NEAR Protocol', 4e9, 1.7),
];
const EXPECTED = ['BTC', 'ETH', 'XRP', 'BNB', 'SOL', 'TRX', 'DOGE', 'ADA', 'LINK', 'BCH', 'XLM', 'ZEC', 'SUI', 'HBAR', 'LTC', 'AVAX', 'SHIB', 'TON', 'DOT', 'UNI'];
/** Binance lists every coin but HYPE (USDC and WBTC too: the rules, not a missing pair, leave those out). */
const ON_BINANCE = new Map<string, Candle[]>(COINS.filter((c) => c.symbol !== 'HYPE').map((c) => [c.symbol, []]));

describe('fetchTopAssets', () => {
  let answer: () => MarketsAnswer = () => ({ status: 200, body: marketsBody(COINS) });
  const asked: string[] = [];
  const servers: Server[] = [coingeckoServer(() => answer(), { asked }), binanceServer(ON_BINANCE)];
  let coingeckoBaseUrl: string;
  let binanceBaseUrl: string;
  const fast = { baseDelayMs: 1 };
  beforeAll(async () => {
    [coingeckoBaseUrl, binanceBaseUrl] = await Promise.all(servers.map(listen)) as [string, string];
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('keeps the 20 largest with a Binance USDT pair in market-cap order, leaving out stablecoins, copies and unlisted coins with why', async () => {
    const top = await fetchTopAssets({ coingeckoBaseUrl, binanceBaseUrl, http: fast });
    expect(asked).toContain('/api/v3/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=60&page=1&sparkline=true');
    expect(top.from).toBe('coingecko');
    expect(top.fallback).toBeUndefined();
    expect(top.symbols).toEqual(EXPECTED);
    expect(top.leftOut.map((l) => [l.symbol, l.reason])).toEqual([
      ['USDT', 'stablecoin'], ['USDC', 'stablecoin'], ['STETH', 'wrapped'], ['WBTC', 'wrapped'], ['HYPE', 'no-binance-pair'], ['RETH', 'wrapped'], ['DAI', 'stablecoin'],
    ]);
    const detail = Object.fromEntries(top.leftOut.map((l) => [l.symbol, l.detail]));
    expect(detail.USDT).toMatch(/^7-day median close \$1\.0\d\d, daily volatility 0\.\d\d%$/);
    expect(detail.STETH).toBe('its name "Lido Staked Ether" says staked');
    expect(detail.WBTC).toBe('its name "Wrapped Bitcoin" says wrapped');
    expect(detail.RETH).toMatch(/^tracks ETH: return correlation (0\.9\d\d|1\.000) over 167 hours, price ratio within 0\.\d%$/);
    expect(detail.HYPE).toBe('Binance has no trading HYPEUSDT spot pair');
    expect(top.coingeckoIds).toMatchObject({ BTC: 'bitcoin', SUI: 'sui', ZEC: 'zcash', TON: 'toncoin' }); // the market list's ids
    expect(Object.keys(top.coingeckoIds)).toEqual(EXPECTED);
    expect(describeTopAssets(top)).toMatch(/^Top 20 by market cap on CoinGecko with a Binance USDT pair: BTC, ETH, .*, UNI\. Left out: USDT \(stablecoin: 7-day median close .*; HYPE \(no-binance-pair: .*\)/);
  });

  it.each([429, 500])('falls back to the static list, saying so, when CoinGecko answers %i', async (status) => {
    answer = () => ({ status, body: { status: { error_code: status, error_message: 'You\'ve exceeded the Rate Limit.' } } });
    const top = await fetchTopAssets({ coingeckoBaseUrl, binanceBaseUrl, http: fast });
    expect(top.from).toBe('static');
    expect(top.symbols).toEqual(STATIC_TOP_ASSETS);
    expect(top.fallback).toMatch(new RegExp(`^CoinGecko's market list failed: GET http://127\\.0\\.0\\.1:\\d+/api/v3/coins/markets\\?\\S+ failed after 3 tries \\(last: status ${status}\\)\\..*; using the static list of 20 \\(BTC, ETH, .*\\) instead$`));
    expect(describeTopAssets(top)).toBe(`Top 20: ${top.fallback}.`);
    expect(top.coingeckoIds.HBAR).toBe('hedera-hashgraph'); // the static list's ids, for the CoinGecko ingest
  });

  it('refuses a market list in an unexpected shape, naming the field, and uses the static list', async () => {
    const body = marketsBody(COINS) as Array<Record<string, unknown>>;
    body[3] = { ...body[3], market_cap: '120000000000' };
    answer = () => ({ status: 200, body });
    const top = await fetchTopAssets({ coingeckoBaseUrl, binanceBaseUrl, http: fast });
    expect(top.fallback).toMatch(/^CoinGecko's market list failed: CoinGecko answered \S+ in an unexpected shape \(at 3\.market_cap: .*expected number.*\); using the static list of 20 /);
    answer = () => ({ status: 200, body: { coins: [] } });
    expect((await fetchTopAssets({ coingeckoBaseUrl, binanceBaseUrl, http: fast })).fallback).toMatch(/in an unexpected shape \(.*expected array.*\); using the static list/);
  });

  it('uses the static list, naming Binance, when its exchangeInfo does not answer', async () => {
    answer = () => ({ status: 200, body: marketsBody(COINS) });
    const gone = binanceServer(ON_BINANCE);
    const closed = await listen(gone);
    await new Promise((r) => gone.close(r)); // a port that refuses
    const top = await fetchTopAssets({ coingeckoBaseUrl, binanceBaseUrl: closed, http: { retries: 0 } });
    expect(top.from).toBe('static');
    expect(top.fallback).toMatch(/^Binance's exchangeInfo failed: GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/exchangeInfo failed after 1 tries \(last: fetch failed: connect ECONNREFUSED .*\)\. Check the network or --base-url, and try again; using the static list of 20 /);
  });
});

describe('STATIC_TOP_ASSETS', () => {
  it('holds 20 distinct symbols, each with a CoinGecko id to ingest it by', () => {
    expect(new Set(STATIC_TOP_ASSETS).size).toBe(20);
    for (const s of STATIC_TOP_ASSETS) expect(KNOWN_ASSETS[s]?.coingeckoId, s).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('topHeldAssets (offline)', () => {
  it('lists the held coins of the universe, stablecoins left out, in the static order then by market cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-top-held-'));
    const db = await openDatabase(join(dir, 'db'));
    try {
      const series = (symbol: string, source: string, candles: Candle[]) => candles.map((c) => ({ ...c, symbol, interval: '1d' as const, source }));
      const usdt = makeSyntheticCandles(200, 4).map((c, i) => ({ ...c, open: 1, high: 1, low: 1, close: 1 + 0.0001 * (i % 3), marketCapUsd: 5e10 }));
      const cap = (candles: Candle[], usd: number) => candles.map((c) => ({ ...c, marketCapUsd: usd }));
      await upsertCandles(db, [
        ...series('ATOM', 'coinmarketcap', cap(makeSyntheticCandles(200, 1), 1e9)), ...series('XMR', 'coinmarketcap', cap(makeSyntheticCandles(200, 2), 3e9)),
        ...series('ETH', 'binance', makeSyntheticCandles(200, 3)), ...series('BTC', 'binance', makeSyntheticCandles(200, 5)), ...series('USDT', 'coinmarketcap', usdt),
      ]);
      const held = await topHeldAssets(db);
      expect(held).toEqual({ symbols: ['BTC', 'ETH', 'XMR', 'ATOM'], from: 'database', coingeckoIds: {}, leftOut: [] });
      expect((await topHeldAssets(db, 3)).symbols).toEqual(['BTC', 'ETH', 'XMR']);
      expect(describeTopAssets(held)).toBe('Top 4 held in the database (the sources were not asked): BTC, ETH, XMR, ATOM.');
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
