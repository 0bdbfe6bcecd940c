// `ingest --csv`: reads files and folders of CSV (layout detected per file), validates every row, then writes
// everything in one transaction. A file with an invalid row is refused whole (DataError 'input', naming file,
// line and reason) before anything is written, unless skipInvalid. Node only (reads files).
import type { Interval } from '@coinsphere/model/core';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { upsertAssetsIn } from '../assets.ts';
import { upsertCandlesIn, type UpsertResult } from '../candles.ts';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { readCsvLines } from './csv-text.ts';
import { LayoutError, mapLayout, type CsvLayout, type LayoutOptions } from './csv-layouts.ts';
import { validateSeries, type RowProblem, type SeriesGap } from './validate.ts';

/** Options of a CSV ingest. */
export interface CsvIngestOptions extends LayoutOptions {
  /** Only files whose symbol is listed (upper case); for the generic layout one entry names the symbol. */
  symbols?: string[];
  /** Load the valid rows of a file with invalid ones, and report what was skipped. Default false. */
  skipInvalid?: boolean;
}

/** What happened to one file. */
export interface FileReport {
  file: string;
  layout: CsvLayout;
  symbol: string;
  interval: Interval;
  source: string;
  rowsRead: number;
  candles: number;
  duplicates: number;
  skipped: RowProblem[];
  maintenanceDropped: number;
  provisionalDropped: number;
  gaps: SeriesGap[];
  firstMs: number | null;
  lastMs: number | null;
  written: UpsertResult;
}

/** The whole ingest: one report per loaded file and the files left out by --symbols. */
export interface CsvIngestReport {
  files: FileReport[];
  filteredOut: string[];
}

/** The CSV files named by the paths: files as given, folders' `*.csv` (not recursive), sorted. */
export function listCsvFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new DataError('input', `No such file or folder: ${p}. Give --csv a CSV file or a folder of them.`);
    }
    if (!isDir) files.push(full);
    else {
      const inside = readdirSync(full).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
      if (inside.length === 0) throw new DataError('input', `The folder ${p} holds no .csv files.`);
      files.push(...inside.map((f) => join(full, f)));
    }
  }
  return files;
}

type Parsed = Omit<FileReport, 'written'> & { rows: import('../candles.ts').CandleRow[]; assetName?: string; binanceSymbol?: string };

/** Reads and validates one file; throws DataError('input') for an unreadable one. */
export function parseCsvFile(file: string, opts: CsvIngestOptions = {}): Parsed {
  const lines = readCsvLines(readFileSync(file, 'utf8'));
  const symbol = opts.symbols?.length === 1 ? opts.symbols[0] : opts.symbol;
  let mapped;
  try {
    mapped = mapLayout(basename(file), lines, { ...opts, ...(symbol ? { symbol } : {}) });
  } catch (error) {
    if (error instanceof LayoutError) {
      throw new DataError('input', `${file}${error.line > 0 ? ` line ${error.line}` : ''}: ${error.message}.`, { cause: error });
    }
    throw error;
  }
  const series = validateSeries(mapped.rows, mapped.interval, { dropMaintenance: mapped.source === 'binance' && mapped.interval === '1h' });
  const skipped = [...mapped.problems, ...series.problems].sort((a, b) => a.line - b.line);
  const rows = series.candles.map((c) => ({ ...c, symbol: mapped.symbol, interval: mapped.interval, source: mapped.source }));
  return {
    file,
    layout: mapped.layout,
    symbol: mapped.symbol,
    interval: mapped.interval,
    source: mapped.source,
    ...(mapped.assetName ? { assetName: mapped.assetName } : {}),
    ...(mapped.binanceSymbol ? { binanceSymbol: mapped.binanceSymbol } : {}),
    rowsRead: mapped.rows.length + mapped.problems.length + mapped.provisionalDropped,
    candles: rows.length,
    duplicates: series.duplicates,
    skipped,
    maintenanceDropped: series.maintenanceDropped,
    provisionalDropped: mapped.provisionalDropped,
    gaps: series.gaps,
    firstMs: rows[0]?.openTimeMs ?? null,
    lastMs: rows.at(-1)?.openTimeMs ?? null,
    rows,
  };
}

/** Source names as stored and as the API's `?source=` takes them: lowercase letters, digits, "-" and "_". */
export const SOURCE_NAME_PATTERN = /^[a-z0-9_-]{1,40}$/;

/** `name` lowercased; throws a DataError naming the problem when it cannot be a source name. */
export function normalizeSourceName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (!SOURCE_NAME_PATTERN.test(lower)) {
    throw new DataError('input', `Bad source name "${name}". Should be 1 to 40 letters, digits, "-" or "_" (stored lowercase), e.g. my-exchange.`);
  }
  return lower;
}

/**
 * Ingests CSV files and folders into `db`. Everything is parsed and checked first; then all files are
 * written in one transaction, so a refusal or a failure leaves the database exactly as it was.
 * Throws DataError('input') naming file, line and reason for the first invalid row (without skipInvalid).
 */
export async function ingestCsv(db: Database, paths: readonly string[], opts: CsvIngestOptions = {}): Promise<CsvIngestReport> {
  if (opts.source !== undefined) opts = { ...opts, source: normalizeSourceName(opts.source) };
  const wanted = opts.symbols?.map((s) => s.toUpperCase());
  const parsed: Parsed[] = [];
  const filteredOut: string[] = [];
  for (const file of listCsvFiles(paths)) {
    const p = parseCsvFile(file, opts);
    if (wanted && wanted.length > 0 && p.layout !== 'generic' && !wanted.includes(p.symbol)) {
      filteredOut.push(file);
      continue;
    }
    const firstProblem = p.skipped[0];
    if (firstProblem && !opts.skipInvalid) {
      const more = p.skipped.length > 1 ? ` (${p.skipped.length} invalid rows in all)` : '';
      throw new DataError(
        'input',
        `${file} line ${firstProblem.line}: ${firstProblem.reason}${more}. Nothing was written; fix the file, or pass --skip-invalid to load the valid rows.`,
      );
    }
    parsed.push(p);
  }
  const files = await db.orm.transaction(async (tx) => {
    const orm = tx as unknown as Orm;
    await upsertAssetsIn(
      orm,
      parsed.map((p) => ({ symbol: p.symbol, ...(p.assetName ? { name: p.assetName } : {}), ...(p.binanceSymbol ? { binanceSymbol: p.binanceSymbol } : {}) })),
    );
    const reports: FileReport[] = [];
    for (const { rows, assetName: _a, binanceSymbol: _b, ...report } of parsed) {
      reports.push({ ...report, written: await upsertCandlesIn(orm, rows) });
    }
    return reports;
  });
  return { files, filteredOut };
}
