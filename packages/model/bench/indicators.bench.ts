// The price indicators of the spec feature set on 400 daily closes: technicalindicators' calls as features.ts made
// them before (RSI 14, MACD 12/26/9, Bollinger 20/2, EMA 20 and 50, SMA 20) against indicators.ts over every row, and
// indicators.ts with only the last 10 rows' rounding and deviation (a prediction's window), in the same run,
// interleaved. Prints the median microseconds of each and the ratios. Run: npx tsx packages/model/bench/indicators.bench.ts
import { BollingerBands, EMA, MACD, RSI, SMA } from 'technicalindicators';
import { bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from '../src/indicators.ts';
import { makeSyntheticCandles } from '../src/synthetic-candles.ts';

const DAYS = Number(process.env.BENCH_DAYS ?? 400);
const close = makeSyntheticCandles(DAYS, 5).map((c) => c.close);
const library = () => [
  RSI.calculate({ period: 14, values: close }),
  MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
  BollingerBands.calculate({ period: 20, stdDev: 2, values: close }),
  EMA.calculate({ period: 20, values: close }),
  EMA.calculate({ period: 50, values: close }),
  SMA.calculate({ period: 20, values: close }),
];
const ours = (fromRow: number) => () => [rsiSeries(close, 14, fromRow), macdSeries(close, 12, 26, 9), bollingerSeries(close, 20, 2, fromRow), emaSeries(close, 20), emaSeries(close, 50), smaSeries(close, 20)];
const cases = { library, everyRow: ours(0), last10Rows: ours(DAYS - 10) };

const timeUs = (fn: () => unknown, n: number) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
};
for (const fn of Object.values(cases)) timeUs(fn, 300); // warm-up: JIT
const us: Record<string, number[]> = { library: [], everyRow: [], last10Rows: [] };
for (let r = 0; r < 20; r++) for (const [k, fn] of Object.entries(cases)) us[k]!.push(timeUs(fn, 100));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = Object.fromEntries(Object.entries(us).map(([k, xs]) => [k, +median(xs).toFixed(1)]));
console.log(JSON.stringify({ days: DAYS, node: process.version, medianUs: med, libraryOver: { everyRow: +(med.library! / med.everyRow!).toFixed(1), last10Rows: +(med.library! / med.last10Rows!).toFixed(1) } }, null, 2));
