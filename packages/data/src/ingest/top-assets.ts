// The product's "top 20", defined once: the largest assets by market cap on CoinGecko (GET /api/v3/coins/markets,
// documented fields id, symbol, name, market_cap, market_cap_rank, sparkline_in_7d.price), minus stablecoins and
// wrapped or staked copies (the universe rules of @coinsphere/model on the 7-day hourly prices, and its name rule),
// kept where Binance trades the asset against USDT (GET /api/v3/exchangeInfo), the first 20 in market-cap order,
// with what was left out and why. When a source fails or answers in an unexpected shape: the committed
// STATIC_TOP_ASSETS, and `fallback` says why. On a database alone (offline): the assets it holds (topHeldAssets).
// Node only through the Database it is given; the HTTP goes through http-json.ts.
import { HOUR_MS, normalizeAssetSymbol, stablecoinDetail, wrapperDetail, wrapperNameDetail, type Candle, type SeriesCandidate } from '@coinsphere/model/core';
import { z } from 'zod';
import type { Database } from '../database.ts';
import { readUniverse } from '../universe.ts';
import { BINANCE_BASE_URL } from './binance.ts';
import { COINGECKO_BASE_URL } from './coingecko.ts';
import { getJson, type HttpOptions } from './http-json.ts';
import { KNOWN_ASSETS } from './known-assets.ts';

/** How many assets the product covers. */
export const TOP_ASSET_COUNT = 20;

/** The fallback when a source fails: the 20 largest non-stable, non-wrapped assets with a Binance USDT pair by
 *  CoinGecko's market caps of December 2025, in that order. Each has a CoinGecko id in KNOWN_ASSETS. */
export const STATIC_TOP_ASSETS: readonly string[] = [
  'BTC', 'ETH', 'XRP', 'BNB', 'SOL', 'TRX', 'DOGE', 'ADA', 'LINK', 'BCH',
  'XLM', 'ZEC', 'SUI', 'HBAR', 'LTC', 'AVAX', 'SHIB', 'TON', 'DOT', 'UNI',
];

/** Market-list entries asked for: enough that 20 remain after the stablecoins, copies and unlisted ones. */
const MARKETS_PER_PAGE = 60;

/** Why a market-list entry is not in the top assets. */
export type TopAssetReason = 'stablecoin' | 'wrapped' | 'no-binance-pair' | 'bad-symbol' | 'duplicate';

/** One left-out entry of the market list. */
export interface TopAssetLeftOut {
  symbol: string;
  coingeckoId: string;
  name: string;
  rank: number | null;
  reason: TopAssetReason;
  detail: string;
}

/** The top assets, where they came from, and what was left out. */
export interface TopAssets {
  /** Upper-case symbols, largest market cap first. */
  symbols: string[];
  /** 'coingecko': the live market list; 'static': STATIC_TOP_ASSETS (`fallback` says why); 'database': the held assets. */
  from: 'coingecko' | 'static' | 'database';
  /** Why the live list was not used (a source failed, or answered in an unexpected shape). */
  fallback?: string;
  /** Symbol -> CoinGecko id, for every symbol (the ids the market list returned, or KNOWN_ASSETS'). */
  coingeckoIds: Record<string, string>;
  /** Entries of the market list left out before the 20th, in market-cap order. */
  leftOut: TopAssetLeftOut[];
}

/** Where to ask, how many, and the HTTP settings (default: two retries, so a 429 costs seconds, not a minute). */
export interface TopAssetsOptions {
  count?: number;
  coingeckoBaseUrl?: string;
  binanceBaseUrl?: string;
  http?: HttpOptions;
}

const marketsBody = z.array(z.object({
  id: z.string().min(1),
  symbol: z.string(),
  name: z.string(),
  market_cap: z.number().nullable(),
  market_cap_rank: z.number().nullable(),
  sparkline_in_7d: z.object({ price: z.array(z.number().nullable()) }),
}));
type MarketEntry = z.infer<typeof marketsBody>[number];

const exchangeInfoBody = z.object({ symbols: z.array(z.object({ symbol: z.string(), status: z.string(), baseAsset: z.string(), quoteAsset: z.string() })) });

/** The answer of `url` checked against `schema`; an Error naming the first bad field otherwise. */
async function fetchChecked<T>(who: string, url: string, schema: z.ZodType<T>, http: HttpOptions): Promise<T> {
  const parsed = schema.safeParse(await getJson(url, http));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? `at ${issue.path.join('.')}: ` : '';
  throw new Error(`${who} answered ${url} in an unexpected shape (${at}${issue?.message ?? 'unknown'})`);
}

/** The 7-day hourly prices as candles aligned on their last hour (every list ends at the same "now"). */
function hourlyCandles(prices: ReadonlyArray<number | null>): Candle[] {
  return prices.flatMap((close, i) => (close !== null && close > 0
    ? [{ openTimeMs: (i - prices.length) * HOUR_MS, open: close, high: close, low: close, close, baseVolume: null, quoteVolumeUsd: null, marketCapUsd: null }]
    : [])); // a missing hour stays missing, so the other hours keep their places
}

/** Walks the market list in market-cap order, keeping the first `count` that pass every rule. */
function chooseTop(markets: readonly MarketEntry[], binanceBases: ReadonlySet<string>, count: number): Omit<TopAssets, 'from'> {
  const ordered = [...markets].sort((a, b) => (b.market_cap ?? -1) - (a.market_cap ?? -1));
  const seen: SeriesCandidate[] = []; // the coins before this one that are neither stable nor copies
  const symbols: string[] = [];
  const coingeckoIds: Record<string, string> = {};
  const leftOut: TopAssetLeftOut[] = [];
  for (const m of ordered) {
    if (symbols.length >= count) break;
    const symbol = normalizeAssetSymbol(m.symbol);
    const out = (reason: TopAssetReason, detail: string) => void leftOut.push({ symbol: symbol ?? m.symbol, coingeckoId: m.id, name: m.name, rank: m.market_cap_rank, reason, detail });
    if (symbol === null) { out('bad-symbol', `"${m.symbol}" is not a ticker`); continue; }
    const candidate: SeriesCandidate = { symbol, source: 'coingecko', candles: hourlyCandles(m.sparkline_in_7d.price) };
    const stable = stablecoinDetail(candidate.candles, {}, 24);
    if (stable !== null) { out('stablecoin', `7-day ${stable}`); continue; }
    const copy = wrapperNameDetail(m.name) ?? seen.map((b) => wrapperDetail(candidate, b, {}, 'hours')).find((d) => d !== null) ?? null;
    if (copy !== null) { out('wrapped', copy); continue; }
    seen.push(candidate);
    if (symbols.includes(symbol)) { out('duplicate', `a larger coin has the symbol ${symbol} (${coingeckoIds[symbol]})`); continue; }
    if (!binanceBases.has(symbol)) { out('no-binance-pair', `Binance has no trading ${symbol}USDT spot pair`); continue; }
    symbols.push(symbol);
    coingeckoIds[symbol] = m.id;
  }
  return { symbols, coingeckoIds, leftOut };
}

/** STATIC_TOP_ASSETS (the first `count`) with KNOWN_ASSETS' ids; `why` says why the live list was not asked or used. */
export function staticTopAssets(why: string, count = TOP_ASSET_COUNT): TopAssets {
  const symbols = STATIC_TOP_ASSETS.slice(0, count);
  const coingeckoIds = Object.fromEntries(symbols.flatMap((s) => (KNOWN_ASSETS[s] ? [[s, KNOWN_ASSETS[s].coingeckoId]] : [])));
  return { symbols, from: 'static', fallback: `${why}; using the static list of ${symbols.length} (${symbols.join(', ')}) instead`, coingeckoIds, leftOut: [] };
}

/**
 * The top `count` (default 20) assets by market cap that are neither stablecoins nor wrapped/staked copies and
 * that Binance trades against USDT. Never throws: when CoinGecko or Binance fails (after a couple of retries) or
 * answers in an unexpected shape, returns STATIC_TOP_ASSETS with `fallback` naming the problem.
 */
export async function fetchTopAssets(opts: TopAssetsOptions = {}): Promise<TopAssets> {
  const count = opts.count ?? TOP_ASSET_COUNT;
  const http: HttpOptions = { retries: 2, ...opts.http };
  const cg = (opts.coingeckoBaseUrl ?? COINGECKO_BASE_URL).replace(/\/+$/, '');
  const bn = (opts.binanceBaseUrl ?? BINANCE_BASE_URL).replace(/\/+$/, '');
  const marketsUrl = `${cg}/api/v3/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=${Math.max(MARKETS_PER_PAGE, count * 3)}&page=1&sparkline=true`;
  const [markets, info] = await Promise.allSettled([
    fetchChecked('CoinGecko', marketsUrl, marketsBody, http),
    fetchChecked('Binance', `${bn}/api/v3/exchangeInfo`, exchangeInfoBody, http),
  ]);
  const why = (reason: unknown) => (reason as Error).message.replace(/\.$/, '');
  if (markets.status === 'rejected') return staticTopAssets(`CoinGecko's market list failed: ${why(markets.reason)}`, count);
  if (info.status === 'rejected') return staticTopAssets(`Binance's exchangeInfo failed: ${why(info.reason)}`, count);
  const bases = new Set(info.value.symbols.filter((s) => s.quoteAsset === 'USDT' && s.status === 'TRADING').map((s) => s.baseAsset.toUpperCase()));
  const top = chooseTop(markets.value, bases, count);
  if (top.symbols.length === 0) return staticTopAssets(`CoinGecko's market list at ${marketsUrl} left no asset with a Binance USDT pair`, count);
  return { ...top, from: 'coingecko' };
}

/**
 * The top assets a database holds, for when the sources cannot be asked: the assets of its pooled universe
 * (stablecoins and wrappers left out by the same rules), in STATIC_TOP_ASSETS' order, then by their series' latest
 * market cap, then by symbol; the first `count`. Ids from the stored assets are not needed offline.
 */
export async function topHeldAssets(db: Database, count = TOP_ASSET_COUNT): Promise<TopAssets> {
  const { series } = await readUniverse(db);
  const cap = (s: SeriesCandidate) => s.candles.findLast((c) => c.marketCapUsd !== null)?.marketCapUsd ?? -1;
  const rank = (s: SeriesCandidate) => { const i = STATIC_TOP_ASSETS.indexOf(s.symbol); return i < 0 ? STATIC_TOP_ASSETS.length : i; };
  const ordered = [...series].sort((a, b) => rank(a) - rank(b) || cap(b) - cap(a) || a.symbol.localeCompare(b.symbol));
  return { symbols: ordered.slice(0, count).map((s) => s.symbol), from: 'database', coingeckoIds: {}, leftOut: [] };
}

/** One line for people: the list, where it came from, and what was left out (or why the static list was used). */
export function describeTopAssets(top: TopAssets): string {
  const list = top.symbols.join(', ');
  if (top.from === 'static') return `Top ${top.symbols.length}: ${top.fallback}.`;
  if (top.from === 'database') return `Top ${top.symbols.length} held in the database (the sources were not asked): ${list}.`;
  const out = top.leftOut.map((l) => `${l.symbol} (${l.reason}: ${l.detail})`).join('; ');
  return `Top ${top.symbols.length} by market cap on CoinGecko with a Binance USDT pair: ${list}.${out ? ` Left out: ${out}.` : ''}`;
}
