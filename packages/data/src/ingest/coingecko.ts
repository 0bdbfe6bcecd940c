// CoinGecko public market chart (GET /api/v3/coins/{id}/market_chart?vs_currency=usd&days=N&interval=daily):
// {prices, market_caps, total_volumes}, each [[ms, value], …]. The three arrays are merged by UTC day; the point
// stamped day D 00:00 is the close of D-1 (as in the CSV exports), so it is stored with open time D-1. The
// latest point, taken during the current day, is provisional and dropped.
import { z } from 'zod';
import { DataError } from '../errors.ts';
import { getJson, HttpStatusError, type HttpOptions } from './http-json.ts';
import type { RawCandle } from './validate.ts';

/** The public CoinGecko REST API. */
export const COINGECKO_BASE_URL = 'https://api.coingecko.com';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const series = z.array(z.tuple([z.number(), z.number().nullable()]));
const chartBody = z.object({ prices: series, market_caps: series, total_volumes: series });

/** What to fetch: the CoinGecko coin id (`bitcoin`) and how many days back (or 'max'). */
export interface MarketChartQuery {
  coinId: string;
  days: number | 'max';
  baseUrl?: string;
}

/** The first point of each UTC day: day start (ms) -> [stamp, value]. */
function firstPerDay(points: Array<[number, number | null]>): Map<number, [number, number | null]> {
  const out = new Map<number, [number, number | null]>();
  for (const p of points) {
    const day = Math.floor(p[0] / DAY_MS) * DAY_MS;
    const seen = out.get(day);
    if (!seen || p[0] < seen[0]) out.set(day, p);
  }
  return out;
}

/** Daily candles (price as close, market cap, total volume in USD), oldest first. */
export async function fetchCoingeckoDaily(query: MarketChartQuery, http: HttpOptions = {}): Promise<RawCandle[]> {
  const base = (query.baseUrl ?? COINGECKO_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/api/v3/coins/${encodeURIComponent(query.coinId)}/market_chart?vs_currency=usd&days=${query.days}&interval=daily`;
  let body: unknown;
  try {
    body = await getJson(url, http);
  } catch (error) {
    if (error instanceof HttpStatusError) {
      const why = error.status === 404 ? `no coin with id "${query.coinId}"` : `status ${error.status}`;
      throw new DataError('input', `CoinGecko refused ${query.coinId}: ${why}. Check the coin id (e.g. bitcoin for BTC).`, { cause: error });
    }
    throw error;
  }
  const parsed = chartBody.safeParse(body);
  if (!parsed.success) throw new DataError('network', `CoinGecko answered ${url} with an unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}.`);
  const prices = firstPerDay(parsed.data.prices);
  const caps = firstPerDay(parsed.data.market_caps);
  const volumes = firstPerDay(parsed.data.total_volumes);
  const days = [...prices.keys()].sort((a, b) => a - b);
  const lastDay = days.at(-1);
  const out: RawCandle[] = [];
  for (const day of days) {
    const [stamp, price] = prices.get(day)!;
    if (day === lastDay && stamp - day > HOUR_MS) continue; // taken during the current day: provisional
    if (price === null) continue;
    out.push({
      line: out.length + 1,
      openTimeMs: day - DAY_MS,
      open: null,
      high: null,
      low: null,
      close: price,
      baseVolume: null,
      quoteVolumeUsd: volumes.get(day)?.[1] ?? null,
      marketCapUsd: caps.get(day)?.[1] ?? null,
    });
  }
  return out;
}
