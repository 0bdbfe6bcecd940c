// Which daily candles the database holds: each symbol's first and last day, and the sources of one symbol. What
// the API lists at /v1/assets and names in a 404 for an unknown ?source=.
import { sql } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { candles } from '../schema.ts';

/** The first and last daily candle (openTimeMs, UTC) of every symbol with daily candles, in no particular order. */
export async function dailyCandleRanges(orm: Orm): Promise<Array<{ symbol: string; firstMs: number; lastMs: number }>> {
  const rows = await orm
    .select({
      symbol: candles.symbol,
      firstMs: sql<string>`(extract(epoch from min(${candles.openTime})) * 1000)::bigint`,
      lastMs: sql<string>`(extract(epoch from max(${candles.openTime})) * 1000)::bigint`,
    })
    .from(candles)
    .where(sql`${candles.interval} = '1d'`)
    .groupBy(candles.symbol);
  return rows.map((r) => ({ symbol: r.symbol, firstMs: Number(r.firstMs), lastMs: Number(r.lastMs) }));
}

/** The sources holding daily candles of `symbol`, by name; empty when none. */
export async function dailyCandleSources(orm: Orm, symbol: string): Promise<string[]> {
  const rows = await orm
    .selectDistinct({ source: candles.source })
    .from(candles)
    .where(sql`${candles.symbol} = ${symbol} and ${candles.interval} = '1d'`)
    .orderBy(candles.source);
  return rows.map((r) => r.source);
}
