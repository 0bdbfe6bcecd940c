// Drawdown probabilities of every asset on every day, walk-forward and pooled: the Student-t of standardized
// returns (r_(t+1) / sqrt(HAR forecast at t)) and the Platt map of raw probabilities onto realised events are both
// refitted every `refitDays` days on past rows only, beside the climatological rate (the past event share) that the
// calibrated probability must beat. Pure; must not import tfjs or node:*.
import { DAY_MS } from '../candle.ts';
import { DRAWDOWN_KEYS, DRAWDOWN_SPECS, type AssetInputs, type DrawdownKey } from './asset-inputs.ts';
import { type DrawdownTable, drawdownProbability, simulateDrawdownTable } from './drawdown.ts';
import type { PanelCalendar } from './har-walk-forward.ts';
import { addPlattRow, applyPlatt, createPlattBins, fitPlatt, type PlattBins, type PlattFit } from './platt.ts';
import { RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';
import { addAbsZ, type AbsZHistogram, createAbsZHistogram, fitStudentT, type StudentTFit } from './student-t.ts';

/** The tail, calibration and base rates in force from a refit day on. */
export interface DrawdownFitSnapshot {
  fromDayMs: number;
  tail: Record<RiskHorizon, StudentTFit | null>;
  platt: Record<DrawdownKey, PlattFit | null>;
  /** Past event share per key (NaN before any outcome is known). */
  climatology: Record<DrawdownKey, number>;
}

/** Per asset and key, [nDays] each: raw (model) probability, calibrated probability, climatological rate. */
export interface DrawdownWalkForward {
  raw: Record<DrawdownKey, Float64Array>[];
  calibrated: Record<DrawdownKey, Float64Array>[];
  climatology: Record<DrawdownKey, Float64Array>[];
  fits: DrawdownFitSnapshot[];
}

const byKey = <T>(make: (k: DrawdownKey) => T) => Object.fromEntries(DRAWDOWN_KEYS.map((k) => [k, make(k)])) as Record<DrawdownKey, T>;

interface State {
  hist: Record<RiskHorizon, AbsZHistogram>;
  bins: Record<DrawdownKey, PlattBins>;
  tables: Map<number, DrawdownTable>;
}

function refit(state: State, fromDayMs: number, opts: RiskOptions): DrawdownFitSnapshot {
  const tail = { 7: fitStudentT(state.hist[7], opts.minTrainRows), 30: fitStudentT(state.hist[30], opts.minTrainRows) };
  for (const t of [tail[7], tail[30]]) {
    if (t && !state.tables.has(t.df)) state.tables.set(t.df, simulateDrawdownTable(t.df, RISK_HORIZONS_DAYS, opts.simulationPaths, opts.seed));
  }
  return {
    fromDayMs, tail,
    platt: byKey((k) => fitPlatt(state.bins[k], opts.minCalibrationEach)),
    climatology: byKey((k) => (state.bins[k].n > 0 ? state.bins[k].nEvents / state.bins[k].n : Number.NaN)),
  };
}

/** Learns from the rows that became known by day g (before the day's refit). */
function addKnownRows(state: State, out: DrawdownWalkForward, a: AssetInputs, k: number, iToday: number, forecast: Record<RiskHorizon, Float64Array>): void {
  for (const h of RISK_HORIZONS_DAYS) {
    const i = iToday - 2; // r_(i+1) closed on day g-1
    if (i >= 0 && i + 1 < a.days.nDays) addAbsZ(state.hist[h], a.days.logReturn[i + 1]! / Math.sqrt(forecast[h][i]!));
  }
  for (const { key, horizonDays } of DRAWDOWN_SPECS) {
    const i = iToday - horizonDays - 1; // the event window ended on day g-1
    if (i < 0 || i >= a.days.nDays) continue;
    const raw = out.raw[k]![key][i]!;
    const event = a.events[key][i]!;
    if (Number.isFinite(raw) && Number.isFinite(event)) addPlattRow(state.bins[key], raw, event === 1);
  }
}

/**
 * Runs the pooled walk-forward. `forecast[k][h]` is asset k's HAR forecast of the mean daily variance over h days
 * (the chosen HAR variant). A probability at day t uses candles up to t and outcomes known before the last refit.
 */
export function walkForwardDrawdown(assets: readonly AssetInputs[], forecast: readonly Record<RiskHorizon, Float64Array>[], cal: PanelCalendar, opts: RiskOptions): DrawdownWalkForward {
  const blank = (a: AssetInputs) => byKey(() => new Float64Array(a.days.nDays).fill(Number.NaN));
  const out: DrawdownWalkForward = { raw: assets.map(blank), calibrated: assets.map(blank), climatology: assets.map(blank), fits: [] };
  const state: State = { hist: { 7: createAbsZHistogram(), 30: createAbsZHistogram() }, bins: byKey(createPlattBins), tables: new Map() };
  let current: DrawdownFitSnapshot | null = null;
  for (let g = 0; g < cal.nDays; g++) {
    assets.forEach((a, k) => addKnownRows(state, out, a, k, g - cal.offsets[k]!, forecast[k]!));
    if (g % opts.refitDays === 0) out.fits.push((current = refit(state, cal.firstDayMs + g * DAY_MS, opts)));
    assets.forEach((a, k) => {
      const i = g - cal.offsets[k]!;
      if (i < 0 || i >= a.days.nDays) return;
      for (const { key, fall, horizonDays } of DRAWDOWN_SPECS) {
        const tail = current!.tail[horizonDays];
        const f = forecast[k]![horizonDays][i]!;
        if (!tail || !Number.isFinite(f)) continue;
        const raw = drawdownProbability(state.tables.get(tail.df)!, horizonDays, fall, f, tail.scale);
        out.raw[k]![key][i] = raw;
        const platt = current!.platt[key];
        if (platt) {
          out.calibrated[k]![key][i] = applyPlatt(platt, raw);
          out.climatology[k]![key][i] = current!.climatology[key];
        }
      }
    });
  }
  return out;
}
