// `ingest --from binance|coingecko`: incremental loads from the public APIs. Each symbol starts after its
// newest stored candle of that source (or at `sinceMs`), is validated by the same row rules as CSV files,
// and is written in its own transaction.
import type { Interval } from '@coinsphere/model/core';
import { coingeckoIdOf, upsertAssetsIn } from '../assets.ts';
import { INTERVAL_MS, latestOpenTimeMs, upsertCandlesIn, type UpsertResult } from '../candles.ts';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { fetchBinanceKlines } from './binance.ts';
import { fetchCoingeckoDaily } from './coingecko.ts';
import type { HttpOptions } from './http-json.ts';
import { validateSeries, type RawCandle, type RowProblem, type SeriesGap } from './validate.ts';

/** Options of an API ingest. */
export interface ApiIngestOptions {
  symbols: string[];
  /** Binance only; CoinGecko is daily. Default '1d'. */
  interval?: Interval;
  /** First open time (UTC ms) when nothing is stored yet. Binance default 2017-01-01; CoinGecko default all. */
  sinceMs?: number;
  baseUrl?: string;
  skipInvalid?: boolean;
  http?: HttpOptions;
  /** Symbol -> CoinGecko id, overriding the stored and built-in ids. */
  coingeckoIds?: Record<string, string>;
  nowMs?: number;
}

/** What happened to one symbol. */
export interface SymbolReport {
  symbol: string;
  interval: Interval;
  source: 'binance' | 'coingecko';
  /** Open time the fetch started from (UTC ms), or null for the whole history. */
  fromMs: number | null;
  fetched: number;
  candles: number;
  duplicates: number;
  skipped: RowProblem[];
  maintenanceDropped: number;
  gaps: SeriesGap[];
  written: UpsertResult;
}

const BINANCE_DEFAULT_SINCE_MS = Date.UTC(2017, 0, 1);

async function store(db: Database, symbol: string, interval: Interval, source: 'binance' | 'coingecko', raw: RawCandle[], fromMs: number | null, opts: ApiIngestOptions, asset: { binanceSymbol?: string; coingeckoId?: string }): Promise<SymbolReport> {
  const series = validateSeries(raw, interval, { dropMaintenance: source === 'binance' && interval === '1h' });
  const first = series.problems[0];
  if (first && !opts.skipInvalid) {
    throw new DataError('input', `${source} ${symbol} ${interval}: row ${first.line} of the answer: ${first.reason}. Nothing was written for ${symbol}; pass --skip-invalid to load the valid rows.`);
  }
  const rows = series.candles.map((c) => ({ ...c, symbol, interval, source }));
  const written = await db.orm.transaction(async (tx) => {
    await upsertAssetsIn(tx as unknown as Orm, [{ symbol, ...asset }]);
    return upsertCandlesIn(tx as unknown as Orm, rows);
  });
  return { symbol, interval, source, fromMs, fetched: raw.length, candles: rows.length, duplicates: series.duplicates, skipped: series.problems, maintenanceDropped: series.maintenanceDropped, gaps: series.gaps, written };
}

/** Loads closed Binance klines (`<SYM>USDT`) newer than the newest stored `binance` candle of each symbol. */
export async function ingestFromBinance(db: Database, opts: ApiIngestOptions): Promise<SymbolReport[]> {
  const interval = opts.interval ?? '1d';
  const reports: SymbolReport[] = [];
  for (const sym of opts.symbols.map((s) => s.toUpperCase())) {
    const latest = await latestOpenTimeMs(db, sym, interval, 'binance');
    const startMs = latest !== null ? latest + INTERVAL_MS[interval] : (opts.sinceMs ?? BINANCE_DEFAULT_SINCE_MS);
    const pair = `${sym}USDT`;
    const raw = await fetchBinanceKlines({ pair, interval, startMs, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), ...(opts.nowMs !== undefined ? { nowMs: opts.nowMs } : {}) }, opts.http);
    reports.push(await store(db, sym, interval, 'binance', raw, startMs, opts, { binanceSymbol: pair }));
  }
  return reports;
}

/** Loads CoinGecko daily price, market cap and volume newer than the newest stored `coingecko` candle. */
export async function ingestFromCoingecko(db: Database, opts: ApiIngestOptions): Promise<SymbolReport[]> {
  if (opts.interval && opts.interval !== '1d') throw new DataError('input', `CoinGecko gives daily data only; drop --interval ${opts.interval} or use --interval 1d.`);
  const now = opts.nowMs ?? Date.now();
  const reports: SymbolReport[] = [];
  for (const sym of opts.symbols.map((s) => s.toUpperCase())) {
    const coinId = opts.coingeckoIds?.[sym] ?? (await coingeckoIdOf(db, sym));
    if (!coinId) throw new DataError('input', `No CoinGecko id known for ${sym}. Pass --coingecko-ids ${sym}=<coin id> (the id in the coin's CoinGecko URL).`);
    const latest = await latestOpenTimeMs(db, sym, '1d', 'coingecko');
    const fromMs = latest !== null ? latest + INTERVAL_MS['1d'] : (opts.sinceMs ?? null);
    // The stamp of open time T is T + 1 day; ask for enough days to cover it.
    const days = fromMs === null ? 'max' : Math.max(1, Math.ceil((now - (fromMs + INTERVAL_MS['1d'])) / INTERVAL_MS['1d']) + 1);
    const fetched = await fetchCoingeckoDaily({ coinId, days, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) }, opts.http);
    const raw = fromMs === null ? fetched : fetched.filter((c) => c.openTimeMs >= fromMs);
    reports.push(await store(db, sym, '1d', 'coingecko', raw, fromMs, opts, { coingeckoId: coinId }));
  }
  return reports;
}
