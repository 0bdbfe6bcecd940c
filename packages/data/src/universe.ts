// The pooled universe as stored: every daily series in the database, one per coin, minus stablecoins and wrapped
// tokens (selectUniverse in @coinsphere/model decides, by rule). Node only via the Database it is given.
import { selectUniverse, type Universe, type UniverseOptions } from '@coinsphere/model/core';
import { listSeries, readCandles } from './candles.ts';
import type { Database } from './database.ts';

/** Reads every stored daily series and selects the pooled universe (what a pooled model trains on). */
export async function readUniverse(db: Database, opts: UniverseOptions & { symbols?: readonly string[] } = {}): Promise<Universe> {
  const wanted = opts.symbols ? new Set(opts.symbols.map((s) => s.toUpperCase())) : null;
  const candidates = [];
  for (const s of await listSeries(db)) {
    if (s.interval !== '1d' || (wanted && !wanted.has(s.symbol))) continue;
    const { candles } = await readCandles(db, { symbol: s.symbol, interval: '1d', source: s.source });
    candidates.push({ symbol: s.symbol, source: s.source, candles });
  }
  return selectUniverse(candidates, opts);
}
