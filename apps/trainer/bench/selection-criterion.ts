// The choice rule of a BENCHMARKS.md experiment (#13): the mean, over the horizons given, of each run's log-loss of
// its calibrated probabilities on the SELECTION folds' test rows (experiments.ts files); the lowest wins. It reads
// nothing from the confirmation folds, so it can be run before they are looked at.
//   npx tsx apps/trainer/bench/selection-criterion.ts /work/exp/recency/none /work/exp/recency/half365 [--horizons 7,14,30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { horizons: { type: 'string', default: '7,14,30' } } });
if (positionals.length === 0) throw new Error('selection-criterion.ts needs run prefixes, e.g. /work/exp/recency/none for none-7d.json, none-14d.json, ...');
const horizons = values.horizons.split(',').map(Number);
const scores = positionals.map((prefix) => {
  const losses = horizons.map((h) => {
    const file = `${prefix}-${h}d.json`;
    const run = JSON.parse(readFileSync(file, 'utf8')) as { summary: { selection: { summary: { predictors: { model: { metrics: { logLoss: number } } } } } | null } };
    if (!run.summary.selection) throw new Error(`${file} has no selection folds; run experiments.ts over the whole history.`);
    return run.summary.selection.summary.predictors.model.metrics.logLoss;
  });
  const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
  console.log(`${prefix}: selection log-loss ${losses.map((l, i) => `${horizons[i]}d ${l.toFixed(4)}`).join(', ')}; mean ${mean.toFixed(4)}`);
  return { prefix, mean };
});
const best = scores.reduce((a, b) => (b.mean < a.mean ? b : a));
console.log(`chosen: ${best.prefix} (mean selection log-loss ${best.mean.toFixed(4)}; ln 3 = ${Math.log(3).toFixed(4)})`);
