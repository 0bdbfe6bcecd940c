// The risk model run over a panel of assets: inputs per asset, the pooled HAR walk-forward (levels or logs chosen
// on the selection period), the drawdown walk-forward on the chosen forecasts, and the cross-sectional liquidity
// percentiles per day. What assessRisk reads to answer for one asset and day. Pure; must not import tfjs or node:*.
import { type Candle, DAY_MS } from '../candle.ts';
import { type AssetInputs, assetInputs } from './asset-inputs.ts';
import { crossSectionPercentiles } from './cross-section.ts';
import { type DrawdownWalkForward, walkForwardDrawdown } from './drawdown-walk-forward.ts';
import { type HarWalkForward, type PanelCalendar, walkForwardHar } from './har-walk-forward.ts';
import { qlikeLoss } from './losses.ts';
import { DEFAULT_RISK_OPTIONS, RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';

/** One asset's daily candles, oldest first. */
export interface RiskSeries {
  symbol: string;
  candles: readonly Candle[];
}

/** Which HAR variant is used per horizon, and the selection-period QLIKE that chose it. */
export interface HarChoice {
  logs: boolean;
  /** 'auto' when chosen on the selection period, 'fixed' when set by the options. */
  how: 'auto' | 'fixed';
  /** Mean QLIKE of each variant on the selection rows (NaN when fixed or none). */
  selectionQlike: { level: number; log: number };
  selectionRows: number;
}

/** Everything computed for a panel of assets. */
export interface RiskPanel {
  options: RiskOptions;
  calendar: PanelCalendar;
  assets: AssetInputs[];
  har: HarWalkForward;
  harChoice: Record<RiskHorizon, HarChoice>;
  /** The chosen HAR forecast of the mean daily variance, per asset and horizon ([nDays]). */
  forecast: Record<RiskHorizon, Float64Array>[];
  drawdown: DrawdownWalkForward;
  /** Cross-sectional percentiles per asset ([nDays]; NaN when the asset has no value or too few assets do). */
  amihudPercentile: Float64Array[];
  spreadPercentile: Float64Array[];
}

/** What assessRiskAt reads: the options, the assets' inputs and, per asset and day, the forecasts, the drawdown
 *  probabilities and the liquidity percentiles. A whole panel is one; so is one asset under a frozen RiskModel. */
export type RiskView = Pick<RiskPanel, 'options' | 'assets' | 'forecast' | 'amihudPercentile' | 'spreadPercentile'> & {
  drawdown: Pick<DrawdownWalkForward, 'raw' | 'calibrated'>;
  /** Per asset, calendar days of history before its first candle here (an asset given as its recent candles). */
  ageOffsetDays?: readonly number[];
};

/** Whether asset `a`'s liquidity on local day `i` enters the day's cross-section: a candle that day, no more gaps
 *  than allowed in the lookback, a full lookback behind it and no zero-volume day in it. */
export function liquidityCounts(a: AssetInputs, i: number, opts: RiskOptions): boolean {
  return a.days.present[i] === 1 && a.gapDays[i]! <= Math.floor(opts.lookbackDays * opts.maxGapShare) && i + 1 >= opts.lookbackDays && a.liquidity.zeroVolumeDays[i] === 0;
}

function chooseHar(assets: readonly AssetInputs[], har: HarWalkForward, h: RiskHorizon, opts: RiskOptions): HarChoice {
  if (opts.harLogs !== 'auto') return { logs: opts.harLogs, how: 'fixed', selectionQlike: { level: Number.NaN, log: Number.NaN }, selectionRows: 0 };
  let level = 0, log = 0, n = 0;
  assets.forEach((a, k) => {
    for (let i = 0; i < a.days.nDays && a.days.firstDayMs + i * DAY_MS < opts.selectUntilMs; i++) {
      const y = a.target[h][i]!;
      const fl = har.level[k]![h][i]!;
      const fg = har.log[k]![h][i]!;
      if (!(Number.isFinite(y) && y > 0 && Number.isFinite(fl) && Number.isFinite(fg))) continue;
      level += qlikeLoss(y, fl);
      log += qlikeLoss(y, fg);
      n++;
    }
  });
  // no selection rows: logs, the usual choice for volatility (Corsi 2009; Clements & Preve 2019)
  return { logs: n === 0 || log <= level, how: 'auto', selectionQlike: { level: level / n, log: log / n }, selectionRows: n };
}

function percentiles(assets: readonly AssetInputs[], cal: PanelCalendar, minAssets: number, pick: (a: AssetInputs, i: number) => number): Float64Array[] {
  const out = assets.map((a) => new Float64Array(a.days.nDays).fill(Number.NaN));
  for (let g = 0; g < cal.nDays; g++) {
    const values = assets.map((a, k) => {
      const i = g - cal.offsets[k]!;
      return i >= 0 && i < a.days.nDays ? pick(a, i) : Number.NaN;
    });
    crossSectionPercentiles(values, minAssets).forEach((p, k) => {
      if (Number.isFinite(p)) out[k]![g - cal.offsets[k]!] = p;
    });
  }
  return out;
}

/**
 * Runs the risk model over `series` (distinct symbols, daily candles oldest first). Every value at day t uses
 * candles up to t and fits made from rows known before t. Throws on invalid candles or duplicate symbols.
 */
export function computeRiskPanel(series: readonly RiskSeries[], options: Partial<RiskOptions> = {}): RiskPanel {
  const opts: RiskOptions = { ...DEFAULT_RISK_OPTIONS, ...options };
  const symbols = new Set(series.map((s) => s.symbol));
  if (symbols.size !== series.length) throw new Error(`computeRiskPanel got ${series.length} series for ${symbols.size} distinct symbols; pass one series per symbol.`);
  const assets = series.map((s) => assetInputs(s.symbol, s.candles, opts));
  const firstDayMs = Math.min(...assets.map((a) => a.days.firstDayMs));
  const lastDayMs = Math.max(...assets.map((a) => a.days.firstDayMs + (a.days.nDays - 1) * DAY_MS));
  const cal: PanelCalendar = { firstDayMs, nDays: Math.round((lastDayMs - firstDayMs) / DAY_MS) + 1, offsets: assets.map((a) => Math.round((a.days.firstDayMs - firstDayMs) / DAY_MS)) };
  const har = walkForwardHar(assets, cal, opts);
  const harChoice = { 7: chooseHar(assets, har, 7, opts), 30: chooseHar(assets, har, 30, opts) };
  const forecast = assets.map((_, k) => Object.fromEntries(RISK_HORIZONS_DAYS.map((h) => [h, (harChoice[h].logs ? har.log : har.level)[k]![h]])) as Record<RiskHorizon, Float64Array>);
  const clean = (a: AssetInputs, i: number) => liquidityCounts(a, i, opts);
  return {
    options: opts, calendar: cal, assets, har, harChoice, forecast,
    drawdown: walkForwardDrawdown(assets, forecast, cal, opts),
    amihudPercentile: percentiles(assets, cal, opts.minAssetsForPercentile, (a, i) => (clean(a, i) ? a.liquidity.amihud[i]! : Number.NaN)),
    spreadPercentile: percentiles(assets, cal, opts.minAssetsForPercentile, (a, i) => (clean(a, i) ? a.liquidity.spread[i]! : Number.NaN)),
  };
}
