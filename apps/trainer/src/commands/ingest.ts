// `coinsphere ingest`: loads candles from CSV files/folders (layout detected per file), from the Binance
// and CoinGecko public APIs (incremental) or from a snapshot folder (the bundled one by default). Bad rows refuse
// the whole load with exit 2 naming file, line and reason, unless --skip-invalid (CSV and APIs; a snapshot is
// refused whole); identical duplicates collapse and are counted; gaps are reported, never filled.
import {
  BUNDLED_SNAPSHOT_DIR,
  ingestCsv,
  ingestSnapshot,
  ingestFromBinance,
  ingestFromCoingecko,
  parseColumnsOption,
  type FileReport,
  type RowProblem,
  type SeriesGap,
  type SymbolReport,
} from '@coinsphere/data';
import { INTERVALS, type Interval } from '@coinsphere/model';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { addDbOption, withDatabase, type DbOption } from '../cli/database.ts';
import { action, CliError } from '../cli/errors.ts';
import { formatBarTime, parseDay, parseSymbols } from '../cli/format.ts';
import { snapshotLoadLine, snapshotSeriesLines } from './snapshot.ts';

const API_SOURCES = ['binance', 'coingecko'] as const;

interface IngestOptions extends DbOption {
  csv?: string[];
  from?: string;
  snapshot?: string | true;
  symbols?: string;
  interval?: string;
  since?: string;
  skipInvalid?: boolean;
  columns?: string;
  source?: string;
  baseUrl?: string;
  coingeckoIds?: string;
  json?: boolean;
}

function parseInterval(text: string | undefined): Interval | undefined {
  if (text === undefined) return undefined;
  if (!(INTERVALS as readonly string[]).includes(text)) throw new CliError(`Unsupported interval "${text}". Should be one of: ${INTERVALS.join(', ')}.`, 2);
  return text as Interval;
}

function parseIds(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [sym, id] = part.split('=').map((s) => s.trim());
    if (!sym || !id) throw new CliError(`Bad --coingecko-ids entry "${part}". Use SYM=coin-id, e.g. BTC=bitcoin.`, 2);
    out[sym.toUpperCase()] = id;
  }
  return out;
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

async function run(opts: IngestOptions): Promise<void> {
  const hasCsv = (opts.csv?.length ?? 0) > 0;
  if ([hasCsv, Boolean(opts.from), opts.snapshot !== undefined].filter(Boolean).length !== 1) {
    throw new CliError('Say where to ingest from: --csv <file-or-folder>…, --from binance|coingecko or --snapshot [folder] (one of them).', 2);
  }
  if (opts.snapshot !== undefined) return ingestSnapshotCommand(opts, opts.snapshot === true ? BUNDLED_SNAPSHOT_DIR : opts.snapshot);
  const symbols = parseSymbols(opts.symbols);
  const interval = parseInterval(opts.interval);
  const sinceMs = opts.since ? parseDay(opts.since, '--since') : undefined;
  await withDatabase(opts, async (db) => {
    const out: string[] = [`Database: ${db.kind} ${db.location}`];
    if (hasCsv) {
      const columns = opts.columns ? parseColumnsOption(opts.columns) : undefined;
      const report = await ingestCsv(db, opts.csv!, {
        ...(symbols ? { symbols } : {}),
        ...(interval ? { interval } : {}),
        ...(columns ? { columns } : {}),
        ...(opts.source ? { source: opts.source } : {}),
        skipInvalid: Boolean(opts.skipInvalid),
      });
      if (opts.json) return void process.stdout.write(`${JSON.stringify(report)}\n`);
      out.push(...report.files.map(fileLine));
      if (report.filteredOut.length) out.push(`${report.filteredOut.length} files left out by --symbols.`);
      if (report.files.length === 0) out.push('No file matched; nothing was loaded.');
    } else {
      const from = opts.from!;
      if (!(API_SOURCES as readonly string[]).includes(from)) throw new CliError(`Unsupported source "${from}". Should be one of: ${API_SOURCES.join(', ')}.`, 2);
      if (!symbols) throw new CliError(`--from ${from} needs --symbols, e.g. --symbols BTC,ETH,SOL.`, 2);
      const ids = parseIds(opts.coingeckoIds);
      const apiOpts = {
        symbols,
        ...(interval ? { interval } : {}),
        ...(sinceMs !== undefined ? { sinceMs } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(ids ? { coingeckoIds: ids } : {}),
        skipInvalid: Boolean(opts.skipInvalid),
      };
      const reports = from === 'binance' ? await ingestFromBinance(db, apiOpts) : await ingestFromCoingecko(db, apiOpts);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(reports)}\n`);
      out.push(...reports.map(symbolLine));
    }
    process.stdout.write(`${out.join('\n')}\n`);
  });
}

async function ingestSnapshotCommand(opts: IngestOptions, dir: string): Promise<void> {
  await withDatabase(opts, async (db) => {
    const report = await ingestSnapshot(db, dir);
    if (opts.json) return void process.stdout.write(`${JSON.stringify(report)}\n`);
    const lines = [`Database: ${db.kind} ${db.location}`, ...snapshotSeriesLines(report), snapshotLoadLine(report, Date.now())];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

/** Registers `ingest`. */
export function register(program: Command): void {
  addDbOption(program.command('ingest').description('Load candles from CSV files or folders, or from the Binance/CoinGecko public APIs'))
    .option('--csv <file-or-folder...>', 'CSV files or folders; Kaggle coin_*.csv, CryptoDataDownload and CoinGecko layouts are detected')
    .option('--from <source>', `fetch from a public API: ${API_SOURCES.join(' | ')} (incremental)`)
    .option('--snapshot [folder]', 'load a snapshot folder written by `coinsphere snapshot export` (default: the bundled one, packages/data/snapshot)')
    .option('--symbols <list>', 'comma-separated symbols, e.g. BTC,ETH,SOL (CSV: only these files)')
    .option('--interval <interval>', `bar length: ${INTERVALS.join(' | ')} (Binance; CSV when it cannot be told)`)
    .option('--since <YYYY-MM-DD>', 'first day to fetch when nothing is stored yet')
    .option('--skip-invalid', 'load the valid rows of a file with invalid ones and report what was skipped')
    .option('--columns <map>', 'generic CSV: time=<col>,close=<col>[,open=,high=,low=,volume=,quote_volume=,market_cap=,symbol=]')
    .option('--source <name>', 'generic CSV: the source name stored with the rows, lowercased (default csv)')
    .option('--base-url <url>', 'API base URL (default the public Binance or CoinGecko API)')
    .option('--coingecko-ids <map>', 'CoinGecko ids for symbols it does not know, e.g. PEPE=pepe')
    .option('--json', 'print the report as JSON')
    .action(action(run));
}
