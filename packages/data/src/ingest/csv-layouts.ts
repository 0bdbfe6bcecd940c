// Recognises the CSV layouts we read without format flags, and maps their rows to raw candles:
//   coinmarketcap  Kaggle `coin_<Name>.csv`: SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap;
//                  Date `YYYY-MM-DD 23:59:59` is the end of the bar, so the open time is that day 00:00 UTC.
//   cryptodatadownload  banner line, then Unix|Unix Timestamp,Date,Symbol,Open,High,Low,Close,Volume <BASE>,
//                  Volume USDT[,tradecount]; newest first; Unix in ms (daily) or seconds as float (hourly). The
//                  text Date column is ignored (unreliable in the hourly files).
//   coingecko      `<sym>-usd-max.csv`: snapped_at,price,market_cap,total_volume. The snapshot stamped day D is
//                  the close of D-1, so it is stored with open time D-1 (price only: open/high/low null). The
//                  last row is exported mid-day (provisional volume) and is not stored.
// An empty volume or market cap is missing (null), not invalid; an empty price is invalid. Every layout's symbol
// passes the one symbol rule (normalizeAssetSymbol: 1 to 15 letters or digits), or the file is refused naming the
// line; text from the file that goes into a message goes through printable().
//   generic        any CSV with a header, mapped with `--columns time=<col>,close=<col>,…`.
// Pure: no runtime imports.
import { assetSymbolProblem, normalizeAssetSymbol, printable, type Interval } from '@coinsphere/model/core';
import type { CsvLine } from './csv-text.ts';
import { baseSymbolOf } from './known-assets.ts';
import type { RawCandle, RowProblem } from './validate.ts';

/** The layouts we recognise. */
export type CsvLayout = 'coinmarketcap' | 'cryptodatadownload' | 'coingecko' | 'generic';

/** Columns `--columns` may map, for the generic layout. */
export const GENERIC_COLUMN_KEYS = ['time', 'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'market_cap', 'symbol'] as const;
export type GenericColumnKey = (typeof GENERIC_COLUMN_KEYS)[number];

/** Options that shape how a file is read. */
export interface LayoutOptions {
  /** Generic layout: our column -> the file's header name. */
  columns?: Partial<Record<GenericColumnKey, string>>;
  /** Generic layout: the symbol when no column holds it. */
  symbol?: string;
  /** Generic layout: the source name stored with the rows (default 'csv'). */
  source?: string;
  /** Generic and CryptoDataDownload: the interval when it cannot be told from the file. */
  interval?: Interval;
}

/** The one series a file holds, as its layout says (OpenedLayout and LayoutResult both carry it). */
export interface FileSeries {
  layout: CsvLayout;
  symbol: string;
  interval: Interval;
  source: string;
  assetName?: string;
  binanceSymbol?: string;
}

/** One file mapped to raw candles of one series, before the row rules run (mapLayout, the whole file at once). */
export interface LayoutResult extends FileSeries {
  rows: RawCandle[];
  /** Rows refused while mapping (wrong field count, a symbol that differs from the file's). */
  problems: RowProblem[];
  provisionalDropped: number;
}

/** Thrown for a file that cannot be read at all (unknown layout, missing column); line is 1-based. */
export class LayoutError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

/** Parses `--columns time=Date,close=Price` into a mapping, refusing unknown keys. */
export function parseColumnsOption(text: string): Partial<Record<GenericColumnKey, string>> {
  const out: Partial<Record<GenericColumnKey, string>> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [key, ...rest] = part.split('=');
    const name = rest.join('=').trim();
    const k = (key ?? '').trim().toLowerCase() as GenericColumnKey;
    if (!GENERIC_COLUMN_KEYS.includes(k) || name === '') {
      throw new LayoutError(0, `Bad --columns entry "${part}". Use key=<header name> with keys: ${GENERIC_COLUMN_KEYS.join(', ')}.`);
    }
    out[k] = name;
  }
  if (!out.time || !out.close) throw new LayoutError(0, `--columns must map at least time and close, e.g. --columns time=Date,close=Close.`);
  return out;
}

function num(text: string | undefined): number {
  return text === undefined || text === '' ? Number.NaN : Number(text);
}

function optNum(text: string | undefined): number | null {
  return text === undefined || text === '' ? null : Number(text);
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** UTC ms of `YYYY-MM-DD[ HH:MM[:SS]][Z| UTC|±hh:mm]` or a Unix stamp (≥1e11 read as ms, else seconds); NaN if neither. */
export function parseTimestamp(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const v = Number(text);
    return Math.round(v >= 1e11 ? v : v * 1000);
  }
  const m = STAMP.exec(text);
  if (!m) return Number.NaN;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7).map((x) => x ?? undefined) as string[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59) return Number.NaN;
  const zone = m[8];
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

function floorDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Interval from the smallest spacing between the first rows' open times, or null when it cannot be told. */
function inferInterval(times: number[]): Interval | null {
  let min = Infinity;
  const sorted = times.filter(Number.isFinite).slice(0, 200).sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0 && d < min) min = d;
  }
  if (min === Infinity) return null;
  if (min % DAY_MS === 0) return '1d';
  if (min % 3_600_000 === 0) return '1h';
  return null;
}

/** The header as it may be shown in a message (control characters escaped, length capped). */
function shownHeader(header: string[]): string {
  return printable(header.join(','), 200);
}

/** `text` as the file's symbol by the one rule; a LayoutError naming `line` and the column when it is not a ticker. */
function checkedSymbol(text: string, line: number, where: string): string {
  const symbol = normalizeAssetSymbol(text);
  if (symbol === null) throw new LayoutError(line, `${assetSymbolProblem(text, where)}; fix the file`);
  return symbol;
}

function headerIndex(header: string[], headerLine: number, name: string | RegExp, what: string): number {
  const i = header.findIndex((h) => (typeof name === 'string' ? h.toLowerCase() === name.toLowerCase() : name.test(h)));
  if (i < 0) throw new LayoutError(headerLine, `missing required column ${printable(what)} (header: ${shownHeader(header)})`);
  return i;
}

/** Recognises the layout from the first lines and the file name. */
export function detectLayout(lines: CsvLine[]): { layout: CsvLayout; headerAt: number } {
  const first = lines[0]?.fields ?? [];
  const banner = first.join(',').toLowerCase().includes('cryptodatadownload');
  const headerAt = banner ? 1 : 0;
  const header = (lines[headerAt]?.fields ?? []).map((h) => h.toLowerCase());
  if (banner || /^unix/.test(header[0] ?? '')) return { layout: 'cryptodatadownload', headerAt };
  if (header.includes('snapped_at')) return { layout: 'coingecko', headerAt };
  if (header[0] === 'sno' || header.includes('marketcap')) return { layout: 'coinmarketcap', headerAt };
  return { layout: 'generic', headerAt };
}

/** How many lines from the top a layout is recognised from (banner, header, and rows to infer the interval). */
export const HEAD_LINES = 256;

/** A file's layout, opened from its first lines: the series it holds, and how to map each data line after them. */
export interface OpenedLayout extends FileSeries {
  /** The header's line number: the data lines are those after it. */
  headerLine: number;
  /** True when the file's last data line is not stored (CoinGecko's provisional row, exported mid-day). */
  dropsLastRow: boolean;
  /** Maps one data line to a raw candle, or says why it cannot be one (wrong field count, another symbol). */
  mapRow(l: CsvLine): RawCandle | RowProblem;
}

/** True when mapRow's answer (or a line's fields) is a refusal. */
export function isRowProblem<T extends object>(r: T | RowProblem): r is RowProblem {
  return !Array.isArray(r) && 'reason' in r;
}

/** What every layout's opener gets: the file's name, its header and the data lines among the first lines. */
interface LayoutContext {
  fileName: string;
  opts: LayoutOptions;
  header: string[];
  headerLine: CsvLine;
  /** The data lines within the first HEAD_LINES lines (the first row names the symbol; the interval is read from them). */
  data: CsvLine[];
  /** The line's fields, or the problem when it has the wrong number of them. */
  fieldsOf(l: CsvLine): string[] | RowProblem;
  /** The index of a required column (throws LayoutError naming it and the header). */
  col(name: string | RegExp, what?: string): number;
}

/** The interval when the options or the file name do not say: the spacing of the first rows' open times. */
function intervalOf(c: LayoutContext, mapRow: OpenedLayout['mapRow'], hinted: Interval | null): Interval {
  const interval = c.opts.interval ?? hinted ?? inferInterval(c.data.map(mapRow).filter((r) => !isRowProblem(r)).map((r) => (r as RawCandle).openTimeMs));
  if (!interval) throw new LayoutError(c.headerLine.line, 'cannot tell the interval (1d or 1h); pass --interval');
  return interval;
}

/** Kaggle coin_*.csv (CoinMarketCap): one symbol per file, daily, with market cap. */
function openCoinMarketCap(c: LayoutContext): OpenedLayout {
  const { header, headerLine, data, fieldsOf, col } = c;
  const [iName, iSym, iDate, iH, iL, iO, iC, iV, iM] = [
    header.findIndex((h) => h.toLowerCase() === 'name'), col('Symbol'), col('Date'), col('High'), col('Low'), col('Open'), col('Close'), col('Volume'), col('Marketcap'),
  ] as [number, number, number, number, number, number, number, number, number];
  const firstSymbol = data[0]?.fields[iSym] ?? '';
  if (!firstSymbol) throw new LayoutError(data[0]?.line ?? headerLine.line + 1, 'no Symbol in the first row');
  const symbol = checkedSymbol(firstSymbol, data[0]!.line, 'column Symbol');
  const mapRow = (l: CsvLine): RawCandle | RowProblem => {
    const f = fieldsOf(l);
    if (isRowProblem(f)) return f;
    if (f[iSym]!.trim().toUpperCase() !== symbol) return { line: l.line, reason: `Symbol ${printable(f[iSym]!, 40)} differs from the file's ${symbol}` };
    return { line: l.line, openTimeMs: floorDay(parseTimestamp(f[iDate]!)), open: num(f[iO]), high: num(f[iH]), low: num(f[iL]), close: num(f[iC]), baseVolume: null, quoteVolumeUsd: optNum(f[iV]), marketCapUsd: optNum(f[iM]) };
  };
  const assetName = iName >= 0 ? data[0]?.fields[iName] : undefined;
  return { layout: 'coinmarketcap', symbol, interval: '1d', source: 'coinmarketcap', ...(assetName ? { assetName } : {}), headerLine: headerLine.line, dropsLastRow: false, mapRow };
}

/** CryptoDataDownload exchange files: a banner, unix times, base and quote volume; the interval from the name or the spacing. */
function openCryptoDataDownload(c: LayoutContext): OpenedLayout {
  const { fileName, header, headerLine, data, fieldsOf, col } = c;
  const iT = col(/^unix/i, 'Unix');
  const iSym = col('Symbol');
  const [iO, iH, iL, iC] = [col('Open'), col('High'), col('Low'), col('Close')];
  const iQ = col(/^volume (usdt|usd|busd|usdc)$/i, 'Volume USDT');
  const iB = header.findIndex((h, i) => i !== iQ && /^volume /i.test(h));
  if (iB < 0) throw new LayoutError(headerLine.line, `missing required column Volume <BASE> (header: ${shownHeader(header)})`);
  const pairText = data[0]?.fields[iSym] ?? '';
  if (!pairText) throw new LayoutError(data[0]?.line ?? headerLine.line + 1, 'no Symbol in the first row');
  const symbol = checkedSymbol(baseSymbolOf(pairText), data[0]!.line, 'column Symbol, the pair with its quote currency removed');
  const pair = pairText.trim().toUpperCase();
  const mapRow = (l: CsvLine): RawCandle | RowProblem => {
    const f = fieldsOf(l);
    if (isRowProblem(f)) return f;
    if (f[iSym]!.trim().toUpperCase() !== pair) return { line: l.line, reason: `Symbol ${printable(f[iSym]!, 40)} differs from the file's ${printable(pair, 40)}` };
    return { line: l.line, openTimeMs: /^\d+(\.\d+)?$/.test(f[iT]!) ? parseTimestamp(f[iT]!) : Number.NaN, open: num(f[iO]), high: num(f[iH]), low: num(f[iL]), close: num(f[iC]), baseVolume: optNum(f[iB]), quoteVolumeUsd: optNum(f[iQ]), marketCapUsd: null };
  };
  const hinted: Interval | null = /_1h\.csv$/i.test(fileName) ? '1h' : /_d\.csv$/i.test(fileName) ? '1d' : null;
  const interval = intervalOf(c, mapRow, hinted);
  const exchange = /^([a-z]+)_/i.exec(fileName)?.[1]?.toLowerCase();
  const binanceSymbol = exchange === 'binance' ? pair.replace(/[/\-_: ]/g, '') : undefined; // BTC/USDT -> BTCUSDT, as Binance's API spells it
  return { layout: 'cryptodatadownload', symbol, interval, source: exchange ?? 'cryptodatadownload', ...(binanceSymbol ? { binanceSymbol } : {}), headerLine: headerLine.line, dropsLastRow: false, mapRow };
}

/** CoinGecko's <sym>-usd-max.csv: snapped_at closes with market cap; the last row was exported mid-day, so it is dropped. */
function openCoinGecko(c: LayoutContext): OpenedLayout {
  const { fileName, headerLine, fieldsOf, col, opts } = c;
  const [iT, iP, iM, iV] = [col('snapped_at'), col('price'), col('market_cap'), col('total_volume')];
  const symbolText = /^([a-z0-9]+)-usd/i.exec(fileName)?.[1] ?? opts.symbol;
  const symbol = symbolText === undefined ? undefined : checkedSymbol(symbolText, 0, 'the file name <sym>-usd-max.csv or --symbols');
  if (!symbol) throw new LayoutError(headerLine.line, 'cannot tell the symbol: name the file <sym>-usd-max.csv or pass one symbol with --symbols');
  const mapRow = (l: CsvLine): RawCandle | RowProblem => {
    const f = fieldsOf(l);
    if (isRowProblem(f)) return f;
    return { line: l.line, openTimeMs: floorDay(parseTimestamp(f[iT]!)) - DAY_MS, open: null, high: null, low: null, close: num(f[iP]), baseVolume: null, quoteVolumeUsd: optNum(f[iV]), marketCapUsd: optNum(f[iM]) };
  };
  return { layout: 'coingecko', symbol, interval: '1d', source: 'coingecko', headerLine: headerLine.line, dropsLastRow: true, mapRow };
}

/** Any other header, read through --columns. */
function openGeneric(c: LayoutContext): OpenedLayout {
  const { header, headerLine, data, fieldsOf, col, opts } = c;
  const map = opts.columns;
  if (!map) {
    throw new LayoutError(headerLine.line, `unrecognised layout (header: ${shownHeader(header)}); map its columns with --columns time=<col>,close=<col>[,open=,high=,low=,volume=,quote_volume=,market_cap=,symbol=]`);
  }
  const idx = (key: GenericColumnKey): number => (map[key] ? col(map[key]!, `${map[key]!} (--columns ${key})`) : -1);
  const [iT, iO, iH, iL, iC, iB, iQ, iM, iS] = GENERIC_COLUMN_KEYS.map(idx) as [number, number, number, number, number, number, number, number, number];
  const symbolText = iS >= 0 ? data[0]?.fields[iS] : opts.symbol;
  if (!symbolText) throw new LayoutError(headerLine.line, 'cannot tell the symbol: add symbol=<col> to --columns or pass one symbol with --symbols');
  const symbol = checkedSymbol(baseSymbolOf(symbolText), iS >= 0 ? (data[0]?.line ?? 0) : 0, iS >= 0 ? `column ${map.symbol!}` : '--symbols');
  const opt = (f: string[], i: number): number | null => (i >= 0 ? optNum(f[i]) : null);
  const mapRow = (l: CsvLine): RawCandle | RowProblem => {
    const f = fieldsOf(l);
    if (isRowProblem(f)) return f;
    if (iS >= 0 && baseSymbolOf(f[iS]!) !== symbol) return { line: l.line, reason: `symbol ${printable(f[iS]!, 40)} differs from the file's ${symbol}` };
    return { line: l.line, openTimeMs: parseTimestamp(f[iT]!), open: opt(f, iO), high: opt(f, iH), low: opt(f, iL), close: num(f[iC]), baseVolume: opt(f, iB), quoteVolumeUsd: opt(f, iQ), marketCapUsd: opt(f, iM) };
  };
  return { layout: 'generic', symbol, interval: intervalOf(c, mapRow, null), source: opts.source ?? 'csv', headerLine: headerLine.line, dropsLastRow: false, mapRow };
}

/**
 * Recognises a file's layout from its first lines (up to HEAD_LINES of readCsvLines or streamCsvLines) and its
 * name, and returns how to map every data line after the header. Throws LayoutError for a file that cannot be read.
 */
export function openLayout(fileName: string, head: CsvLine[], opts: LayoutOptions = {}): OpenedLayout {
  if (head.length === 0) throw new LayoutError(1, 'the file is empty');
  const { layout, headerAt } = detectLayout(head);
  const headerLine = head[headerAt];
  if (!headerLine) throw new LayoutError(1, 'no header line');
  const header = headerLine.fields;
  const c: LayoutContext = {
    fileName, opts, header, headerLine, data: head.slice(headerAt + 1),
    fieldsOf: (l) => (l.fields.length === header.length ? l.fields : { line: l.line, reason: `expected ${header.length} fields, found ${l.fields.length}` }),
    col: (name, what = String(name)) => headerIndex(header, headerLine.line, name, what),
  };
  const open = { coinmarketcap: openCoinMarketCap, cryptodatadownload: openCryptoDataDownload, coingecko: openCoinGecko, generic: openGeneric }[layout];
  return open(c);
}

/** Maps a whole file's lines (from readCsvLines) to raw candles of one series. Throws LayoutError for unreadable files. */
export function mapLayout(fileName: string, lines: CsvLine[], opts: LayoutOptions = {}): LayoutResult {
  const opened = openLayout(fileName, lines.slice(0, HEAD_LINES), opts);
  const data = lines.filter((l) => l.line > opened.headerLine);
  const last = opened.dropsLastRow ? data.at(-1) : undefined;
  const rows: RawCandle[] = [];
  const problems: RowProblem[] = [];
  for (const l of data) {
    if (l === last) continue; // provisional: exported during that day
    const r = opened.mapRow(l);
    if (isRowProblem(r)) problems.push(r);
    else rows.push(r);
  }
  const { mapRow: _m, headerLine: _h, dropsLastRow: _d, ...series } = opened;
  return { ...series, rows, problems, provisionalDropped: last ? 1 : 0 };
}
