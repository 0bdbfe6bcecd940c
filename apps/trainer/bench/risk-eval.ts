// The Degen Risk Score's walk-forward evaluation on the real daily CSV files (issue #15): HAR against the naive
// variance forecasts, the drawdown probabilities against the climatological rate, the score's rank correlation
// with the next 30 days beside trailing volatility's, and how long scoring every asset on every day takes.
//   npx tsx apps/trainer/bench/risk-eval.ts [--csv <folders>] [--out <folder>] [--iterations 1000]
// Prints the tables `coinsphere evaluate --risk` prints (the same formatter) and writes <out>/risk-eval.json.
import { listCsvFiles, parseCsvFile } from '@coinsphere/data';
import { type Candle, computeRiskPanel, DEFAULT_RISK_OPTIONS, evaluatePanel, riskScores, selectUniverse } from '@coinsphere/model/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatRiskEvaluation } from '../src/evaluation/risk-format-text.ts';
import { checkRiskTargets } from '../src/evaluation/risk-targets.ts';

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

console.log(`\n${formatRiskEvaluation(result, checkRiskTargets(result))}`);
console.log(`\nscoring every asset-day (panel + scores): best ${Math.min(...scoringMs).toFixed(0)} ms of ${scoringMs.map((m) => m.toFixed(0)).join('/')}; evaluation (bootstrap ${values.iterations}): ${(evaluationMs / 1000).toFixed(1)} s`);
mkdirSync(values.out, { recursive: true });
writeFileSync(`${values.out}/risk-eval.json`, JSON.stringify({ result, scoringMs, evaluationMs, universe: universe.series.map((u) => ({ symbol: u.symbol, source: u.source })), excluded: universe.excluded }, null, 1));
console.log(`wrote ${values.out}/risk-eval.json`);
