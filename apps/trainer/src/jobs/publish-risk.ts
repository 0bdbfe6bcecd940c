// The risk step of publish (issue #15): the Degen Risk Score of every asset in the database from its daily candles
// (the series of each that reaches the newest day), through the risk module's one panel over all assets (the pooled fits and the
// cross-sectional percentiles need them all), stored for each asset's newest RISK_STORED_DAYS days in one
// transaction, with the model frozen on each asset's newest day (so a client with the candles computes that day's
// score itself). An asset without a score is stored with its reason, never a number. Must not import a command.
import { saveRiskScores, toRiskScoreRecord, type Database, type RiskModelRecord, type RiskScoreRecord } from '@coinsphere/data';
import { assessRiskAt, computeRiskPanel, DAY_MS, RISK_METHOD_VERSION, riskModelAt, toIsoDay, type RiskPanel, type RiskReason, type UniverseExclusion } from '@coinsphere/model/core';
import { CliError } from '../cli/errors.ts';
import { readRiskSeries } from './risk-series.ts';

/** Days stored per asset, counted back from its newest candle: three times the route's 30-day history. The panel
 *  itself always runs over the whole history (the walk-forward fits need it); only the storing is cut. */
export const RISK_STORED_DAYS = 90;

/** What the risk step stored: how many assets, and which had no score on their newest day and why. */
export interface RiskPublishResult {
  assets: number;
  /** Symbols with a score on their newest day. */
  scored: string[];
  /** Symbols without one on their newest day, with the reason and its message. */
  unscored: Array<{ symbol: string; day: string; reason: RiskReason; message: string }>;
  /** Rows written (asset-days). */
  rows: number;
  methodVersion: string;
  /** Stablecoins and wrapped tokens, left out of the panel and not scored. */
  excluded: UniverseExclusion[];
}

/** The assessments of asset `k`'s newest `days` days as rows of risk_scores, all with the time `createdAtMs`. */
function rowsOf(panel: RiskPanel, k: number, days: number, createdAtMs: number): RiskScoreRecord[] {
  const n = panel.assets[k]!.days.nDays;
  return Array.from({ length: Math.min(days, n) }, (_, j) => toRiskScoreRecord(assessRiskAt(panel, k, n - Math.min(days, n) + j), RISK_METHOD_VERSION, createdAtMs));
}

/** The frozen model of every asset's newest day (usually one day for all), with the series each asset was read from. */
function modelsOf(panel: RiskPanel, sources: ReadonlyMap<string, string>): RiskModelRecord[] {
  const series = Object.fromEntries(panel.assets.map((a) => [a.symbol, { source: sources.get(a.symbol)!, firstDay: toIsoDay(a.days.firstDayMs) }]));
  const newestDays = [...new Set(panel.assets.map((a) => a.days.firstDayMs + (a.days.nDays - 1) * DAY_MS))];
  return newestDays.map((dayMs) => ({ day: toIsoDay(dayMs), model: riskModelAt(panel, dayMs), series, methodVersion: RISK_METHOD_VERSION }));
}

/**
 * Computes and stores the risk assessments of every asset with daily candles (the newest `days` days of each).
 * Throws a CliError naming the problem when the module refuses the candles; nothing is then written.
 */
export async function publishRiskScores(db: Database, days = RISK_STORED_DAYS, nowMs = Date.now()): Promise<RiskPublishResult> {
  const { series, excluded } = await readRiskSeries(db);
  const result: RiskPublishResult = { assets: series.length, scored: [], unscored: [], rows: 0, methodVersion: RISK_METHOD_VERSION, excluded };
  if (series.length === 0) return result;
  let panel: RiskPanel;
  try {
    panel = computeRiskPanel(series);
  } catch (err) {
    throw new CliError(`Risk scores not computed (the predictions are stored): ${(err as Error).message} Fix the candles (coinsphere status lists the series) and publish again.`, 1, { cause: err });
  }
  const rows = panel.assets.flatMap((_, k) => rowsOf(panel, k, days, nowMs));
  await saveRiskScores(db, rows, modelsOf(panel, new Map(series.map((s) => [s.symbol, s.source]))));
  for (const k of panel.assets.keys()) {
    const newest = rows.filter((r) => r.symbol === panel.assets[k]!.symbol).at(-1)!;
    if (newest.reason === null) result.scored.push(newest.symbol);
    else result.unscored.push({ symbol: newest.symbol, day: newest.day, reason: newest.reason, message: newest.reasonMessage ?? '' });
  }
  return { ...result, rows: rows.length };
}

/** The one line publish prints about risk: how many assets were scored, and which were not and why. */
export function renderRiskLine(r: RiskPublishResult): string {
  const none = r.unscored.map((u) => `${u.symbol} (${u.reason}: ${u.message})`).join(', ');
  const out = r.excluded.map((e) => `${e.symbol} (${e.reason})`).join(', ');
  return `Risk scores (${r.methodVersion}): ${r.scored.length} of ${r.assets} assets scored on their newest day; ${r.rows} asset-days stored${none ? `; no score: ${none}` : ''}${out ? `; left out: ${out}` : ''}`;
}
