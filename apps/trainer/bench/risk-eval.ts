// The Degen Risk Score's walk-forward evaluation on the real daily CSV files (issue #15): HAR against the naive
// variance forecasts, the drawdown probabilities against the climatological rate, the score's rank correlation
// with the next 30 days beside trailing volatility's, and how long scoring every asset on every day takes.
//   npx tsx apps/trainer/bench/risk-eval.ts [--csv <folders>] [--out <folder>] [--iterations 1000]
// Prints a table and writes <out>/risk-eval.json.
import { listCsvFiles, parseCsvFile } from '@coinsphere/data';
import { type Candle, type ConfidenceInterval, computeRiskPanel, DEFAULT_RISK_OPTIONS, evaluatePanel, riskScores, selectUniverse, toIsoDay } from '@coinsphere/model/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    csv: { type: 'string', multiple: true, default: ['../shared/data/cryptodatadownload-binance-daily', '../shared/data/kaggle-cryptocurrency-historical-prices'] },
    out: { type: 'string', default: 'test-output/risk' },
    iterations: { type: 'string', default: '1000' },
  },
});

const candidates = (await Promise.all(listCsvFiles(values.csv).map((f) => parseCsvFile(f)))).filter((p) => p.interval === '1d').map((p) => ({ symbol: p.symbol, source: p.source, candles: p.rows as Candle[] }));
const universe = selectUniverse(candidates);
const series = universe.series.map((s) => ({ symbol: s.symbol, candles: s.candles }));
console.log(`universe: ${universe.series.map((s) => `${s.symbol}(${s.source}, ${s.candles.length})`).join(' ')}; excluded: ${universe.excluded.map((e) => `${e.symbol} (${e.reason})`).join(', ')}`);

// scoring every asset on every day, from candles (walk-forward fits included); best of 3 after a warm-up run
const scoringMs: number[] = [];
let panel = computeRiskPanel(series);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  panel = computeRiskPanel(series);
  const scores = riskScores(panel);
  scoringMs.push(performance.now() - t0);
  if (r === 0) console.log(`scored ${scores.reduce((s, x) => s + x.filter(Number.isFinite).length, 0)} of ${scores.reduce((s, x) => s + x.length, 0)} asset-days`);
}
const t1 = performance.now();
const result = evaluatePanel(panel, { ...panel.options, evaluateFromMs: DEFAULT_RISK_OPTIONS.selectUntilMs, bootstrapIterations: Number(values.iterations), bootstrapSeed: 12345 });
const evaluationMs = performance.now() - t1;

const f = (x: number, d = 4) => (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(d));
const ci = (c: ConfidenceInterval, d = 4) => `${f(c.estimate, d)} [${f(c.lower, d)}, ${f(c.upper, d)}]${c.upper < 0 ? ' *' : c.lower > 0 ? ' +' : ''}`;
console.log(`\nHAR variant per horizon: ${Object.entries(result.harChoice).map(([h, c]) => `${h} d ${c.logs ? 'logs' : 'levels'} (${c.how}; selection QLIKE levels ${f(c.selectionQlike.level)}, logs ${f(c.selectionQlike.log)} on ${c.selectionRows} rows)`).join('; ')}`);
console.log(`reported from ${toIsoDay(result.evaluateFromMs)}; intervals: 95% day-block bootstrap; * = interval below 0 (HAR / model better), + = above 0\n`);
for (const v of result.volatility) {
  console.log(`${v.horizonDays}-day variance, ${v.n} rows on ${v.days} days. Mean QLIKE: ${Object.entries(v.mean).map(([n, m]) => `${n} ${f(m.qlike)}`).join(', ')}`);
  for (const [n, d] of Object.entries(v.harMinus)) console.log(`  HAR − ${n.padEnd(10)} QLIKE ${ci(d.qlike)}   MSE ${ci(d.mse)}`);
}
console.log('\ndrawdown       rows   events  Brier (calibrated)        Brier (climatology)      Brier − clim               ECE                      raw Brier  raw ECE');
for (const d of result.drawdown) {
  console.log(`${d.key.padEnd(9)} ${String(d.n).padStart(9)}  ${f(d.eventRate, 3)}   ${ci(d.brier).padEnd(25)} ${ci(d.climatologyBrier).padEnd(24)} ${ci(d.brierMinusClimatology).padEnd(26)} ${ci(d.ece).padEnd(24)} ${f(d.rawBrier)}     ${f(d.rawEce)}`);
}
const s = result.score;
console.log(`\nSpearman over ${s.n} (asset, day) rows     score                     trailing 30-d vol         HAR 30-d vol              score − trailing`);
for (const [name, b] of [['forward 30-d volatility', s.forwardVolatility], ['forward 30-d max drawdown', s.forwardMaxDrawdown]] as const) {
  console.log(`  ${name.padEnd(36)} ${ci(b.score, 3).padEnd(25)} ${ci(b.trailingVolatility, 3).padEnd(25)} ${ci(b.harVolatility, 3).padEnd(25)} ${ci(b.scoreMinusTrailing, 3)}`);
}
console.log(`\nscoring every asset-day (panel + scores): best ${Math.min(...scoringMs).toFixed(0)} ms of ${scoringMs.map((m) => m.toFixed(0)).join('/')}; evaluation (bootstrap ${values.iterations}): ${(evaluationMs / 1000).toFixed(1)} s`);
mkdirSync(values.out, { recursive: true });
writeFileSync(`${values.out}/risk-eval.json`, JSON.stringify({ result, scoringMs, evaluationMs, universe: universe.series.map((u) => ({ symbol: u.symbol, source: u.source })), excluded: universe.excluded }, null, 1));
console.log(`wrote ${values.out}/risk-eval.json`);
