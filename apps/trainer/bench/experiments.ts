// The quality experiments of BENCHMARKS.md ("Predictions worth having"): pooled walk-forward runs of one recipe
// over the pooled universe of CSV files, summarised separately on the selection folds (test blocks ending before
// --confirm-from, where configurations are chosen) and the confirmation folds (never used to choose).
//   npx tsx apps/trainer/bench/experiments.ts --name v2-vol --recipe '{"featureSet":"v2","labels":"volatility"}' \
//     --horizons 7 [--csv <folders>] [--out <folder>]
// Prints one summary per horizon and writes <out>/<name>-<h>d.json with every fold's test rows.
import { listCsvFiles, parseCsvFile } from '@coinsphere/data';
import { DEFAULT_POOLED_RECIPE, MARKET_SYMBOL, planCalendarFolds, prepareAssetFrame, selectUniverse, toIsoDay, type Candle } from '@coinsphere/model';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { PooledRecipe } from '@coinsphere/model';
import { runPooledFold, type PooledFoldOutcome } from '../src/evaluation/pooled-fold.ts';
import { summarizePooled } from '../src/evaluation/pooled-summary.ts';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'run' },
    recipe: { type: 'string', default: '{}' },
    horizons: { type: 'string', default: '7' },
    csv: { type: 'string', multiple: true, default: ['../shared/data/cryptodatadownload-binance-daily', '../shared/data/kaggle-cryptocurrency-historical-prices'] },
    out: { type: 'string', default: 'test-output/experiments' },
    'fold-days': { type: 'string', default: '182' },
    'confirm-from': { type: 'string', default: '2023-01-01' },
    'max-folds': { type: 'string' },
    'window-days': { type: 'string' },
    symbols: { type: 'string' },
  },
});

const overrides = JSON.parse(values.recipe) as Partial<PooledRecipe> & { training?: Partial<PooledRecipe['training']>; modelConfig?: Partial<PooledRecipe['modelConfig']> };
const recipe: PooledRecipe = {
  ...DEFAULT_POOLED_RECIPE,
  ...overrides,
  modelConfig: { ...DEFAULT_POOLED_RECIPE.modelConfig, ...overrides.modelConfig },
  training: { ...DEFAULT_POOLED_RECIPE.training, ...overrides.training },
};
const candidates = (await Promise.all(listCsvFiles(values.csv).map((f) => parseCsvFile(f)))).filter((p) => p.interval === '1d').map((p) => ({ symbol: p.symbol, source: p.source, candles: p.rows as Candle[] }));
const universe = selectUniverse(candidates);
const wanted = values.symbols?.split(',');
const series = universe.series.filter((s) => !wanted || wanted.includes(s.symbol));
const market = universe.series.find((s) => s.symbol === MARKET_SYMBOL)?.candles;
console.error(`universe: ${series.map((s) => `${s.symbol}(${s.source}, ${s.candles.length})`).join(' ')}; excluded: ${universe.excluded.map((e) => `${e.symbol} (${e.reason})`).join(', ')}`);
console.error(`recipe: ${JSON.stringify(recipe)}`);
mkdirSync(values.out, { recursive: true });
const rounded = (probs: Record<string, Float32Array>) => Object.fromEntries(Object.entries(probs).map(([k, v]) => [k, Array.from(v, (x) => Math.round(x * 1e5) / 1e5)]));
const confirmFrom = Date.parse(`${values['confirm-from']}T00:00:00Z`);

for (const h of values.horizons.split(',').map(Number)) {
  const started = Date.now();
  const data = { ...recipe, horizonDays: h };
  const frames = series.map((s) => prepareAssetFrame(s.symbol, s.candles, data, { market }));
  const sampleDays = frames.flatMap((f) => (f.sampleRows.length ? [f.features.dayMs[f.sampleRows[0]!]!, f.features.dayMs[f.sampleRows.at(-1)!]!] : []));
  const folds = planCalendarFolds(Math.min(...sampleDays), Math.max(...sampleDays), {
    horizonDays: h, foldDays: Number(values['fold-days']), maxFolds: values['max-folds'] ? Number(values['max-folds']) : undefined,
    windowDays: values['window-days'] ? Number(values['window-days']) : undefined,
  });
  const outcomes: PooledFoldOutcome[] = [];
  for (const [k, fold] of folds.entries()) {
    const o = await runPooledFold(frames, fold, data, availableParallelism());
    outcomes.push(o);
    console.error(`[${h}d ${k + 1}/${folds.length}] test ${toIsoDay(fold.testStartDayMs)}..${toIsoDay(fold.testEndDayMs)}: train ${o.nTrain}, val ${o.nVal}, test ${o.y.length}, epochs ${o.epochs.join('/')}, T ${o.temperature.toFixed(2)}, abstain < ${o.abstainBelow.toFixed(3)}, ${(o.wallMs / 1000).toFixed(0)} s`);
  }
  const selection = outcomes.filter((_, k) => folds[k]!.testEndDayMs < confirmFrom);
  const confirmation = outcomes.filter((_, k) => folds[k]!.testEndDayMs >= confirmFrom);
  const summary = {
    name: values.name, horizonDays: h, recipe: data, wallMs: Date.now() - started,
    selection: selection.length ? summarizePooled(selection, h) : null,
    confirmation: confirmation.length ? summarizePooled(confirmation, h) : null,
    all: summarizePooled(outcomes, h),
  };
  writeFileSync(`${values.out}/${values.name}-${h}d.json`, JSON.stringify({ summary, folds: folds.map((f) => ({ test: [toIsoDay(f.testStartDayMs), toIsoDay(f.testEndDayMs)] })), outcomes: outcomes.map((o) => ({ ...o, probs: rounded(o.probs), val: { y: o.val.y, probs: rounded(o.val.probs) } })) }));
  console.log(JSON.stringify({ name: values.name, h, wallS: Math.round(summary.wallMs / 1000), selection: summary.selection?.brief, confirmation: summary.confirmation?.brief, all: summary.all.brief }));
}
