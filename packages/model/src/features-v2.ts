// Features v2: twenty daily inputs that carry what the baselines and the literature say predicts crypto moves
// (../shared/research: 1-4-week momentum, realised volatility from the daily range, BTC as the market factor,
// illiquidity), every one scale-free so that one pooled model reads every asset, including one it never saw.
// Computed causally: row t uses candles up to and including day t (and the market's up to day t). Pure
// functions over plain arrays; each formula is beside its code and in README.md. computeFeaturesV2 gives every row,
// computeFeaturesV2Tail the newest ones, bit for bit the same (every series still walks the whole history; only the
// per-row assembly starts later). Must not import tfjs or node:*.
import type { Candle } from './candle.ts';
import type { FeatureMatrix, FeatureStatus, FeatureTail } from './features.ts';
import { utcDayStart } from './dates.ts';
import { emaSeries, rsiSeries } from './indicators.ts';

/** The v2 features; column j of every row is V2_FEATURE_NAMES[j]. */
export const V2_FEATURE_NAMES = [
  'ret_1d',
  'ret_7d',
  'ret_14d',
  'ret_28d',
  'log_vol_7d',
  'log_vol_30d',
  'mom_7d_z',
  'mom_28d_z',
  'rsi_14',
  'ema_gap_20',
  'ema_gap_50',
  'drawdown_90d',
  'range_pos_30d',
  'body_1d',
  'volume_z_30d',
  'illiq_30d',
  'mkt_ret_7d',
  'mkt_ret_28d',
  'mkt_log_vol_30d',
  'rel_ret_28d',
] as const;
export type V2FeatureName = (typeof V2_FEATURE_NAMES)[number];

/** Longest lookback among the v2 features: EMA 50 needs 50 closes, so row 49 is the first valid one. */
export const V2_WARMUP_DAYS = 49;

/** Options of computeFeaturesV2. */
export interface V2Options {
  /** The market factor's daily candles (BTC), oldest first; absent = the mkt_* features hold 0 ('missing'). */
  market?: readonly Candle[];
}

const LN2x4 = 4 * Math.log(2);

/** ln(C_t / C_(t-k)); NaN for t < k. */
function logReturn(close: readonly number[], k: number): Float64Array {
  return Float64Array.from(close, (c, t) => (t >= k ? Math.log(c / close[t - k]!) : Number.NaN));
}

/**
 * Daily variance proxy per day: Parkinson's (ln(H/L))² / (4 ln 2) where the source has a high and a low, else the
 * squared close-to-close log return (price-only sources such as CoinGecko). [nDays]; NaN on day 0 without a range.
 */
function dailyVariance(daily: readonly Candle[]): Float64Array {
  const variance = new Float64Array(daily.length).fill(Number.NaN);
  daily.forEach((c, t) => {
    if (c.high !== null && c.low !== null && c.high > 0 && c.low > 0 && c.high >= c.low) {
      variance[t] = Math.log(c.high / c.low) ** 2 / LN2x4;
    } else if (t > 0) variance[t] = Math.log(c.close / daily[t - 1]!.close) ** 2;
  });
  return variance;
}

/** Mean of `values` over the `k` rows ending at each row (NaNs skipped); NaN until k rows exist. */
function trailingMean(values: Float64Array, k: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < values.length; t++) {
    const v = values[t]!;
    if (Number.isFinite(v)) { sum += v; count++; }
    const drop = t - k >= 0 ? values[t - k]! : Number.NaN;
    if (Number.isFinite(drop)) { sum -= drop; count--; }
    if (t >= k - 1 && count > 0) out[t] = sum / count;
  }
  return out;
}

/** ln of the annualisation-free daily volatility over `k` days, floored at 1e-4 (0.01% a day). */
function logVolatility(variance: Float64Array, k: number): Float64Array {
  return trailingMean(variance, k).map((v) => (Number.isFinite(v) ? Math.log(Math.max(1e-4, Math.sqrt(v))) : Number.NaN));
}

/** USD volume per day (quote volume, else base volume × close); null where the source has none. */
function usdVolume(c: Candle): number | null {
  const v = c.quoteVolumeUsd ?? (c.baseVolume === null ? null : c.baseVolume * c.close);
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}

/** The market's features by UTC day, carried forward to days the market has no candle (causal). */
function marketColumns(market: readonly Candle[], dayMs: Float64Array): { r7: Float64Array; r28: Float64Array; vol30: Float64Array } {
  const close = market.map((c) => c.close);
  const r7 = logReturn(close, 7);
  const r28 = logReturn(close, 28);
  const vol30 = logVolatility(dailyVariance(market), 30);
  const out = { r7: new Float64Array(dayMs.length).fill(Number.NaN), r28: new Float64Array(dayMs.length).fill(Number.NaN), vol30: new Float64Array(dayMs.length).fill(Number.NaN) };
  let j = -1;
  for (let i = 0; i < dayMs.length; i++) {
    while (j + 1 < market.length && utcDayStart(market[j + 1]!.openTimeMs) <= dayMs[i]!) j++;
    if (j < 0) continue;
    out.r7[i] = r7[j]!;
    out.r28[i] = r28[j]!;
    out.vol30[i] = vol30[j]!;
  }
  return out;
}

type V2Columns = Record<V2FeatureName, (t: number) => number | null>;

/** Evaluates every column on rows max(fromRow, warm-up)..n-1 into [n - fromRow, 20] (NaN on warm-up rows), and
 *  counts per feature the rows with a real value. */
function assembleRows(columns: V2Columns, n: number, fromRow: number): { rows: Float32Array; present: Uint32Array; firstValidIndex: number } {
  const nf = V2_FEATURE_NAMES.length;
  const firstValidIndex = Math.min(n, V2_WARMUP_DAYS);
  const rows = new Float32Array((n - fromRow) * nf).fill(Number.NaN); // [nDays - fromRow, 20]
  const present = new Uint32Array(nf);
  const fns = V2_FEATURE_NAMES.map((name) => columns[name]);
  for (let t = Math.max(firstValidIndex, fromRow); t < n; t++) {
    for (let j = 0; j < nf; j++) {
      const v = fns[j]!(t);
      const real = v !== null && Number.isFinite(v);
      rows[(t - fromRow) * nf + j] = real ? v : 0; // neutral where the input is absent (or the market has not started)
      if (real) present[j]!++;
    }
  }
  return { rows, present, firstValidIndex };
}

/** The [nDays, 20] matrix of every row, with each feature's coverage over the valid rows. */
function assembleMatrix(columns: V2Columns, n: number, dayMs: Float64Array): FeatureMatrix {
  const { rows, present, firstValidIndex } = assembleRows(columns, n, 0);
  const valid = Math.max(0, n - firstValidIndex);
  const featureStatus: Record<string, FeatureStatus> = {};
  const featureCoverage: Record<string, number> = {};
  V2_FEATURE_NAMES.forEach((name, j) => {
    const share = valid > 0 ? present[j]! / valid : 0;
    featureCoverage[name] = share;
    featureStatus[name] = share >= 0.5 ? 'real' : 'missing';
  });
  return { rows, nDays: n, firstValidIndex, dayMs, featureStatus, featureCoverage } as FeatureMatrix;
}

/**
 * The 20 v2 features of each day of `daily` (oldest first, one candle per UTC day; validated by the caller).
 * Row t uses candles 0..t of `daily` and of `opts.market` up to day t. A missing input (no high/low, no volume,
 * no market) gives the neutral 0 and is reported in featureStatus; NaN marks warm-up rows before firstValidIndex.
 */
export function computeFeaturesV2(daily: readonly Candle[], opts: V2Options = {}): FeatureMatrix {
  const dayMs = Float64Array.from(daily, (c) => utcDayStart(c.openTimeMs));
  return assembleMatrix(v2Columns(daily, opts, dayMs, 0), daily.length, dayMs);
}

/**
 * The rows of computeFeaturesV2(daily, opts) from `fromRow` on (clamped to 0..nDays), bit for bit, without the
 * older rows or the coverage (which needs every row); `daily` validated by the caller.
 */
export function computeFeaturesV2Tail(daily: readonly Candle[], opts: V2Options, fromRow: number): FeatureTail {
  const n = daily.length;
  const from = Math.min(n, Math.max(0, fromRow));
  const dayMs = Float64Array.from(daily, (c) => utcDayStart(c.openTimeMs));
  const { rows, firstValidIndex } = assembleRows(v2Columns(daily, opts, dayMs, from), n, from);
  return { rows, fromRow: from, nDays: n, firstValidIndex };
}

/** Each v2 feature as a function of the row (the series it reads computed over every day; RSI's rounding only
 *  from `fromRow`). */
function v2Columns(daily: readonly Candle[], opts: V2Options, dayMs: Float64Array, fromRow: number): V2Columns {
  const close = daily.map((c) => c.close);
  const r1 = logReturn(close, 1);
  const r7 = logReturn(close, 7);
  const r14 = logReturn(close, 14);
  const r28 = logReturn(close, 28);
  const variance = dailyVariance(daily);
  const lv7 = logVolatility(variance, 7);
  const lv30 = logVolatility(variance, 30);
  const rsi = rsiSeries(close, 14, fromRow);
  const ema20 = emaSeries(close, 20);
  const ema50 = emaSeries(close, 50);
  const volume = daily.map(usdVolume);
  const logVolume = Float64Array.from(volume, (v) => (v === null ? Number.NaN : Math.log(v)));
  const meanLogVolume = trailingMean(logVolume, 30);
  // Amihud: |daily return| per dollar traded, averaged over 30 days; ×1e9 keeps the log near zero for majors.
  const amihud = trailingMean(Float64Array.from(daily, (_, t) => (volume[t] === null || t === 0 ? Number.NaN : (Math.abs(r1[t]!) / volume[t]!) * 1e9)), 30);
  const market = opts.market && opts.market.length > 0 ? marketColumns(opts.market, dayMs) : null;
  return {
    ret_1d: (t) => r1[t]!,
    ret_7d: (t) => r7[t]!,
    ret_14d: (t) => r14[t]!,
    ret_28d: (t) => r28[t]!,
    log_vol_7d: (t) => lv7[t]!,
    log_vol_30d: (t) => lv30[t]!,
    // Momentum in units of the month's volatility: r_k / (σ30 · √k).
    mom_7d_z: (t) => r7[t]! / (Math.exp(lv30[t]!) * Math.sqrt(7)),
    mom_28d_z: (t) => r28[t]! / (Math.exp(lv30[t]!) * Math.sqrt(28)),
    rsi_14: (t) => (rsi[t]! - 50) / 50,
    ema_gap_20: (t) => Math.log(close[t]! / ema20[t]!),
    ema_gap_50: (t) => Math.log(close[t]! / ema50[t]!),
    drawdown_90d: (t) => {
      let peak = 0;
      for (let i = Math.max(0, t - 89); i <= t; i++) peak = Math.max(peak, close[i]!);
      return Math.log(close[t]! / peak);
    },
    range_pos_30d: (t) => {
      let lo = Number.POSITIVE_INFINITY, hi = 0;
      for (let i = Math.max(0, t - 29); i <= t; i++) { lo = Math.min(lo, close[i]!); hi = Math.max(hi, close[i]!); }
      return hi > lo ? (close[t]! - lo) / (hi - lo) - 0.5 : 0;
    },
    body_1d: (t) => {
      const { open, high, low } = daily[t]!;
      return open === null || high === null || low === null || !(high > low) ? null : (close[t]! - open) / (high - low);
    },
    volume_z_30d: (t) => (Number.isFinite(logVolume[t]!) && Number.isFinite(meanLogVolume[t]!) ? logVolume[t]! - meanLogVolume[t]! : null),
    illiq_30d: (t) => (Number.isFinite(amihud[t]!) ? Math.log(1e-6 + amihud[t]!) : null),
    mkt_ret_7d: (t) => (market ? market.r7[t]! : null),
    mkt_ret_28d: (t) => (market ? market.r28[t]! : null),
    mkt_log_vol_30d: (t) => (market ? market.vol30[t]! : null),
    rel_ret_28d: (t) => (market ? r28[t]! - market.r28[t]! : null),
  };
}
