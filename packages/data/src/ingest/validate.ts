// Row rules shared by every ingest source: prices finite and positive, high/low consistent, volumes not
// negative, market cap 0 read as missing, timestamps on the bar boundary, duplicates collapsed when identical
// and refused when they differ. Gaps are reported, never filled. Pure: no runtime imports.
import type { Candle, Interval } from '@coinsphere/model/core';

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

function sameValues(a: Candle, b: Candle): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.baseVolume === b.baseVolume &&
    a.quoteVolumeUsd === b.quoteVolumeUsd &&
    a.marketCapUsd === b.marketCapUsd
  );
}

/** A flat hour with no trading: the exchange's filler during maintenance, not a real candle. */
export function isMaintenanceFiller(c: Candle): boolean {
  return c.baseVolume === 0 && c.open === c.close && c.high === c.close && c.low === c.close;
}

/**
 * Validates rows of one series (any order). Market cap 0 becomes null. Identical rows at one open time
 * collapse; rows at one open time with different values are all refused. With `dropMaintenance`, flat
 * zero-volume bars are dropped and counted (they become gaps).
 */
export function validateSeries(rows: readonly RawCandle[], interval: Interval, opts: { dropMaintenance?: boolean } = {}): ValidatedSeries {
  const problems: RowProblem[] = [];
  const byTime = new Map<number, RawCandle>();
  const conflicted = new Set<number>();
  let duplicates = 0;
  let maintenanceDropped = 0;
  for (const raw of rows) {
    const c: RawCandle = raw.marketCapUsd === 0 ? { ...raw, marketCapUsd: null } : raw;
    const problem = candleProblem(c, interval);
    if (problem) {
      problems.push({ line: c.line, reason: problem });
      continue;
    }
    const first = byTime.get(c.openTimeMs);
    if (first) {
      if (sameValues(first, c)) duplicates++;
      else {
        const at = new Date(c.openTimeMs).toISOString();
        problems.push({ line: c.line, reason: `timestamp ${at} repeats line ${first.line} with different prices or volumes` });
        conflicted.add(c.openTimeMs);
      }
      continue;
    }
    byTime.set(c.openTimeMs, c);
  }
  for (const t of conflicted) {
    const first = byTime.get(t);
    if (first) problems.push({ line: first.line, reason: `timestamp ${new Date(t).toISOString()} appears again later with different values` });
    byTime.delete(t);
  }
  const candles: Candle[] = [];
  for (const c of [...byTime.values()].sort((a, b) => a.openTimeMs - b.openTimeMs)) {
    if (opts.dropMaintenance && isMaintenanceFiller(c)) {
      maintenanceDropped++;
      continue;
    }
    const { line: _line, ...candle } = c;
    candles.push(candle);
  }
  problems.sort((a, b) => a.line - b.line);
  return { candles, duplicates, problems, maintenanceDropped, gaps: findGaps(candles, interval) };
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
