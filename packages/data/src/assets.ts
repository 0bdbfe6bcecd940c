// Asset rows: names and external ids learnt while ingesting. Known ids fill in what a file does not say.
import { eq, sql } from 'drizzle-orm';
import type { Database, Orm } from './database.ts';
import { KNOWN_ASSETS } from './ingest/known-assets.ts';
import { assets } from './schema.ts';

/** What an ingest learnt about an asset; missing fields keep what is stored (or the known defaults). */
export interface AssetInfo {
  symbol: string;
  name?: string;
  coingeckoId?: string;
  binanceSymbol?: string;
}

/** Inserts or completes asset rows inside `orm` (a database or a transaction). */
export async function upsertAssetsIn(orm: Orm, infos: readonly AssetInfo[]): Promise<void> {
  const bySymbol = new Map<string, AssetInfo>();
  for (const info of infos) bySymbol.set(info.symbol, { ...bySymbol.get(info.symbol), ...info });
  if (bySymbol.size === 0) return;
  const values = [...bySymbol.values()].map((a) => {
    const known = KNOWN_ASSETS[a.symbol];
    return {
      symbol: a.symbol,
      name: a.name ?? known?.name ?? a.symbol,
      coingeckoId: a.coingeckoId ?? known?.coingeckoId ?? null,
      binanceSymbol: a.binanceSymbol ?? null,
    };
  });
  await orm
    .insert(assets)
    .values(values)
    .onConflictDoUpdate({
      target: assets.symbol,
      set: {
        name: sql`case when excluded.name = excluded.symbol then assets.name else excluded.name end`,
        coingeckoId: sql`coalesce(excluded.coingecko_id, assets.coingecko_id)`,
        binanceSymbol: sql`coalesce(excluded.binance_symbol, assets.binance_symbol)`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`(assets.name, assets.coingecko_id, assets.binance_symbol) is distinct from
        (case when excluded.name = excluded.symbol then assets.name else excluded.name end,
         coalesce(excluded.coingecko_id, assets.coingecko_id), coalesce(excluded.binance_symbol, assets.binance_symbol))`,
    });
}

/** The stored CoinGecko id of a symbol, else the built-in one, else null. */
export async function coingeckoIdOf(db: Database, symbol: string): Promise<string | null> {
  const rows = await db.orm.select({ id: assets.coingeckoId }).from(assets).where(eq(assets.symbol, symbol));
  return rows[0]?.id ?? KNOWN_ASSETS[symbol]?.coingeckoId ?? null;
}
