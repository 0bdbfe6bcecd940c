// The HAR forecasts of every asset on every day, walk-forward and pooled: one fit per horizon over all assets' past
// rows (crypto shares one volatility regime, and a single asset's history is short), refitted every `refitDays`
// days on every row whose target window ended before the fit day, in levels and in logs side by side.
// Pure; must not import tfjs or node:*.
import { DAY_MS } from '../candle.ts';
import type { AssetInputs } from './asset-inputs.ts';
import { addNormalRow, createNormalEquations, type HarFit, harForecast, harRow, harTarget, type NormalEquations, solveNormalEquations } from './har.ts';
import { RISK_HORIZONS_DAYS, type RiskHorizon, type RiskOptions } from './risk-options.ts';

/** The HAR fits in force from a refit day on. */
export interface HarFitSnapshot {
  fromDayMs: number;
  level: Record<RiskHorizon, HarFit | null>;
  log: Record<RiskHorizon, HarFit | null>;
}

/** Forecasts of the next h days' mean daily variance ([nDays] per asset and horizon; NaN before a fit). */
export interface HarWalkForward {
  level: Record<RiskHorizon, Float64Array>[];
  log: Record<RiskHorizon, Float64Array>[];
  fits: HarFitSnapshot[];
}

/** The panel's calendar: the first day of any asset and the days up to the last day of any. */
export interface PanelCalendar {
  firstDayMs: number;
  nDays: number;
  /** Global day index of each asset's local day 0. */
  offsets: number[];
}

function fitBoth(eqs: Record<'level' | 'log', Record<RiskHorizon, NormalEquations>>, h: RiskHorizon, minRows: number) {
  const fit = (logs: boolean): HarFit | null => {
    const ne = eqs[logs ? 'log' : 'level'][h];
    const s = ne.n >= minRows ? solveNormalEquations(ne) : null;
    return s ? { horizonDays: h, logs, beta: Array.from(s.beta), residualVariance: s.residualVariance, nRows: ne.n } : null;
  };
  return { level: fit(false), log: fit(true) };
}

/** Runs the pooled walk-forward over the calendar. A forecast at day t uses candles up to t and fits of rows
 *  whose targets ended before the last refit day ≤ t. */
export function walkForwardHar(assets: readonly AssetInputs[], cal: PanelCalendar, opts: RiskOptions): HarWalkForward {
  const eqs = {
    level: { 7: createNormalEquations(4), 30: createNormalEquations(4) },
    log: { 7: createNormalEquations(4), 30: createNormalEquations(4) },
  };
  const blank = (a: AssetInputs) => ({ 7: new Float64Array(a.days.nDays).fill(Number.NaN), 30: new Float64Array(a.days.nDays).fill(Number.NaN) });
  const out: HarWalkForward = { level: assets.map(blank), log: assets.map(blank), fits: [] };
  let current: HarFitSnapshot | null = null;
  const row = new Float64Array(4); // [1, d, w, m]
  for (let g = 0; g < cal.nDays; g++) {
    assets.forEach((a, k) => {
      for (const h of RISK_HORIZONS_DAYS) {
        const i = g - cal.offsets[k]! - h - 1; // target window i+1..i+h ended on day g-1
        const y = i >= 0 && i < a.days.nDays ? a.target[h][i]! : Number.NaN;
        if (!Number.isFinite(y)) continue;
        for (const logs of [false, true]) if (harRow(a.har, i, logs, row)) addNormalRow(eqs[logs ? 'log' : 'level'][h], row, harTarget(y, logs));
      }
    });
    if (g % opts.refitDays === 0) {
      const f7 = fitBoth(eqs, 7, opts.minTrainRows);
      const f30 = fitBoth(eqs, 30, opts.minTrainRows);
      current = { fromDayMs: cal.firstDayMs + g * DAY_MS, level: { 7: f7.level, 30: f30.level }, log: { 7: f7.log, 30: f30.log } };
      out.fits.push(current);
    }
    assets.forEach((a, k) => {
      const i = g - cal.offsets[k]!;
      if (i < 0 || i >= a.days.nDays) return;
      for (const h of RISK_HORIZONS_DAYS) {
        for (const logs of [false, true]) {
          const fit = current![logs ? 'log' : 'level'][h];
          if (fit && harRow(a.har, i, logs, row)) out[logs ? 'log' : 'level'][k]![h][i] = harForecast(fit, row);
        }
      }
    });
  }
  return out;
}
