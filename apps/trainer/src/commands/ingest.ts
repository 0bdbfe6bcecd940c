// `coinsphere ingest`: loads candles from CSV files/folders (layout detected per file), from the Binance
// and CoinGecko public APIs (incremental) or from a snapshot folder (the bundled one by default). Bad rows refuse
// the whole load with exit 2 naming file, line and reason, unless --skip-invalid (CSV and APIs; a snapshot is
// refused whole); identical duplicates collapse and are counted; gaps are reported, never filled.
// Flags → source (ingestSource) → job (jobs/ingest-job.ts) → output (the *Line functions).
import { BUNDLED_SNAPSHOT_DIR, parseColumnsOption, type FileReport, type RowProblem, type SeriesGap, type SymbolReport } from '@coinsphere/data';
import { INTERVALS, type Interval } from '@coinsphere/model/core';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action } from '../cli/errors.ts';
import { day, flag, fromThrowing, httpUrl, oneOf, symbolList, symbolMap, UsageError } from '../cli/flags.ts';
import { formatBarTime } from '../cli/format.ts';
import { API_SOURCES, ingestJob, type IngestResult, type IngestSource } from '../jobs/ingest-job.ts';
import { snapshotLoadLine, snapshotSeriesLines } from './snapshot.ts';

interface IngestFlags extends DbOption {
  csv?: string[];
  from?: (typeof API_SOURCES)[number];
  snapshot?: string | true;
  symbols?: string[];
  interval?: Interval;
  since?: number;
  skipInvalid?: boolean;
  columns?: Partial<Record<string, string>>;
  source?: string;
  baseUrl?: string;
  coingeckoIds?: Record<string, string>;
  json?: boolean;
}

/** Where the flags say to ingest from; throws UsageError unless exactly one source is named. */
export function ingestSource(f: IngestFlags): IngestSource {
  const hasCsv = (f.csv?.length ?? 0) > 0;
  if ([hasCsv, Boolean(f.from), f.snapshot !== undefined].filter(Boolean).length !== 1) {
    throw new UsageError('Say where to ingest from: --csv <file-or-folder>…, --from binance|coingecko or --snapshot [folder] (one of them).');
  }
  if (f.snapshot !== undefined) return { kind: 'snapshot', dir: f.snapshot === true ? BUNDLED_SNAPSHOT_DIR : f.snapshot };
  const skipInvalid = Boolean(f.skipInvalid);
  if (hasCsv) return { kind: 'csv', paths: f.csv!, symbols: f.symbols, interval: f.interval, columns: f.columns, source: f.source, skipInvalid };
  if (!f.symbols) throw new UsageError(`--from ${f.from} needs --symbols, e.g. --symbols BTC,ETH,SOL.`);
  return { kind: 'api', from: f.from!, symbols: f.symbols, interval: f.interval, sinceMs: f.since, baseUrl: f.baseUrl, coingeckoIds: f.coingeckoIds, skipInvalid };
}

function gapsText(gaps: SeriesGap[], interval: string): string {
  if (gaps.length === 0) return 'no gaps';
  const missing = gaps.reduce((n, g) => n + g.missingBars, 0);
  const shown = gaps.slice(0, 3).map((g) => `${formatBarTime(g.fromMs, interval)}${g.missingBars > 1 ? `..${formatBarTime(g.toMs, interval)}` : ''}`);
  return `${missing} missing bars in ${gaps.length} gaps (${shown.join(', ')}${gaps.length > 3 ? ', …' : ''}; not filled)`;
}

function skippedText(skipped: RowProblem[]): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, 3).map((p) => `line ${p.line}: ${p.reason}`);
  return `; skipped ${skipped.length} invalid rows (${shown.join('; ')}${skipped.length > 3 ? '; …' : ''})`;
}

function fileLine(r: FileReport): string {
  const range = r.firstMs !== null && r.lastMs !== null ? ` ${formatBarTime(r.firstMs, r.interval)}..${formatBarTime(r.lastMs, r.interval)},` : '';
  const extras = [
    r.duplicates > 0 ? `${r.duplicates} identical duplicate rows collapsed` : '',
    r.maintenanceDropped > 0 ? `${r.maintenanceDropped} flat zero-volume hours dropped as exchange maintenance` : '',
    r.provisionalDropped > 0 ? 'last row provisional (exported mid-day), not stored' : '',
  ].filter(Boolean);
  return `${basename(r.file)}: ${r.symbol} ${r.interval} from ${r.source} (${r.layout} layout):${range} ${r.rowsRead} rows read, ${r.candles} candles (${r.written.inserted} new, ${r.written.updated} changed, ${r.written.unchanged} unchanged); ${gapsText(r.gaps, r.interval)}${extras.length ? `; ${extras.join('; ')}` : ''}${skippedText(r.skipped)}`;
}

function symbolLine(r: SymbolReport): string {
  const from = r.fromMs === null ? 'full history' : `from ${formatBarTime(r.fromMs, r.interval)}`;
  return `${r.symbol} ${r.interval} from ${r.source} (${from}): ${r.fetched} fetched, ${r.candles} candles (${r.written.inserted} new, ${r.written.updated} changed, ${r.written.unchanged} unchanged); ${gapsText(r.gaps, r.interval)}${r.maintenanceDropped ? `; ${r.maintenanceDropped} flat zero-volume hours dropped as exchange maintenance` : ''}${skippedText(r.skipped)}`;
}

/** The lines a finished ingest prints (the database first). */
function reportLines(result: IngestResult, db: { kind: string; location: string }): string[] {
  const out = [`Database: ${db.kind} ${db.location}`];
  if (result.kind === 'snapshot') return [...out, ...snapshotSeriesLines(result.report), snapshotLoadLine(result.report, Date.now())];
  if (result.kind === 'api') return [...out, ...result.reports.map(symbolLine)];
  const report = result.report;
  out.push(...report.files.map(fileLine));
  if (report.filteredOut.length) out.push(`${report.filteredOut.length} files left out by --symbols.`);
  if (report.files.length === 0) out.push('No file matched; nothing was loaded.');
  return out;
}

async function ingest(f: IngestFlags): Promise<void> {
  const source = ingestSource(f);
  await withDatabase(f, async (db) => {
    const result = await ingestJob(db, source);
    const json = result.kind === 'api' ? result.reports : result.report;
    process.stdout.write(f.json ? `${JSON.stringify(json)}\n` : `${reportLines(result, db).join('\n')}\n`);
  });
}

/** Registers `ingest`. */
export function register(program: Command): void {
  const command = addDbOption(program.command('ingest').description('Load candles from CSV files or folders, or from the Binance/CoinGecko public APIs'))
    .option('--csv <file-or-folder...>', 'CSV files or folders; Kaggle coin_*.csv, CryptoDataDownload and CoinGecko layouts are detected');
  flag(command, '--from <source>', `fetch from a public API: ${API_SOURCES.join(' | ')} (incremental)`, oneOf(API_SOURCES));
  command.option('--snapshot [folder]', 'load a snapshot folder written by `coinsphere snapshot export` (default: the bundled one, packages/data/snapshot)');
  flag(command, '--symbols <list>', 'comma-separated symbols, e.g. BTC,ETH,SOL (CSV: only these files)', symbolList);
  flag(command, '--interval <interval>', `bar length: ${INTERVALS.join(' | ')} (Binance; CSV when it cannot be told)`, oneOf(INTERVALS));
  flag(command, '--since <YYYY-MM-DD>', 'first day to fetch when nothing is stored yet', day);
  command.option('--skip-invalid', 'load the valid rows of a file with invalid ones and report what was skipped');
  flag(command, '--columns <map>', 'generic CSV: time=<col>,close=<col>[,open=,high=,low=,volume=,quote_volume=,market_cap=,symbol=]', fromThrowing('time=<col>,close=<col>[,…]', parseColumnsOption));
  command.option('--source <name>', 'generic CSV: the source name stored with the rows, lowercased (default csv)');
  flag(command, '--base-url <url>', 'API base URL (default the public Binance or CoinGecko API)', httpUrl);
  flag(command, '--coingecko-ids <map>', 'CoinGecko ids for symbols it does not know, e.g. PEPE=pepe', symbolMap('BTC=bitcoin'));
  command.option('--json', 'print the report as JSON').action(action(ingest));
}
