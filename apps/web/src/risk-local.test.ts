// The browser's risk score against the panel publish runs: the candles risk-local.ts asks for, through the model as
// it comes over the wire (parsed with the contract's schema), give the panel's score within 1e-9, even when the
// first day of the window has no candle.
import { assessRisk, type Candle, computeRiskPanel, DAY_MS, makeSyntheticCandles, RISK_CANDLE_DAYS, riskModelAt, toIsoDay } from '@coinsphere/model/core';
import { RiskInputsSchema } from '@coinsphere/serving/contract';
import { describe, expect, it } from 'vitest';
import { computeRiskHere, RISK_FETCH_DAYS, riskCandleDays } from './risk-local.ts';

const series = ['AAA', 'BBB', 'CCC'].map((symbol, k) => ({ symbol, candles: makeSyntheticCandles(900, k + 1) }));
const panel = computeRiskPanel(series, { simulationPaths: 2000 });
const lastMs = series[0]!.candles.at(-1)!.openTimeMs;
const inputs = RiskInputsSchema.parse(JSON.parse(JSON.stringify({ model: riskModelAt(panel, lastMs), candles: { source: 'synthetic', firstDay: toIsoDay(series[0]!.candles[0]!.openTimeMs) } })));

/** candles() of an API holding `candles`, recording what it was asked for. */
function apiOf(candles: Candle[]) {
  const asked: string[][] = [];
  return {
    asked,
    candles: async (symbol: string, fromDay: string, toDay: string, source?: string) => {
      asked.push([symbol, fromDay, toDay, source ?? '']);
      return candles.filter((c) => toIsoDay(c.openTimeMs) >= fromDay && toIsoDay(c.openTimeMs) <= toDay);
    },
  };
}

describe('computeRiskHere', () => {
  it('asks for the series the server scored, RISK_FETCH_DAYS up to the model\'s day, and gives the panel\'s score within 1e-9', async () => {
    const served = assessRisk(panel, 'AAA', lastMs);
    expect(served.score.ok).toBe(true);
    const api = apiOf(series[0]!.candles);
    const here = await computeRiskHere(api, 'AAA', inputs);
    expect(api.asked).toEqual([['AAA', toIsoDay(lastMs - (RISK_FETCH_DAYS - 1) * DAY_MS), toIsoDay(lastMs), 'synthetic']]);
    expect(here.candles).toBe(RISK_FETCH_DAYS);
    expect(here.ms).toBeGreaterThanOrEqual(0);
    expect(here.assessment.dayMs).toBe(lastMs);
    expect(Math.abs((here.assessment.score as { value: number }).value - (served.score as { value: number }).value)).toBeLessThanOrEqual(1e-9);
    expect(here.assessment.components.ageDays).toBe(served.components.ageDays); // counted from the series' first day
  });

  it('still has the RISK_CANDLE_DAYS it needs when the window\'s first days have no candle', async () => {
    const from = riskCandleDays(inputs).fromDay;
    const holey = series[1]!.candles.filter((c) => c.openTimeMs > Date.parse(`${from}T00:00:00Z`) + 10 * DAY_MS); // none on its first 11 days
    const here = await computeRiskHere(apiOf(holey), 'BBB', inputs);
    expect(here.candles).toBe(RISK_FETCH_DAYS - 11);
    expect(here.candles).toBeGreaterThanOrEqual(RISK_CANDLE_DAYS);
    const served = assessRisk(panel, 'BBB', lastMs).score;
    expect(served.ok).toBe(true);
    expect(here.assessment.score).toEqual(served);
  });

  it('never asks for candles before the series began', () => {
    const young = { ...inputs, candles: { ...inputs.candles, firstDay: toIsoDay(lastMs - 40 * DAY_MS) } };
    expect(riskCandleDays(young)).toEqual({ fromDay: toIsoDay(lastMs - 40 * DAY_MS), toDay: toIsoDay(lastMs) });
  });
});
