// `ingest --csv`: reads files and folders of CSV (layout detected per file) as streams, in two passes, so memory
// stays a few bytes a row whatever the file's size. Pass one checks every row of every file (SeriesCheck keeps
// open times, line numbers and value hashes, not rows); a file with an invalid row is refused whole (DataError
// 'input', naming file, line and reason) before anything is written, unless skipInvalid. Pass two reads each file
// again and writes the rows pass one kept, in batches of BATCH_ROWS, all files in one transaction: a failure
// (or a file that changed in between) rolls everything back. Node only (reads files).
import type { Interval } from '@coinsphere/model/core';
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { upsertAssetsIn } from '../assets.ts';
import { upsertCandlesIn, type CandleRow, type UpsertResult } from '../candles.ts';
import type { Database, Orm } from '../database.ts';
import { DataError } from '../errors.ts';
import { HEAD_LINES, isRowProblem, LayoutError, openLayout, type CsvLayout, type LayoutOptions, type OpenedLayout } from './csv-layouts.ts';
import { LineTooLongError, streamCsvLines } from './csv-stream.ts';
import type { CsvLine } from './csv-text.ts';
import { SeriesCheck, withMissingCap, type CheckedSeries, type RawCandle, type RowProblem, type SeriesGap } from './validate.ts';

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

/** Rows per write in pass two (and what is held of a file at once). */
const BATCH_ROWS = 10_000;

/** One file after pass one: its report (but what was written) and the verdict pass two writes by. */
export interface ScannedFile extends Omit<FileReport, 'written'> {
  assetName?: string;
  binanceSymbol?: string;
  checked: CheckedSeries;
}

/** A layout or line error of `file` as the DataError the command prints (file, line, reason). */
function inputError(file: string, error: unknown): unknown {
  if (error instanceof LayoutError || error instanceof LineTooLongError) {
    const line = error instanceof LayoutError ? error.line : 0;
    return new DataError('input', `${file}${line > 0 ? ` line ${line}` : ''}: ${error.message}.`, { cause: error });
  }
  return error;
}

type RowVisitor = (r: RawCandle | RowProblem) => void | Promise<void>;

/**
 * Streams `file` once: opens its layout from the first HEAD_LINES lines, asks `begin` for a visitor of that
 * layout, then hands it every data line's mapping (awaiting only a returned promise), holding the last line back
 * when the layout drops it. Layout and line errors become DataError('input') naming the file and line.
 */
async function readRows(file: string, opts: CsvIngestOptions, begin: (layout: OpenedLayout) => RowVisitor): Promise<{ layout: OpenedLayout; rowsSeen: number; provisionalDropped: number }> {
  const symbol = opts.symbols?.length === 1 ? opts.symbols[0] : opts.symbol;
  const lines = streamCsvLines(file)[Symbol.asyncIterator]();
  try {
    const head: CsvLine[] = [];
    for (let n = await lines.next(); !n.done; n = head.length < HEAD_LINES ? await lines.next() : { done: true, value: undefined }) head.push(n.value);
    const layout = openLayout(basename(file), head, { ...opts, ...(symbol ? { symbol } : {}) });
    const visit = begin(layout);
    let held: CsvLine | null = null;
    let rowsSeen = 0;
    const take = async (l: CsvLine | null): Promise<void> => {
      if (held) {
        rowsSeen++;
        const pending = visit(layout.mapRow(held));
        if (pending) await pending;
      }
      held = l;
    };
    for (const l of head) if (l.line > layout.headerLine) await take(l);
    for (let n = await lines.next(); !n.done; n = await lines.next()) await take(n.value);
    const provisionalDropped = held && layout.dropsLastRow ? 1 : 0;
    if (!provisionalDropped) await take(null);
    return { layout, rowsSeen: rowsSeen + provisionalDropped, provisionalDropped };
  } catch (error) {
    throw inputError(file, error);
  } finally {
    await lines.return(undefined);
  }
}

/** Pass one over a file: every row checked by the row rules; nothing is kept but SeriesCheck's numbers. */
export async function scanCsvFile(file: string, opts: CsvIngestOptions = {}): Promise<ScannedFile> {
  let check: SeriesCheck | undefined;
  const { layout, rowsSeen, provisionalDropped } = await readRows(file, opts, (l) => {
    const series = new SeriesCheck(l.interval, { dropMaintenance: l.source === 'binance' && l.interval === '1h' });
    check = series;
    return (r) => (isRowProblem(r) ? series.reject(r) : series.add(r));
  });
  const checked = check!.finish();
  return {
    file, layout: layout.layout, symbol: layout.symbol, interval: layout.interval, source: layout.source,
    ...(layout.assetName ? { assetName: layout.assetName } : {}),
    ...(layout.binanceSymbol ? { binanceSymbol: layout.binanceSymbol } : {}),
    rowsRead: rowsSeen, candles: checked.keptLines.length, duplicates: checked.duplicates, skipped: checked.problems,
    maintenanceDropped: checked.maintenanceDropped, provisionalDropped, gaps: checked.gaps, firstMs: checked.firstMs, lastMs: checked.lastMs, checked,
  };
}

/**
 * Pass two over a scanned file: reads it again and hands the rows pass one kept to `write`, BATCH_ROWS at a time.
 * Throws DataError('input') when the file no longer matches what pass one read (it changed in between).
 */
async function replayKeptRows(scan: ScannedFile, opts: CsvIngestOptions, write: (rows: CandleRow[]) => Promise<void>): Promise<void> {
  const { keptLines, keptTimesMs } = scan.checked;
  const changed = () => new DataError('input', `${scan.file} changed while it was being read; nothing was written. Load it again once it is complete.`);
  let at = 0;
  let batch: CandleRow[] = [];
  await readRows(scan.file, opts, () => (r) => {
    if (isRowProblem(r) || r.line !== keptLines[at]) return;
    if (r.openTimeMs !== keptTimesMs[at]) throw changed();
    at++;
    const { line: _line, ...candle } = withMissingCap(r);
    batch.push({ ...candle, symbol: scan.symbol, interval: scan.interval, source: scan.source });
    if (batch.length < BATCH_ROWS) return;
    const full = batch;
    batch = [];
    return write(full);
  });
  if (at !== keptLines.length) throw changed();
  if (batch.length) await write(batch);
}

/**
 * Reads and validates one file and returns its rows with the report: the whole file's candles in memory, for
 * tools over small files (benchmarks, experiments). The ingest itself streams (scanCsvFile, then a second pass).
 * Throws DataError('input') for an unreadable file.
 */
export async function parseCsvFile(file: string, opts: CsvIngestOptions = {}): Promise<ScannedFile & { rows: CandleRow[] }> {
  const scan = await scanCsvFile(file, opts);
  const rows: CandleRow[] = [];
  await replayKeptRows(scan, opts, async (batch) => void rows.push(...batch));
  return { ...scan, rows: rows.sort((a, b) => a.openTimeMs - b.openTimeMs) };
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
 * Ingests CSV files and folders into `db`. Every file is streamed and checked first (pass one); then all files
 * are streamed again and written in one transaction (pass two), so a refusal or a failure leaves the database
 * exactly as it was. Throws DataError('input') naming file, line and reason for the first invalid row (without
 * skipInvalid).
 */
export async function ingestCsv(db: Database, paths: readonly string[], opts: CsvIngestOptions = {}): Promise<CsvIngestReport> {
  if (opts.source !== undefined) opts = { ...opts, source: normalizeSourceName(opts.source) };
  const wanted = opts.symbols?.map((s) => s.toUpperCase());
  const scanned: ScannedFile[] = [];
  const filteredOut: string[] = [];
  for (const file of listCsvFiles(paths)) {
    const p = await scanCsvFile(file, opts);
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
    scanned.push(p);
  }
  const files = await db.orm.transaction(async (tx) => {
    const orm = tx as unknown as Orm;
    await upsertAssetsIn(
      orm,
      scanned.map((p) => ({ symbol: p.symbol, ...(p.assetName ? { name: p.assetName } : {}), ...(p.binanceSymbol ? { binanceSymbol: p.binanceSymbol } : {}) })),
    );
    const reports: FileReport[] = [];
    for (const scan of scanned) {
      const written: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
      await replayKeptRows(scan, opts, async (rows) => {
        const r = await upsertCandlesIn(orm, rows);
        written.inserted += r.inserted;
        written.updated += r.updated;
        written.unchanged += r.unchanged;
      });
      const { checked: _c, assetName: _a, binanceSymbol: _b, ...report } = scan;
      reports.push({ ...report, written });
    }
    return reports;
  });
  return { files, filteredOut };
}
