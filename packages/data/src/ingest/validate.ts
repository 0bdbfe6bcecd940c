// Row rules shared by every ingest source: prices finite and positive, high/low consistent, volumes not
// negative, market cap 0 read as missing, timestamps on the bar boundary, duplicates collapsed when identical
// and refused when they differ. Gaps are reported, never filled. SeriesCheck applies them to a stream of rows while
// holding a few numbers a row (not the rows), so the CSV ingest can check a file of any size; validateSeries
// applies the same class to an array. Pure: no runtime imports.
import { hash53, type Candle, type Interval } from '@coinsphere/model/core';

/** A parsed row before validation: numbers may be NaN (unparseable) and the line says where it came from. */
export interface RawCandle extends Candle {
  line: number;
}

/** A row refused by the rules: its line and why. */
export interface RowProblem {
  line: number;
  reason: string;
}

/** A run of missing bars inside a series (UTC ms, inclusive). */
export interface SeriesGap {
  fromMs: number;
  toMs: number;
  missingBars: number;
}

/** The outcome of validating one series. */
export interface ValidatedSeries {
  /** Valid candles, oldest first, one per open time. */
  candles: Candle[];
  /** Identical repeated rows collapsed into one. */
  duplicates: number;
  /** Rows refused (all of them; the caller decides to refuse the file or skip these). */
  problems: RowProblem[];
  /** Flat zero-volume hours dropped as exchange maintenance (Binance 1h only). */
  maintenanceDropped: number;
  gaps: SeriesGap[];
}

const STEP_MS: Record<Interval, number> = { '1d': 86_400_000, '1h': 3_600_000 };

function fmt(value: number): string {
  return Number.isNaN(value) ? 'an unparseable value' : String(value);
}

/** Why a candle breaks the rules, or null when it is valid. */
export function candleProblem(c: Candle, interval: Interval): string | null {
  if (!Number.isFinite(c.openTimeMs)) return 'unparseable timestamp';
  if (c.openTimeMs % STEP_MS[interval] !== 0) {
    return `timestamp ${new Date(c.openTimeMs).toISOString()} is not on a ${interval} boundary`;
  }
  for (const key of ['open', 'high', 'low', 'close'] as const) {
    const v = c[key];
    if (v === null) {
      if (key === 'close') return 'missing close';
      continue;
    }
    if (!Number.isFinite(v) || v <= 0) return `${key} is ${fmt(v)}; prices must be finite and positive`;
  }
  const { open, high, low, close } = c;
  if (high !== null) {
    for (const [name, v] of [['open', open], ['close', close], ['low', low]] as const) {
      if (v !== null && high < v) return `high ${high} is below ${name} ${v}`;
    }
  }
  if (low !== null) {
    for (const [name, v] of [['open', open], ['close', close]] as const) {
      if (v !== null && low > v) return `low ${low} is above ${name} ${v}`;
    }
  }
  for (const key of ['baseVolume', 'quoteVolumeUsd', 'marketCapUsd'] as const) {
    const v = c[key];
    if (v !== null && (!Number.isFinite(v) || v < 0)) return `${key} is ${fmt(v)}; it must be a finite number ≥ 0`;
  }
  return null;
}

/** What SeriesCheck concluded about a series: which lines to store, and what to report. */
export interface CheckedSeries {
  /** Line numbers of the rows to store, ascending: one per open time. */
  keptLines: Int32Array;
  /** Open time (UTC ms) of each of keptLines' rows, in the same order. */
  keptTimesMs: Float64Array;
  duplicates: number;
  problems: RowProblem[];
  maintenanceDropped: number;
  gaps: SeriesGap[];
  firstMs: number | null;
  lastMs: number | null;
}

/** A 53-bit hash of a row's values (null and every number spelled exactly), for "identical rows". */
function valueHash(c: Candle): number {
  return hash53(`${c.open}|${c.high}|${c.low}|${c.close}|${c.baseVolume}|${c.quoteVolumeUsd}|${c.marketCapUsd}`);
}

/**
 * The row rules over a stream of one series' rows, in any order: `add` each row (or `reject` a row the layout
 * could not read), then `finish`. It keeps 21 bytes a valid row (open time, line, a 53-bit hash of the values, a
 * maintenance flag), never the rows; two rows at one open time count as identical when their hashes agree.
 */
export class SeriesCheck {
  private n = 0;
  private times = new Float64Array(1024);
  private lines = new Int32Array(1024);
  private hashes = new Float64Array(1024);
  private filler = new Uint8Array(1024);
  private readonly problems: RowProblem[] = [];

  constructor(private readonly interval: Interval, private readonly opts: { dropMaintenance?: boolean } = {}) {}

  /** Records a row the layout could not read (wrong field count, another symbol). */
  reject(problem: RowProblem): void {
    this.problems.push(problem);
  }

  /** Checks one row by the row rules and records it. */
  add(raw: RawCandle): void {
    const c = withMissingCap(raw);
    const problem = candleProblem(c, this.interval);
    if (problem) return void this.problems.push({ line: c.line, reason: problem });
    if (this.n === this.times.length) this.grow();
    const i = this.n++;
    this.times[i] = c.openTimeMs;
    this.lines[i] = c.line;
    this.hashes[i] = valueHash(c);
    this.filler[i] = this.opts.dropMaintenance && isMaintenanceFiller(c) ? 1 : 0;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this.times = copy(this.times, new Float64Array(size));
    this.lines = copy(this.lines, new Int32Array(size));
    this.hashes = copy(this.hashes, new Float64Array(size));
    this.filler = copy(this.filler, new Uint8Array(size));
  }

  /** Row indices by open time, then by line (the order they came in); files already in order skip the sort. */
  private byTime(): Uint32Array {
    const { n, times } = this;
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    let ascending = true;
    let descending = true;
    for (let i = 1; i < n && (ascending || descending); i++) {
      if (times[i]! <= times[i - 1]!) ascending = false;
      if (times[i]! >= times[i - 1]!) descending = false;
    }
    if (descending) return order.reverse(); // newest first, as the exchanges export: strictly, so no ties
    if (!ascending) order.sort((i, j) => times[i]! - times[j]! || i - j);
    return order;
  }

  /** The series' verdict: which lines to store, duplicates collapsed, conflicts refused, gaps found. */
  finish(): CheckedSeries {
    const { times, lines, hashes } = this;
    const order = this.byTime();
    const kept: number[] = [];
    let duplicates = 0;
    let maintenanceDropped = 0;
    for (let g = 0; g < order.length; ) {
      const first = order[g]!;
      let end = g + 1;
      let conflict = false;
      for (; end < order.length && times[order[end]!] === times[first]; end++) {
        const k = order[end]!;
        if (hashes[k] === hashes[first]) duplicates++;
        else {
          conflict = true;
          this.problems.push({ line: lines[k]!, reason: `timestamp ${new Date(times[k]!).toISOString()} repeats line ${lines[first]} with different prices or volumes` });
        }
      }
      if (conflict) this.problems.push({ line: lines[first]!, reason: `timestamp ${new Date(times[first]!).toISOString()} appears again later with different values` });
      else if (this.filler[first]) maintenanceDropped++;
      else kept.push(first);
      g = end;
    }
    return this.verdict(kept, duplicates, maintenanceDropped);
  }

  private verdict(kept: number[], duplicates: number, maintenanceDropped: number): CheckedSeries {
    const step = STEP_MS[this.interval];
    const gaps: SeriesGap[] = [];
    for (let i = 1; i < kept.length; i++) {
      const prev = this.times[kept[i - 1]!]!;
      const next = this.times[kept[i]!]!;
      if (next - prev > step) gaps.push({ fromMs: prev + step, toMs: next - step, missingBars: (next - prev) / step - 1 });
    }
    const firstMs = kept.length ? this.times[kept[0]!]! : null;
    const lastMs = kept.length ? this.times[kept.at(-1)!]! : null;
    kept.sort((a, b) => a - b); // by index is by line: the order a second pass over the file meets them
    const keptLines = Int32Array.from(kept, (i) => this.lines[i]!);
    const keptTimesMs = Float64Array.from(kept, (i) => this.times[i]!);
    this.problems.sort((a, b) => a.line - b.line);
    return { keptLines, keptTimesMs, duplicates, problems: this.problems, maintenanceDropped, gaps, firstMs, lastMs };
  }
}

/** A row with market cap 0 read as missing (null), as every source stores it. */
export function withMissingCap<T extends Candle>(c: T): T {
  return c.marketCapUsd === 0 ? { ...c, marketCapUsd: null } : c;
}

/** A flat hour with no trading: the exchange's filler during maintenance, not a real candle. */
export function isMaintenanceFiller(c: Candle): boolean {
  return c.baseVolume === 0 && c.open === c.close && c.high === c.close && c.low === c.close;
}

/**
 * Validates rows of one series (any order, each with its own line number). Market cap 0 becomes null. Identical
 * rows at one open time collapse; rows at one open time with different values are all refused. With
 * `dropMaintenance`, flat zero-volume bars are dropped and counted (they become gaps). The rules are SeriesCheck's
 * (series-check.ts), which the CSV ingest runs over a stream instead of an array.
 */
export function validateSeries(rows: readonly RawCandle[], interval: Interval, opts: { dropMaintenance?: boolean } = {}): ValidatedSeries {
  const check = new SeriesCheck(interval, opts);
  for (const raw of rows) check.add(raw);
  const checked = check.finish();
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const candles = Array.from(checked.keptLines, (line) => {
    const { line: _line, ...candle } = withMissingCap(byLine.get(line)!);
    return candle as Candle;
  }).sort((a, b) => a.openTimeMs - b.openTimeMs);
  return { candles, duplicates: checked.duplicates, problems: checked.problems, maintenanceDropped: checked.maintenanceDropped, gaps: checked.gaps };
}

/** Runs of missing bars between consecutive candles (sorted oldest first). */
export function findGaps(candles: readonly Candle[], interval: Interval): SeriesGap[] {
  const step = STEP_MS[interval];
  const gaps: SeriesGap[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1]!.openTimeMs;
    const next = candles[i]!.openTimeMs;
    if (next - prev > step) gaps.push({ fromMs: prev + step, toMs: next - step, missingBars: (next - prev) / step - 1 });
  }
  return gaps;
}
