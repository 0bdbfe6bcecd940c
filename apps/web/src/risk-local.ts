// The Degen Risk Score computed in the browser: the daily candles of the series the server scored (the API's
// `inputs.candles`), from a little more than the RISK_CANDLE_DAYS days the assessment reads up to the model's day,
// through the risk module's own assessRiskWithModel with the model the API froze on that day. The same code and
// the same input as publish, so the same number; the panel compares the two. Browser-safe.
import { assessRiskWithModel, DAY_MS, prepareRiskModel, RISK_CANDLE_DAYS, toIsoDay, type RiskAssessment } from '@coinsphere/model/core';
import type { RiskInputs } from '@coinsphere/serving/contract';

import type { ApiClient } from './api-client.ts';

/** Days of candles asked for, ending on the model's day: the RISK_CANDLE_DAYS the assessment needs and 30 more,
 *  so a day missing at the start of the window does not leave it short (the trailing windows are 31 days at most,
 *  so the older days change nothing). */
export const RISK_FETCH_DAYS = RISK_CANDLE_DAYS + 30;

/** The UTC days (inclusive) of the candles to fetch for `inputs`: RISK_FETCH_DAYS up to the model's day, never
 *  before the series' first day. */
export function riskCandleDays(inputs: RiskInputs): { fromDay: string; toDay: string } {
  const toDay = toIsoDay(inputs.model.dayMs);
  const from = toIsoDay(inputs.model.dayMs - (RISK_FETCH_DAYS - 1) * DAY_MS);
  return { fromDay: from < inputs.candles.firstDay ? inputs.candles.firstDay : from, toDay };
}

/** The assessment computed here, how long assessRiskWithModel took (ms, the fetch not included), how long the
 *  drawdown tables took to simulate while the candles downloaded (0 once a page has them), and its input. */
export interface LocalRisk {
  assessment: RiskAssessment;
  ms: number;
  prepareMs: number;
  candles: number;
  fromDay: string;
  toDay: string;
}

/**
 * Fetches the candles `inputs` names for `symbol` and computes the assessment of the model's day. Throws what the
 * client throws, and the risk module's errors (another method version, candles that do not reach the day).
 */
export async function computeRiskHere(api: Pick<ApiClient, 'candles'>, symbol: string, inputs: RiskInputs): Promise<LocalRisk> {
  const { fromDay, toDay } = riskCandleDays(inputs);
  const download = api.candles(symbol, fromDay, toDay, inputs.candles.source);
  const p = performance.now();
  prepareRiskModel(inputs.model); // the tables, while the request is in flight
  const prepareMs = performance.now() - p;
  const candles = await download;
  const t = performance.now();
  const assessment = assessRiskWithModel(inputs.model, symbol, candles, Date.parse(`${inputs.candles.firstDay}T00:00:00Z`));
  return { assessment, ms: performance.now() - t, prepareMs, candles: candles.length, fromDay, toDay };
}
