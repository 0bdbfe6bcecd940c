// The specification's 20 daily features, computed causally: the row for day t uses candles up to and including
// day t only. Pure functions over plain arrays; indicators from indicators.ts (technicalindicators' values, bit for
// bit). Must not import tfjs, node:* or anything runtime-specific.
//
// Two entries over one implementation: computeFeatures gives every row (training, evaluation), computeFeatureTail only
// the newest rows (a prediction reads one window): the recursive indicators still walk the whole history, so a
// tail's rows are the matrix's rows bit for bit (features-tail.test.ts), but nothing else is computed for older days.
//
// Scale-free transforms: the normaliser is fitted on the training split only (the oldest 70%), so any feature that
// follows the price level (a Bitcoin EMA goes from $100 to $60,000) would sit far outside the training range out of
// sample. Price-level indicators are therefore expressed relative to today's close, and levels that must stay
// levels (close, volume, market cap) are logged. Each formula is written beside its code below and in README.md.
import { type Candle, HOUR_MS } from './candle.ts';
import { toIsoDay, utcDayStart } from './dates.ts';
import { bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from './indicators.ts';
import { constantSentimentProvider, NEUTRAL_SENTIMENT, type SentimentProvider } from './sentiment-provider.ts';

/** The 20 features in the specification's order and with its names. Column j of every row is FEATURE_NAMES[j]. */
export const FEATURE_NAMES = [
  'close',
  'change_1h',
  'change_24h',
  'hl_spread',
  'log_returns',
  'rsi',
  'macd',
  'macd_signal',
  'bb_upper',
  'bb_lower',
  'ema_20',
  'ema_50',
  'volume_ma',
  'volume',
  'volume_change',
  'market_cap',
  'market_cap_change',
  'social_score',
  'sentiment_pos',
  'sentiment_neg',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const N_FEATURES = FEATURE_NAMES.length;

/**
 * Where a feature's values came from over the valid rows: 'real' when the source supplied its inputs on at least
 * half of them, 'missing' when it mostly held the neutral value because the source lacks the input (no hourly
 * candles, no market cap, no high/low), 'placeholder' for features from a provider that carries no information
 * (the constant sentiment provider). The exact share is in `featureCoverage`.
 */
export type FeatureStatus = 'real' | 'placeholder' | 'missing';

/** Indicator periods, the specification's. */
export const INDICATOR_PERIODS = {
  rsi: 14,
  macdFast: 12,
  macdSlow: 26,
  macdSignal: 9,
  bollinger: 20,
  bollingerStdDev: 2,
  emaShort: 20,
  emaLong: 50,
  volumeMa: 20,
} as const;

/** Options of computeFeatures. */
export interface FeatureOptions {
  /** Hourly candles (any range, oldest first); used for change_1h on the days they cover. */
  hourly?: readonly Candle[];
  /** Social readings; defaults to the constant (placeholder) provider. */
  sentiment?: SentimentProvider;
}

/** The feature matrix of a daily series. */
export interface FeatureMatrix {
  /** Row-major [nDays, N_FEATURES]; row i is the day of daily[i]. Rows before firstValidIndex are not usable. */
  rows: Float32Array;
  nDays: number;
  /** First row where every indicator is warmed up and every present input has started (EMA 50 needs 50 days);
   *  may be >= nDays when the history is too short to give any valid row. */
  firstValidIndex: number;
  /** Start of each row's UTC day, epoch ms: [nDays]. */
  dayMs: Float64Array;
  /** By feature name (of whichever feature set computed the matrix). */
  featureStatus: Record<string, FeatureStatus>;
  /** Share of valid rows (0-1) on which the source supplied the feature's inputs. */
  featureCoverage: Record<string, number>;
}

/** The newest rows of a feature matrix, from `fromRow` on: what a prediction reads (computeFeatureTail). */
export interface FeatureTail {
  /** Row-major [nDays - fromRow, nFeatures]; row k is the day of daily[fromRow + k], equal to the matrix's row. */
  rows: Float32Array;
  fromRow: number;
  nDays: number;
  /** As FeatureMatrix's: the first row where every indicator is warmed up (of the whole history, not the tail). */
  firstValidIndex: number;
}

/** The rows a computation fills: days fromRow..n-1 of n. */
interface RowRange {
  n: number;
  fromRow: number;
}

/** One computed column over a RowRange: values[k] and present[k] are row fromRow + k (NaN during warm-up, present
 *  when the row had real inputs); from is its first defined row. */
interface Column {
  values: Float64Array;
  present: Uint8Array;
  from: number;
}

function column(r: RowRange, from: number, fill: (i: number) => number | null, neutral = 0): Column {
  const values = new Float64Array(r.n - r.fromRow).fill(Number.NaN);
  const present = new Uint8Array(r.n - r.fromRow);
  for (let i = Math.max(from, r.fromRow); i < r.n; i++) {
    const v = fill(i);
    values[i - r.fromRow] = v ?? neutral;
    present[i - r.fromRow] = v === null ? 0 : 1;
  }
  return { values, present, from };
}

/** Refuses unsorted, duplicated or non-positive input, naming the first bad row. */
export function validateDaily(daily: readonly Candle[]): void {
  daily.forEach((c, i) => {
    if (!Number.isFinite(c.close) || c.close <= 0) {
      throw new Error(`Daily candle ${i} (${toIsoDay(c.openTimeMs)}) has close ${c.close}; closes must be positive.`);
    }
    const prev = daily[i - 1];
    if (prev && c.openTimeMs <= prev.openTimeMs) {
      throw new Error(
        `Daily candles must be oldest first with one per day: candle ${i} (${toIsoDay(c.openTimeMs)}) is not after ` +
          `candle ${i - 1} (${toIsoDay(prev.openTimeMs)}). Sort and deduplicate them first.`,
      );
    }
  });
}

/** close = ln(close); change_24h = close_t / close_(t-1) - 1; log_returns = ln(close_t / close_(t-1));
 *  hl_spread = (high - low) / close (neutral 0 where the source has no high/low). */
function priceColumns(r: RowRange, daily: readonly Candle[], close: readonly number[]): Record<string, Column> {
  const prev = (i: number) => close[i - 1]!;
  return {
    close: column(r, 0, (i) => Math.log(close[i]!)),
    change_24h: column(r, 1, (i) => close[i]! / prev(i) - 1),
    log_returns: column(r, 1, (i) => Math.log(close[i]! / prev(i))),
    hl_spread: column(r, 0, (i) => {
      const { high, low } = daily[i]!;
      return high === null || low === null ? null : (high - low) / close[i]!;
    }),
  };
}

/** Price indicators, each relative to today's close so that they do not follow the price level. */
function indicatorColumns(r: RowRange, close: readonly number[]): Record<string, Column> {
  const p = INDICATOR_PERIODS;
  // RSI 14 with Wilder's smoothing, on its 0-100 scale (rounded to 2 decimals, as technicalindicators rounds it).
  const rsi = rsiSeries(close, p.rsi, r.fromRow);
  // MACD line = EMA12(close) - EMA26(close); signal = EMA9(MACD line); both divided by close.
  const { macd, signal } = macdSeries(close, p.macdFast, p.macdSlow, p.macdSignal);
  // Bollinger 20/2: SMA20 +- 2 population standard deviations; bb_upper = upper / close - 1, bb_lower likewise.
  const { upper, lower } = bollingerSeries(close, p.bollinger, p.bollingerStdDev, r.fromRow);
  // EMA (seeded with the SMA of its first `period` closes); ema_k = close / EMA_k - 1.
  const ema20 = emaSeries(close, p.emaShort);
  const ema50 = emaSeries(close, p.emaLong);
  const rel = (series: Float64Array, from: number, f: (v: number, c: number) => number) =>
    column(r, from, (i) => f(series[i]!, close[i]!));
  return {
    rsi: rel(rsi, p.rsi, (v) => v),
    macd: rel(macd, p.macdSlow - 1, (v, c) => v / c),
    macd_signal: rel(signal, p.macdSlow + p.macdSignal - 2, (v, c) => v / c),
    bb_upper: rel(upper, p.bollinger - 1, (v, c) => v / c - 1),
    bb_lower: rel(lower, p.bollinger - 1, (v, c) => v / c - 1),
    ema_20: rel(ema20, p.emaShort - 1, (v, c) => c / v - 1),
    ema_50: rel(ema50, p.emaLong - 1, (v, c) => c / v - 1),
  };
}

/**
 * A level series that some sources lack (volume, market cap): value <= 0 or null counts as absent. Rows before the
 * first present value are not valid; later gaps carry the last known value forward (causal).
 */
function carryForward(raw: readonly (number | null)[]): { filled: Float64Array; first: number; present: Uint8Array } {
  const filled = new Float64Array(raw.length).fill(Number.NaN);
  const present = new Uint8Array(raw.length);
  let first = -1;
  let last = Number.NaN;
  raw.forEach((v, i) => {
    if (v !== null && Number.isFinite(v) && v > 0) {
      last = v;
      present[i] = 1;
      if (first < 0) first = i;
    }
    filled[i] = last;
  });
  return { filled, first, present };
}

/** volume = ln(1 + V); volume_ma = ln(1 + SMA20(V)); volume_change = ln((1 + V_t) / (1 + V_(t-1))), with V the USD
 *  volume (quoteVolumeUsd, else baseVolume * close). market_cap = ln(cap); market_cap_change = cap_t / cap_(t-1) - 1.
 *  A source without the input gives the neutral value 0 on every row. */
function levelColumns(r: RowRange, daily: readonly Candle[]): Record<string, Column> {
  const vol = carryForward(daily.map((c) => c.quoteVolumeUsd ?? (c.baseVolume === null ? null : c.baseVolume * c.close)));
  const cap = carryForward(daily.map((c) => c.marketCapUsd));
  const size = r.n - r.fromRow;
  const absent = (): Column => ({ values: new Float64Array(size), present: new Uint8Array(size), from: 0 });
  const out: Record<string, Column> = {};
  if (vol.first < 0) {
    for (const name of ['volume', 'volume_ma', 'volume_change']) out[name] = absent();
  } else {
    const f = vol.first;
    const logVol = (i: number) => Math.log1p(vol.filled[i]!);
    const ma = smaSeries(vol.filled.subarray(f), INDICATOR_PERIODS.volumeMa); // ma[i - f] is row i's
    const withPresence = (c: Column) => ({ ...c, present: c.present.map((p, k) => p & vol.present[r.fromRow + k]!) });
    out.volume = withPresence(column(r, f, logVol));
    out.volume_ma = withPresence(column(r, f + INDICATOR_PERIODS.volumeMa - 1, (i) => Math.log1p(ma[i - f]!)));
    out.volume_change = withPresence(column(r, f + 1, (i) => logVol(i) - logVol(i - 1)));
  }
  if (cap.first < 0) {
    out.market_cap = absent();
    out.market_cap_change = absent();
  } else {
    const f = cap.first;
    const c = cap.filled;
    const present = cap.present.subarray(r.fromRow);
    out.market_cap = { ...column(r, f, (i) => Math.log(c[i]!)), present };
    out.market_cap_change = { ...column(r, f + 1, (i) => c[i]! / c[i - 1]! - 1), present };
  }
  return out;
}

/** change_1h = close of the day's last hourly candle / close of the hourly candle just before it - 1; neutral 0
 *  on days without two consecutive hourly candles. Uses hourly candles of day t only. */
function hourlyColumn(r: RowRange, daily: readonly Candle[], hourly: readonly Candle[]): Column {
  const lastOfDay = new Map<number, number>(); // day start -> index of that day's last hourly candle
  hourly.forEach((h, i) => {
    const prev = hourly[i - 1];
    if (prev && h.openTimeMs <= prev.openTimeMs) {
      throw new Error(`Hourly candles must be oldest first: candle ${i} is not after candle ${i - 1}.`);
    }
    lastOfDay.set(utcDayStart(h.openTimeMs), i);
  });
  return column(r, 0, (i) => {
    const j = lastOfDay.get(utcDayStart(daily[i]!.openTimeMs));
    if (j === undefined || j === 0) return null;
    const last = hourly[j]!;
    const before = hourly[j - 1]!;
    return last.openTimeMs - before.openTimeMs === HOUR_MS ? last.close / before.close - 1 : null;
  });
}

/** social_score, sentiment_pos, sentiment_neg as the provider reads them (0-100); neutral 50 where it has none. */
function socialColumns(r: RowRange, daily: readonly Candle[], provider: SentimentProvider): Record<string, Column> {
  const readings = daily.slice(r.fromRow).map((c) => provider.readingAt(utcDayStart(c.openTimeMs))); // [k] is row fromRow + k
  const pick = (key: keyof typeof NEUTRAL_SENTIMENT) =>
    column(r, 0, (i) => readings[i - r.fromRow]?.[key] ?? null, NEUTRAL_SENTIMENT[key]);
  return { social_score: pick('socialScore'), sentiment_pos: pick('sentimentPos'), sentiment_neg: pick('sentimentNeg') };
}

/**
 * Computes the 20 features for each day of `daily` (oldest first, one candle per UTC day).
 * Row t uses daily candles 0..t and hourly candles of day t only, so appending later candles never changes it.
 * Throws on unsorted or duplicated candles and on non-positive closes, naming the row.
 */
export function computeFeatures(daily: readonly Candle[], opts: FeatureOptions = {}): FeatureMatrix {
  validateDaily(daily);
  const n = daily.length;
  const provider = opts.sentiment ?? constantSentimentProvider();
  const { rows, cols, firstValidIndex } = featureRows(daily, { ...opts, sentiment: provider }, 0);
  const featureStatus = {} as Record<FeatureName, FeatureStatus>;
  const featureCoverage = {} as Record<FeatureName, number>;
  const validRows = Math.max(0, n - firstValidIndex);
  FEATURE_NAMES.forEach((name, j) => {
    let covered = 0;
    for (let i = firstValidIndex; i < n; i++) covered += cols[j]!.present[i]!;
    const share = validRows > 0 ? covered / validRows : 0;
    featureCoverage[name] = share;
    const social = name === 'social_score' || name === 'sentiment_pos' || name === 'sentiment_neg';
    featureStatus[name] = social && provider.kind === 'placeholder' ? 'placeholder' : share >= 0.5 ? 'real' : 'missing';
  });
  const dayMs = Float64Array.from(daily, (c) => utcDayStart(c.openTimeMs));
  return { rows, nDays: n, firstValidIndex, dayMs, featureStatus, featureCoverage };
}

/**
 * The rows of computeFeatures(daily, opts) from `fromRow` on (clamped to 0..nDays), bit for bit, without the
 * older rows or the coverage (which needs every row). Throws as computeFeatures does.
 */
export function computeFeatureTail(daily: readonly Candle[], opts: FeatureOptions, fromRow: number): FeatureTail {
  validateDaily(daily);
  const from = Math.min(daily.length, Math.max(0, fromRow));
  const { rows, firstValidIndex } = featureRows(daily, { ...opts, sentiment: opts.sentiment ?? constantSentimentProvider() }, from);
  return { rows, fromRow: from, nDays: daily.length, firstValidIndex };
}

/** The 20 columns over rows fromRow..n-1 and their row-major matrix [n - fromRow, 20] (daily already validated). */
function featureRows(daily: readonly Candle[], opts: FeatureOptions & { sentiment: SentimentProvider }, fromRow: number): { rows: Float32Array; cols: Column[]; firstValidIndex: number } {
  const r: RowRange = { n: daily.length, fromRow };
  const close = daily.map((c) => c.close);
  const columns: Record<string, Column> = {
    ...priceColumns(r, daily, close),
    ...indicatorColumns(r, close),
    ...levelColumns(r, daily),
    ...socialColumns(r, daily, opts.sentiment),
    change_1h: hourlyColumn(r, daily, opts.hourly ?? []),
  };
  const cols = FEATURE_NAMES.map((name) => columns[name]!);
  const size = r.n - fromRow;
  const rows = new Float32Array(size * N_FEATURES); // [nDays - fromRow, 20]
  cols.forEach((c, j) => {
    for (let k = 0; k < size; k++) rows[k * N_FEATURES + j] = c.values[k]!;
  });
  return { rows, cols, firstValidIndex: Math.max(...cols.map((c) => c.from)) };
}

/** Index of the first valid row when every input is present from day 0 (EMA 50 needs 50 closes). */
export const FEATURE_WARMUP_DAYS = INDICATOR_PERIODS.emaLong - 1;
