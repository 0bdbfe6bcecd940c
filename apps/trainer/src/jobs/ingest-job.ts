// The ingest job (`coinsphere ingest`, and the main job's first step): load candles from CSV files or folders,
// from Binance or CoinGecko (incremental), or from a snapshot folder, and return what each source reported.
// Prints nothing; the command and `start` word the reports. Must not import a command.
import { ingestCsv, ingestFromBinance, ingestFromCoingecko, ingestSnapshot, type Database, type GenericColumnKey, type SnapshotIngestReport, type SymbolReport } from '@coinsphere/data';
import type { Interval } from '@coinsphere/model/core';

/** The public APIs `ingest --from` fetches from. */
export const API_SOURCES = ['binance', 'coingecko'] as const;

/** Where to ingest from, with that source's settings. */
export type IngestSource =
  | { kind: 'csv'; paths: string[]; symbols?: string[]; interval?: Interval; columns?: Partial<Record<GenericColumnKey, string>>; source?: string; skipInvalid: boolean }
  | { kind: 'api'; from: (typeof API_SOURCES)[number]; symbols: string[]; interval?: Interval; sinceMs?: number; baseUrl?: string; coingeckoIds?: Record<string, string>; skipInvalid: boolean; /** The clock (tests: a fake one): bars still open at it are left out. */ nowMs?: number }
  | { kind: 'snapshot'; dir: string };

/** What the source reported: per file (CSV), per symbol (APIs) or per series (snapshot). */
export type IngestResult =
  | { kind: 'csv'; report: Awaited<ReturnType<typeof ingestCsv>> }
  | { kind: 'api'; reports: SymbolReport[] }
  | { kind: 'snapshot'; report: SnapshotIngestReport };

/** Ingests from `source` into `db`; bad rows refuse the whole load (DataError 'input') unless skipInvalid. */
export async function ingestJob(db: Database, source: IngestSource): Promise<IngestResult> {
  if (source.kind === 'snapshot') return { kind: 'snapshot', report: await ingestSnapshot(db, source.dir) };
  if (source.kind === 'csv') {
    const { paths, kind: _k, ...opts } = source;
    return { kind: 'csv', report: await ingestCsv(db, paths, Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined))) };
  }
  const { from, kind: _k, ...opts } = source;
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as typeof opts;
  return { kind: 'api', reports: from === 'binance' ? await ingestFromBinance(db, defined) : await ingestFromCoingecko(db, defined) };
}
