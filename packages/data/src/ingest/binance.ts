// Binance public klines (GET /api/v3/klines, no key): pages forward from a start time, 1000 bars a page, and
// drops the still-open bar. Documented row: [openTime, open, high, low, close, volume, closeTime,
// quoteAssetVolume, trades, takerBuyBase, takerBuyQuote, ignore], prices and volumes as strings.
import type { Interval } from '@coinsphere/model/core';
import { z } from 'zod';
import { DataError } from '../errors.ts';
import { getJson, HttpStatusError, type HttpOptions } from './http-json.ts';
import type { RawCandle } from './validate.ts';

/** The public Binance REST API. */
export const BINANCE_BASE_URL = 'https://api.binance.com';
const PAGE_LIMIT = 1000;
const STEP_MS: Record<Interval, number> = { '1d': 86_400_000, '1h': 3_600_000 };

const klineRow = z.tuple([z.number(), z.string(), z.string(), z.string(), z.string(), z.string(), z.number(), z.string()]).rest(z.unknown());
const klinesBody = z.array(klineRow);
const binanceError = z.object({ code: z.number(), msg: z.string() });

/** What to fetch: pair (`BTCUSDT`), interval, first open time (ms), and optionally now (ms) for tests. */
export interface KlinesQuery {
  pair: string;
  interval: Interval;
  startMs: number;
  baseUrl?: string;
  nowMs?: number;
}

/** Closed klines from startMs on, oldest first, as raw candles (line = position in the answer, from 1). */
export async function fetchBinanceKlines(query: KlinesQuery, http: HttpOptions = {}): Promise<RawCandle[]> {
  const base = (query.baseUrl ?? BINANCE_BASE_URL).replace(/\/+$/, '');
  const now = query.nowMs ?? Date.now();
  const out: RawCandle[] = [];
  let start = query.startMs;
  for (;;) {
    const url = `${base}/api/v3/klines?symbol=${encodeURIComponent(query.pair)}&interval=${query.interval}&startTime=${start}&limit=${PAGE_LIMIT}`;
    let body: unknown;
    try {
      body = await getJson(url, http);
    } catch (error) {
      if (error instanceof HttpStatusError) {
        const parsed = binanceError.safeParse(error.body);
        const why = parsed.success ? `${parsed.data.msg} (code ${parsed.data.code})` : `status ${error.status}`;
        throw new DataError('input', `Binance refused ${query.pair} ${query.interval}: ${why}. Check the symbol (e.g. BTC for BTCUSDT).`, { cause: error });
      }
      throw error;
    }
    const page = klinesBody.safeParse(body);
    if (!page.success) throw new DataError('network', `Binance answered ${url} with an unexpected shape: ${page.error.issues[0]?.message ?? 'unknown'}.`);
    for (const k of page.data) {
      if (k[6] >= now) continue; // still open: its close time is in the future
      out.push({
        line: out.length + 1,
        openTimeMs: k[0],
        open: Number(k[1]),
        high: Number(k[2]),
        low: Number(k[3]),
        close: Number(k[4]),
        baseVolume: Number(k[5]),
        quoteVolumeUsd: Number(k[7]),
        marketCapUsd: null,
      });
    }
    const last = page.data.at(-1);
    if (!last || page.data.length < PAGE_LIMIT || last[6] >= now) break;
    start = last[0] + STEP_MS[query.interval];
  }
  return out;
}
