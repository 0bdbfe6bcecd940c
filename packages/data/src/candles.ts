// Candle queries shared by both drivers: upsert (one transaction), read one series, list series with gaps.
// A series is (symbol, interval, source); readers never mix sources. Node only via the Orm it is given.
import type { Candle, Interval } from '@coinsphere/model/core';
import { and, asc, desc, eq, gte, lte, max, sql } from 'drizzle-orm';
import type { Database, Orm } from './database.ts';
import { DataError } from './errors.ts';
import { queryRows } from './migrate.ts';
import { candles } from './schema.ts';

/** Milliseconds per bar of each interval. */
export const INTERVAL_MS: Record<Interval, number> = { '1d': 86_400_000, '1h': 3_600_000 };

/** A candle with the series it belongs to, as written by upsertCandles. */
export interface CandleRow extends Candle {
  symbol: string;
  interval: Interval;
  source: string;
}

/** What an upsert did: rows new to the table, rows whose values changed, rows already there unchanged. */
export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const BATCH_ROWS = 10_000; // rows per statement; each batch travels as one JSON parameter

/**
 * Upserts rows into `orm` (a database or a transaction) without opening a transaction of its own. Rows travel
 * as one JSON array per batch (jsonb_to_recordset): one parameter instead of eleven a row, which keeps PGlite
 * and node-postgres fast and clear of the 65535-parameter limit.
 */
export async function upsertCandlesIn(orm: Orm, rows: readonly CandleRow[]): Promise<UpsertResult> {
  let inserted = 0;
  let changed = 0;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS).map((r) => [
      r.symbol, r.interval, r.source, r.openTimeMs, r.open, r.high, r.low, r.close, r.baseVolume, r.quoteVolumeUsd, r.marketCapUsd,
    ]);
    const written = await queryRows<{ inserted: boolean }>(
      orm,
      sql`insert into ${candles} (symbol, interval, source, open_time, open, high, low, close, base_volume, quote_volume_usd, market_cap_usd)
        select r->>0, r->>1, r->>2, to_timestamp((r->>3)::double precision / 1000), (r->>4)::double precision,
          (r->>5)::double precision, (r->>6)::double precision, (r->>7)::double precision, (r->>8)::double precision,
          (r->>9)::double precision, (r->>10)::double precision
        from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) as r
        on conflict (symbol, interval, source, open_time) do update set
          open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
          base_volume = excluded.base_volume, quote_volume_usd = excluded.quote_volume_usd,
          market_cap_usd = excluded.market_cap_usd, ingested_at = now()
        -- re-ingesting the same values touches nothing (and is not counted as an update)
        where (candles.open, candles.high, candles.low, candles.close, candles.base_volume, candles.quote_volume_usd,
          candles.market_cap_usd) is distinct from (excluded.open, excluded.high, excluded.low, excluded.close,
          excluded.base_volume, excluded.quote_volume_usd, excluded.market_cap_usd)
        returning (xmax = 0) as inserted`,
    );
    for (const w of written) if (w.inserted) inserted++;
    changed += written.length;
  }
  return { inserted, updated: changed - inserted, unchanged: rows.length - changed };
}

/**
 * Inserts or updates candles in one transaction: all rows are written or none. Rows must not repeat a key
 * (symbol, interval, source, openTimeMs) within one call.
 */
export async function upsertCandles(db: Database, rows: readonly CandleRow[]): Promise<UpsertResult> {
  return db.orm.transaction((tx) => upsertCandlesIn(tx as unknown as Orm, rows));
}

/** Which series to read; `fromMs`/`toMs` are inclusive open-time bounds (UTC epoch ms). */
export interface ReadCandlesQuery {
  symbol: string;
  interval: Interval;
  /** Without it, the source with the longest history (most rows) for symbol + interval is used. */
  source?: string;
  fromMs?: number;
  toMs?: number;
}

/**
 * The source with the most candles for symbol + interval (ties: earliest first candle, then name),
 * or null when there are none.
 */
export async function pickSource(db: Database, symbol: string, interval: Interval): Promise<string | null> {
  const rows = await db.orm
    .select({ source: candles.source })
    .from(candles)
    .where(and(eq(candles.symbol, symbol), eq(candles.interval, interval)))
    .groupBy(candles.source)
    .orderBy(desc(sql`count(*)`), asc(sql`min(${candles.openTime})`), asc(candles.source))
    .limit(1);
  return rows[0]?.source ?? null;
}

/** pickSource of every symbol with `interval` candles at once (one grouped scan instead of one per symbol), by symbol. */
export async function pickSources(db: Database, interval: Interval): Promise<Map<string, string>> {
  const rows = await db.orm
    .select({ symbol: candles.symbol, source: candles.source, n: sql<number>`count(*)`.mapWith(Number), firstMs: sql<string>`min(${candles.openTime})` })
    .from(candles)
    .where(eq(candles.interval, interval))
    .groupBy(candles.symbol, candles.source)
    .orderBy(asc(candles.symbol), desc(sql`count(*)`), asc(sql`min(${candles.openTime})`), asc(candles.source)); // pickSource's order within a symbol
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.symbol)) out.set(r.symbol, r.source);
  return out;
}

/**
 * One candle series, oldest first, and the source it came from (print it: readers say which they used).
 * Throws DataError('not-found') when the symbol/interval (or the asked source) has no candles.
 */
export async function readCandles(db: Database, query: ReadCandlesQuery): Promise<{ source: string; candles: Candle[] }> {
  const symbol = query.symbol.toUpperCase();
  const source = query.source?.trim().toLowerCase() ?? (await pickSource(db, symbol, query.interval)); // stored lowercase
  if (source === null) {
    throw new DataError(
      'not-found',
      `No ${query.interval} candles for ${symbol}. Load some with \`coinsphere ingest --csv <file-or-folder>\` or \`coinsphere ingest --from binance --symbols ${symbol}\`.`,
    );
  }
  const conditions = [eq(candles.symbol, symbol), eq(candles.interval, query.interval), eq(candles.source, source)];
  if (query.fromMs !== undefined) conditions.push(gte(candles.openTime, new Date(query.fromMs)));
  if (query.toMs !== undefined) conditions.push(lte(candles.openTime, new Date(query.toMs)));
  const rows = await db.orm
    .select()
    .from(candles)
    .where(and(...conditions))
    .orderBy(asc(candles.openTime));
  if (rows.length === 0 && query.source !== undefined && query.fromMs === undefined && query.toMs === undefined) {
    const known = await listSeries(db);
    const sources = known.filter((s) => s.symbol === symbol && s.interval === query.interval).map((s) => s.source);
    throw new DataError(
      'not-found',
      `No ${query.interval} candles for ${symbol} from source "${source}". Sources with data: ${sources.join(', ') || 'none'}.`,
    );
  }
  return {
    source,
    candles: rows.map((r) => ({
      openTimeMs: r.openTime.getTime(),
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      baseVolume: r.baseVolume,
      quoteVolumeUsd: r.quoteVolumeUsd,
      marketCapUsd: r.marketCapUsd,
    })),
  };
}

/** The open time (UTC ms) of the newest stored candle of a series, or null when it has none. */
export async function latestOpenTimeMs(db: Database, symbol: string, interval: Interval, source: string): Promise<number | null> {
  const rows = await db.orm
    .select({ last: max(candles.openTime) })
    .from(candles)
    .where(and(eq(candles.symbol, symbol), eq(candles.interval, interval), eq(candles.source, source)));
  const last = rows[0]?.last;
  return last ? new Date(last).getTime() : null;
}

/** A run of missing bars: the first and last missing open time (UTC ms) and how many bars. */
export interface Gap {
  fromMs: number;
  toMs: number;
  missingBars: number;
}

/** One stored series and its coverage. */
export interface SeriesSummary {
  symbol: string;
  interval: Interval;
  source: string;
  rows: number;
  firstMs: number;
  lastMs: number;
  /** Missing bars between first and last (never filled). */
  missingBars: number;
  /** The runs of missing bars, oldest first. */
  gaps: Gap[];
}

/** Every series in the database with rows, first/last open time and gaps, ordered by symbol, interval, source. */
export async function listSeries(db: Database): Promise<SeriesSummary[]> {
  const step = sql`case ${candles.interval} when '1h' then 3600 else 86400 end`;
  const summaries = await queryRows<{ symbol: string; interval: string; source: string; rows: number; first_ms: string; last_ms: string }>(
    db.orm,
    sql`select ${candles.symbol} as symbol, ${candles.interval} as interval, ${candles.source} as source,
          count(*)::int as rows, (extract(epoch from min(${candles.openTime})) * 1000)::bigint as first_ms,
          (extract(epoch from max(${candles.openTime})) * 1000)::bigint as last_ms
        from ${candles} group by 1, 2, 3 order by 1, 2, 3`,
  );
  const gapRows = await queryRows<{ symbol: string; interval: string; source: string; prev_ms: string; next_ms: string }>(
    db.orm,
    sql`select symbol, interval, source, prev_ms, next_ms from (
          select ${candles.symbol} as symbol, ${candles.interval} as interval, ${candles.source} as source,
            (extract(epoch from lag(${candles.openTime}) over w) * 1000)::bigint as prev_ms,
            (extract(epoch from ${candles.openTime}) * 1000)::bigint as next_ms,
            extract(epoch from ${candles.openTime} - lag(${candles.openTime}) over w) as dt, ${step} as step
          from ${candles}
          window w as (partition by ${candles.symbol}, ${candles.interval}, ${candles.source} order by ${candles.openTime})
        ) d where dt > step order by symbol, interval, source, next_ms`,
  );
  const gapsBySeries = new Map<string, Gap[]>();
  for (const g of gapRows) {
    const stepMs = INTERVAL_MS[g.interval as Interval] ?? INTERVAL_MS['1d'];
    const fromMs = Number(g.prev_ms) + stepMs;
    const toMs = Number(g.next_ms) - stepMs;
    const key = `${g.symbol}\u0000${g.interval}\u0000${g.source}`;
    const list = gapsBySeries.get(key) ?? [];
    list.push({ fromMs, toMs, missingBars: Math.round((toMs - fromMs) / stepMs) + 1 });
    gapsBySeries.set(key, list);
  }
  return summaries.map((s) => {
    const gaps = gapsBySeries.get(`${s.symbol}\u0000${s.interval}\u0000${s.source}`) ?? [];
    return {
      symbol: s.symbol,
      interval: s.interval as Interval,
      source: s.source,
      rows: Number(s.rows),
      firstMs: Number(s.first_ms),
      lastMs: Number(s.last_ms),
      missingBars: gaps.reduce((n, g) => n + g.missingBars, 0),
      gaps,
    };
  });
}
