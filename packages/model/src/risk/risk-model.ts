// The risk model frozen on one day: the fits the panel had in force that day (the chosen HAR per horizon, the
// Student-t tails, the Platt maps) and that day's cross-section of liquidity, as plain JSON. With one asset's daily
// candles it gives that asset's assessment on that day through the same assessRiskAt as the panel, so a browser or a
// Worker that has the candles but not every other asset's history computes the score publish stored.
// Pure; must not import tfjs or node:*.
import { type Candle, DAY_MS } from '../candle.ts';
import { toIsoDay } from '../dates.ts';
import { assessRiskAt, type RiskAssessment } from './assess-risk.ts';
import { assetInputs, DRAWDOWN_KEYS, DRAWDOWN_SPECS, type DrawdownKey } from './asset-inputs.ts';
import { crossSectionPercentiles } from './cross-section.ts';
import { type DrawdownTable, drawdownProbability, simulateDrawdownTable } from './drawdown.ts';
import { type HarFit, harForecast, harRow } from './har.ts';
import { applyPlatt, type PlattFit } from './platt.ts';
import { liquidityCounts, type RiskPanel, type RiskView } from './risk-panel.ts';
import { RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';
import { RISK_METHOD_VERSION } from './risk-score.ts';
import type { StudentTFit } from './student-t.ts';

/** One asset's liquidity in the day's cross-section (null: it had none that counts). */
export interface RiskCrossSectionEntry {
  symbol: string;
  amihud: number | null;
  spread: number | null;
}

/** Everything an assessment on `dayMs` needs besides the asset's own candles. JSON-safe (no NaN, no Map). */
export interface RiskModel {
  methodVersion: string;
  /** The UTC day (epoch ms) the model answers for. */
  dayMs: number;
  options: RiskOptions;
  /** The HAR fit in force that day, of the variant chosen per horizon (null: not fitted yet). */
  har: Record<RiskHorizon, HarFit | null>;
  /** The Student-t of standardized returns per horizon (null: not fitted yet). */
  tail: Record<RiskHorizon, StudentTFit | null>;
  /** The Platt map per drawdown key (null: too few past events to calibrate). */
  platt: Record<DrawdownKey, PlattFit | null>;
  /** Every panel asset's liquidity that day. */
  crossSection: RiskCrossSectionEntry[];
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The last snapshot in force on `dayMs` (snapshots ascending by fromDayMs). */
function inForce<T extends { fromDayMs: number }>(snapshots: readonly T[], dayMs: number): T | null {
  let found: T | null = null;
  for (const s of snapshots) if (s.fromDayMs <= dayMs) found = s;
  return found;
}

/** The model `panel` used on the UTC day `dayMs`. Throws when the day is outside the panel's calendar. */
export function riskModelAt(panel: RiskPanel, dayMs: number): RiskModel {
  const g = Math.round((dayMs - panel.calendar.firstDayMs) / DAY_MS);
  if (g < 0 || g >= panel.calendar.nDays) {
    throw new Error(`The risk panel covers ${toIsoDay(panel.calendar.firstDayMs)} to ${toIsoDay(panel.calendar.firstDayMs + (panel.calendar.nDays - 1) * DAY_MS)}, not ${toIsoDay(dayMs)}.`);
  }
  const har = inForce(panel.har.fits, dayMs);
  const dd = inForce(panel.drawdown.fits, dayMs);
  const chosen = (h: RiskHorizon) => (har ? har[panel.harChoice[h].logs ? 'log' : 'level'][h] : null);
  return {
    methodVersion: RISK_METHOD_VERSION,
    dayMs,
    options: panel.options,
    har: { 7: chosen(7), 30: chosen(30) },
    tail: { 7: dd?.tail[7] ?? null, 30: dd?.tail[30] ?? null },
    platt: Object.fromEntries(DRAWDOWN_KEYS.map((k) => [k, dd?.platt[k] ?? null])) as Record<DrawdownKey, PlattFit | null>,
    crossSection: panel.assets.map((a) => {
      const i = Math.round((dayMs - a.days.firstDayMs) / DAY_MS);
      const counts = i >= 0 && i < a.days.nDays && liquidityCounts(a, i, panel.options);
      return { symbol: a.symbol, amihud: counts ? finiteOrNull(a.liquidity.amihud[i]!) : null, spread: counts ? finiteOrNull(a.liquidity.spread[i]!) : null };
    }),
  };
}

const tables = new Map<string, DrawdownTable>();

/** The simulated drawdown table of `df` under the model's options, simulated once per process and kept. */
function tableOf(df: number, opts: RiskOptions): DrawdownTable {
  const key = `${df}:${opts.simulationPaths}:${opts.seed}`;
  let t = tables.get(key);
  if (!t) tables.set(key, (t = simulateDrawdownTable(df, RISK_HORIZONS_DAYS, opts.simulationPaths, opts.seed)));
  return t;
}

/**
 * Simulates, once per process, the drawdown tables `model` reads (one per Student-t df; ~30 ms each), so that the
 * next assessRiskWithModel costs about 0.2 ms. A page calls it while the candles download.
 */
export function prepareRiskModel(model: RiskModel): void {
  for (const h of RISK_HORIZONS_DAYS) {
    const t = model.tail[h];
    if (t) tableOf(t.df, model.options);
  }
}

/** The percentile of `own` among the cross-section's other assets' values and it (NaN when it has none). */
function ownPercentile(model: RiskModel, symbol: string, own: number, pick: (e: RiskCrossSectionEntry) => number | null): number {
  const others = model.crossSection.filter((e) => e.symbol !== symbol).map((e) => pick(e) ?? Number.NaN);
  return crossSectionPercentiles([...others, own], model.options.minAssetsForPercentile)[others.length]!;
}

/** Days of candles, ending on the model's day, that an assessment reads when it is not given the whole history: the
 *  longest trailing window is 31 days (the spread's 30 days and the close before them), so 90 leave a margin. */
export const RISK_CANDLE_DAYS = 90;

/**
 * The assessment of `symbol` on the model's day from its daily candles, oldest first: its whole history, or at
 * least its last RISK_CANDLE_DAYS days up to the model's day with `historyStartMs`, the UTC day its history begins
 * (for the age; the trailing windows then start later, so values agree with the panel's to rounding, ~1e-15).
 * Candles after the model's day change nothing. Throws when the model is of another method version, or the
 * candles do not reach the model's day or are too few.
 */
export function assessRiskWithModel(model: RiskModel, symbol: string, candles: readonly Candle[], historyStartMs?: number): RiskAssessment {
  if (model.methodVersion !== RISK_METHOD_VERSION) {
    throw new Error(`The risk model is of method ${model.methodVersion}; this code computes ${RISK_METHOD_VERSION}. Publish again with this version, or load the matching code.`);
  }
  const opts = model.options;
  const a = assetInputs(symbol, candles, opts);
  const i = Math.round((model.dayMs - a.days.firstDayMs) / DAY_MS);
  if (i < 0 || i >= a.days.nDays) {
    throw new Error(`${symbol}'s candles run from ${toIsoDay(a.days.firstDayMs)} to ${toIsoDay(a.days.firstDayMs + (a.days.nDays - 1) * DAY_MS)}; the risk model is for ${toIsoDay(model.dayMs)}. Pass the candles up to that day.`);
  }
  const start = historyStartMs ?? a.days.firstDayMs;
  if (start > a.days.firstDayMs) throw new Error(`${symbol}'s history is said to begin on ${toIsoDay(start)}, after its first candle (${toIsoDay(a.days.firstDayMs)}). Pass the day of its first candle.`);
  if (start < a.days.firstDayMs && i + 1 < RISK_CANDLE_DAYS) {
    throw new Error(`${symbol}: ${i + 1} days of candles up to ${toIsoDay(model.dayMs)}, and its history begins earlier (${toIsoDay(start)}); an assessment needs the last ${RISK_CANDLE_DAYS} days. Pass more candles.`);
  }
  const day = () => new Float64Array(a.days.nDays).fill(Number.NaN);
  const forecast = { 7: day(), 30: day() };
  const row = new Float64Array(4);
  for (const h of RISK_HORIZONS_DAYS) {
    const fit = model.har[h];
    if (fit && harRow(a.har, i, fit.logs, row)) forecast[h][i] = harForecast(fit, row);
  }
  const raw = Object.fromEntries(DRAWDOWN_KEYS.map((k) => [k, day()])) as Record<DrawdownKey, Float64Array>;
  const calibrated = Object.fromEntries(DRAWDOWN_KEYS.map((k) => [k, day()])) as Record<DrawdownKey, Float64Array>;
  for (const { key, fall, horizonDays } of DRAWDOWN_SPECS) {
    const tail = model.tail[horizonDays];
    const f = forecast[horizonDays][i]!;
    if (!tail || !Number.isFinite(f)) continue;
    raw[key][i] = drawdownProbability(tableOf(tail.df, opts), horizonDays, fall, f, tail.scale);
    const platt = model.platt[key];
    if (platt) calibrated[key][i] = applyPlatt(platt, raw[key][i]!);
  }
  const counts = liquidityCounts(a, i, opts);
  const amihudPercentile = day();
  const spreadPercentile = day();
  amihudPercentile[i] = ownPercentile(model, symbol, counts ? a.liquidity.amihud[i]! : Number.NaN, (e) => e.amihud);
  spreadPercentile[i] = ownPercentile(model, symbol, counts ? a.liquidity.spread[i]! : Number.NaN, (e) => e.spread);
  const ageOffsetDays = [Math.round((a.days.firstDayMs - start) / DAY_MS)];
  const view: RiskView = { options: opts, assets: [a], ageOffsetDays, forecast: [forecast], drawdown: { raw: [raw], calibrated: [calibrated] }, amihudPercentile: [amihudPercentile], spreadPercentile: [spreadPercentile] };
  return assessRiskAt(view, 0, i);
}
