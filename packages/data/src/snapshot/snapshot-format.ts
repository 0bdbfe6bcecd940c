// The bundled snapshot's format: one gzip'd CSV of daily candles in our own columns (one row per candle, every
// series in one file, sorted by symbol, source and open time) beside manifest.json, which names every series with
// its range and row count, what the export left out and why, and the sha256 of the data file. Encoding and
// decoding here are pure text; the file I/O, hashing and gzip live in export-snapshot.ts and ingest-snapshot.ts.
// Must not import node:*.
import { ASSET_SYMBOL_PATTERN, assetSymbolProblem, printable, toIsoDay, type Candle } from '@coinsphere/model/core';
import { z } from 'zod';
import { readCsvLines } from '../ingest/csv-text.ts';
import type { RawCandle } from '../ingest/validate.ts';

/** The manifest's `format` value and the version this code reads and writes. */
export const SNAPSHOT_FORMAT = 'coinsphere-candle-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;
/** File names inside a snapshot folder (our own names: nothing here is a source's file copied as is). */
export const SNAPSHOT_DATA_FILE = 'candles-1d.csv.gz';
export const SNAPSHOT_MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_README_FILE = 'README.md';

/** The data file's header, in order. Prices in USD (USDT for Binance pairs); empty = missing. */
export const SNAPSHOT_COLUMNS = ['symbol', 'source', 'open_time_ms', 'open', 'high', 'low', 'close', 'base_volume', 'quote_volume_usd', 'market_cap_usd'] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** manifest.json, validated whole before the data file is read. */
export const SnapshotManifestSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  exportedAt: z.string().datetime(),
  interval: z.literal('1d'),
  dataFile: z.object({ name: z.literal(SNAPSHOT_DATA_FILE), bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** null: numbers as stored (shortest round-trip form); n: rounded to n significant digits. */
  significantDigits: z.number().int().min(6).max(17).nullable(),
  series: z.array(z.object({ symbol: z.string().regex(ASSET_SYMBOL_PATTERN), source: z.string().regex(/^[a-z0-9_-]{1,40}$/), first: day, last: day, rows: z.number().int().positive() })).min(1),
  excluded: z.array(z.object({ symbol: z.string(), source: z.string(), reason: z.string(), detail: z.string() })),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;

/** One series of a snapshot: a coin at one source, candles oldest first. */
export interface SnapshotSeries {
  symbol: string;
  source: string;
  candles: readonly Candle[];
}

/** `value` as written: empty for missing, else the shortest round-trip form, or rounded to `digits` significant digits. */
function formatNumber(value: number | null, digits: number | null): string {
  if (value === null) return '';
  return digits === null ? String(value) : String(Number(value.toPrecision(digits)));
}

/** The CSV text of `series` (header first), sorted by symbol, source, open time, so one database gives one file. */
export function encodeSnapshotCsv(series: readonly SnapshotSeries[], significantDigits: number | null = null): string {
  const sorted = [...series].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.source.localeCompare(b.source));
  const lines: string[] = [SNAPSHOT_COLUMNS.join(',')];
  for (const s of sorted) {
    for (const c of [...s.candles].sort((a, b) => a.openTimeMs - b.openTimeMs)) {
      const n = (v: number | null) => formatNumber(v, significantDigits);
      lines.push([s.symbol, s.source, c.openTimeMs, n(c.open), n(c.high), n(c.low), n(c.close), n(c.baseVolume), n(c.quoteVolumeUsd), n(c.marketCapUsd)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The rows of one series as read, before the row rules (validate.ts) judge them. */
export interface DecodedSeries {
  symbol: string;
  source: string;
  rows: RawCandle[];
}

/** A line the decoder cannot even split into a series and a row. */
export class SnapshotLineError extends Error {
  constructor(readonly line: number, reason: string) {
    super(reason);
  }
}

/** NaN for an unparseable required field, so the row rules name it ("close is an unparseable value"). */
const required = (text: string | undefined) => (text === undefined || text === '' ? Number.NaN : Number(text));
const optional = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));

/**
 * Splits the data file's text into series of raw rows (line numbers kept for the row rules' messages). Throws
 * SnapshotLineError for a wrong header, a line with the wrong number of fields or a bad symbol or source.
 */
export function decodeSnapshotCsv(text: string): DecodedSeries[] {
  const lines = readCsvLines(text);
  const header = lines[0];
  if (!header || header.fields.join(',') !== SNAPSHOT_COLUMNS.join(',')) {
    throw new SnapshotLineError(header?.line ?? 1, `the header should be ${SNAPSHOT_COLUMNS.join(',')}`);
  }
  const bySeries = new Map<string, DecodedSeries>();
  for (const { line, fields } of lines.slice(1)) {
    if (fields.length !== SNAPSHOT_COLUMNS.length) throw new SnapshotLineError(line, `${fields.length} fields where ${SNAPSHOT_COLUMNS.length} are expected`);
    const [symbol, source, time, open, high, low, close, baseVolume, quoteVolume, marketCap] = fields;
    if (!ASSET_SYMBOL_PATTERN.test(symbol!)) throw new SnapshotLineError(line, assetSymbolProblem(symbol!));
    if (!/^[a-z0-9_-]{1,40}$/.test(source!)) throw new SnapshotLineError(line, `source "${printable(source!, 40)}" is not 1 to 40 lowercase letters, digits, "-" or "_"`);
    const key = `${symbol}\u0000${source}`;
    let series = bySeries.get(key);
    if (!series) bySeries.set(key, (series = { symbol: symbol!, source: source!, rows: [] }));
    series.rows.push({
      line,
      openTimeMs: /^\d+$/.test(time!) ? Number(time) : Number.NaN,
      open: optional(open), high: optional(high), low: optional(low), close: required(close),
      baseVolume: optional(baseVolume), quoteVolumeUsd: optional(quoteVolume), marketCapUsd: optional(marketCap),
    });
  }
  return [...bySeries.values()];
}

/** The manifest's entry for a series: its range and row count. */
export function seriesEntry(s: SnapshotSeries): SnapshotManifest['series'][number] {
  return { symbol: s.symbol, source: s.source, first: toIsoDay(s.candles[0]!.openTimeMs), last: toIsoDay(s.candles.at(-1)!.openTimeMs), rows: s.candles.length };
}
