// The risk case of bench.html (?case=risk): one asset's latest Degen Risk Score computed in the page as the
// dashboard's risk panel computes it (risk-local.ts). Cold is the first assessRiskWithModel in the page (it
// simulates the drawdown tables of the model's Student-t df); warm is the median over batches of later calls on the
// same candles, per call (a batch, because the page's clock ticks in 0.1 ms without cross-origin isolation). The
// fetches are timed apart. Not linked from the dashboard.
import { assessRiskWithModel } from '@coinsphere/model/core';

import type { ApiClient } from './api-client.ts';
import { median } from './auto-backend.ts';
import { riskCandleDays } from './risk-local.ts';

/** What the risk case reports (times in ms). */
export interface RiskBenchResult {
  case: 'risk';
  symbol: string;
  day: string;
  /** The candles' days (inclusive) and how many there were. */
  fromDay: string;
  toDay: string;
  candles: number;
  /** GET /v1/risk/{symbol} and the candles it names, one after the other. */
  fetchMs: number;
  coldMs: number;
  /** Per call: the median over `batches` batches of `reps` calls. */
  warm: { medianMs: number; reps: number; batches: number };
  /** The score computed here and the one the API stored (null: none, with the reason). */
  score: number | null;
  servedScore: number | null;
  reason: string | null;
}

/** Times `symbol`'s latest score: a cold first call, then `batches` batches of `reps` calls. Throws when the API has
 *  no inputs for it. */
export async function benchRisk(api: ApiClient, symbol: string, reps: number, batches = 5): Promise<RiskBenchResult> {
  let t = performance.now();
  const answer = await api.risk(symbol);
  if (!answer.available) throw new Error(`No risk score for ${symbol}: ${answer.message}`);
  const { inputs } = answer.risk;
  if (!inputs) throw new Error(`The API sent no risk model for ${symbol}; publish again with this version.`);
  const { fromDay, toDay } = riskCandleDays(inputs);
  const candles = await api.candles(symbol, fromDay, toDay, inputs.candles.source);
  const fetchMs = performance.now() - t;
  const startMs = Date.parse(`${inputs.candles.firstDay}T00:00:00Z`);
  t = performance.now();
  const first = assessRiskWithModel(inputs.model, symbol, candles, startMs);
  const coldMs = performance.now() - t;
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    t = performance.now();
    for (let i = 0; i < reps; i++) assessRiskWithModel(inputs.model, symbol, candles, startMs);
    times.push((performance.now() - t) / reps);
  }
  const served = answer.risk.score;
  return {
    case: 'risk',
    symbol,
    day: answer.risk.day,
    fromDay,
    toDay,
    candles: candles.length,
    fetchMs,
    coldMs,
    warm: { medianMs: median(times), reps, batches },
    score: first.score.ok ? first.score.value : null,
    servedScore: served.ok ? served.value : null,
    reason: first.score.ok ? null : first.score.reason,
  };
}
